import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unreadableReasons } from '../../shared/attendance/teams-report';
import { buildTree, columns, dropOffs, horizontalBars, linePoints, niceMax, regionTiles, shadeClasses, shadeIndex } from '../../web/src/charts';
import regionConfig from '../../config/regions.json';
import { codeFromScan } from '../../web/src/check-in-code';
import { almatyLocalToIso, formatDate, isoToAlmatyLocal, TIME_ZONE } from '../../web/src/format';
import { catalogues, languages, pickLanguage, translate, type MessageKey } from '../../web/src/i18n-core';
import { matchRoute, pathTo } from '../../web/src/router';
import { draftOf, emptySession, trainingBody } from '../../web/src/training-form';

const webSource = path.resolve(import.meta.dirname, '../../web/src');

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(directory, entry.name)) : entry.name.endsWith('.ts') ? [path.join(directory, entry.name)] : [],
  );
}

describe('i18n catalogues', () => {
  const keys = (language: (typeof languages)[number]) => Object.keys(catalogues[language]).sort();

  it('have exactly the same keys in kk, ru and en, none of them empty', () => {
    expect(keys('kk')).toEqual(keys('en'));
    expect(keys('ru')).toEqual(keys('en'));
    for (const language of languages) {
      for (const [key, value] of Object.entries(catalogues[language])) expect(value.trim(), `${language}:${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of keys('en') as MessageKey[]) {
      expect(placeholders(catalogues.kk[key]), key).toEqual(placeholders(catalogues.en[key]));
      expect(placeholders(catalogues.ru[key]), key).toEqual(placeholders(catalogues.en[key]));
    }
  });

  it('hold every key the source asks for by name', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(webSource)) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((key) => !(key in catalogues.en));
    expect(missing).toEqual([]);
  });

  it('hold every value of the keys built from data (statuses, levels, metrics)', () => {
    const families: Record<string, readonly (string | number)[]> = {
      status: ['draft', 'published', 'cancelled', 'closed'],
      registration: ['confirmed', 'waitlisted', 'cancelled'],
      level: [0, 1, 2],
      verify: ['valid', 'expired', 'revoked'],
      attendance: ['present', 'late', 'absent', 'unmarked'],
      issuance: ['issued', 'not-completed', 'pending'],
      delivery: ['sending', 'sent', 'delivered', 'bounced', 'complained'],
      role: ['admins', 'coordinators', 'trainers', 'teachers'],
      rating: ['overall', 'relevance', 'trainer', 'materials', 'recommend'],
      flag: ['qualifying-certificate-revoked', 'qualifying-certificate-expired'],
      'teams.by': ['email', 'upn', 'name', 'name-partial', 'manual'],
      'teams.unmatched': ['no_match', 'ambiguous'],
      'teams.ignored': ['organizer', 'presenter', 'excluded'],
      'teams.problem': unreadableReasons,
      'schedule.repeat': ['daily', 'weekdays', 'weekly'],
      'schedule.weekday': [1, 2, 3, 4, 5, 6, 7],
      'schedule.invalid': ['firstDate', 'time', 'durationMinutes', 'days', 'count', 'until'],
      metric: [
        'trainingsScheduled', 'trainingsHeld', 'trainingsCancelled', 'registrations', 'confirmed', 'completed',
        'certificatesIssued', 'certificatesRevoked', 'activeMultipliers', 'teachersReached', 'meanRating', 'feedbackResponseRate',
      ],
    };
    for (const [family, values] of Object.entries(families)) {
      for (const value of values) expect(catalogues.en, `${family}.${value}`).toHaveProperty([`${family}.${value}`]);
    }
  });

  it('fill placeholders and leave an unknown one visible', () => {
    expect(translate(catalogues.en, 'registration.position', { position: 3 })).toBe('your place in the queue: 3');
    expect(translate(catalogues.kk, 'registration.position')).toContain('{position}');
  });
});

describe('pickLanguage', () => {
  it('takes ?lang= first, then the remembered choice, then the browser, then Kazakh', () => {
    expect(pickLanguage('?lang=en', 'ru', ['kk-KZ'])).toBe('en');
    expect(pickLanguage('?lang=de', 'ru', ['kk-KZ'])).toBe('ru');
    expect(pickLanguage('', null, ['de-DE', 'ru-RU', 'en'])).toBe('ru');
    expect(pickLanguage('', 'xx', ['KK'])).toBe('kk');
    expect(pickLanguage('', null, ['fr-FR'])).toBe('kk');
  });
});

describe('router', () => {
  it('matches every page, decoding parameters', () => {
    expect(matchRoute('/')).toEqual({ name: 'home', params: {} });
    expect(matchRoute('/trainings/abc')).toEqual({ name: 'training', params: { id: 'abc' } });
    expect(matchRoute('/trainings/abc/feedback/')).toEqual({ name: 'feedback', params: { id: 'abc' } });
    expect(matchRoute('/manage/new').name).toBe('newTraining');
    expect(matchRoute('/manage/t1/sessions/s1/qr')).toEqual({ name: 'checkInScreen', params: { id: 't1', sessionId: 's1' } });
    expect(matchRoute('/verify/AB%20CD')).toEqual({ name: 'verify', params: { code: 'AB CD' } });
    expect(matchRoute('/verify/%E0%A4%A')).toEqual({ name: 'notFound', params: {} });
    expect(matchRoute('/nowhere/at/all').name).toBe('notFound');
  });

  it('builds the paths that emails and certificates link to', () => {
    // shared/mail links to /trainings/{id}, /trainings/{id}/feedback, /verify/{code} and /check-in?code=.
    expect(pathTo('training', { id: 't-1' })).toBe('/trainings/t-1');
    expect(pathTo('feedback', { id: 't-1' })).toBe('/trainings/t-1/feedback');
    expect(pathTo('verify', { code: 'K7Q2' })).toBe('/verify/K7Q2');
    expect(pathTo('checkIn')).toBe('/check-in');
    expect(matchRoute(pathTo('manageTraining', { id: 'a/b' }))).toEqual({ name: 'manageTraining', params: { id: 'a/b' } });
  });
});

describe('codeFromScan', () => {
  it('takes the code from the check-in URL a QR holds, or from what was typed', () => {
    expect(codeFromScan('https://training.example.org/check-in?code=K7Q2MX')).toBe('K7Q2MX');
    expect(codeFromScan('  k7q2 mx ')).toBe('K7Q2MX');
    expect(codeFromScan('k7q2-mx')).toBe('K7Q2MX');
  });
});

describe('dates in Almaty', () => {
  it('shows an instant as the wall-clock time in Almaty, whatever the machine zone', () => {
    expect(TIME_ZONE).toBe('Asia/Almaty');
    expect(formatDate('2026-03-01T20:30:00Z', 'en')).toBe('2 Mar 2026');
  });

  it('turns a datetime-local value into an instant at +05:00 and back', () => {
    expect(almatyLocalToIso('2026-05-04T10:00')).toBe('2026-05-04T10:00:00+05:00');
    expect(isoToAlmatyLocal('2026-05-04T05:00:00.000Z')).toBe('2026-05-04T10:00');
    expect(new Date(almatyLocalToIso(isoToAlmatyLocal('2026-12-31T22:15:00Z'))).toISOString()).toBe('2026-12-31T22:15:00.000Z');
  });
});

describe('training form', () => {
  const draft = {
    ...draftOf(undefined, 'almaty'),
    titleKk: ' Көшбасшылық ',
    topic: 'lesson-study',
    hours: '24',
    capacity: '30',
    sessions: [{ ...emptySession(), startsAt: '2026-05-04T10:00', endsAt: '2026-05-04T13:00', venue: 'Алматы' }],
  };

  it('sends numbers as numbers, times with their offset and leaves out what is blank', () => {
    expect(trainingBody(draft, false)).toEqual({
      title: { kk: 'Көшбасшылық' },
      description: undefined,
      topic: 'lesson-study',
      language: 'kk',
      region: 'almaty',
      level: 2,
      hours: 24,
      ects: undefined,
      capacity: 30,
      sessions: [{ startsAt: '2026-05-04T10:00:00+05:00', endsAt: '2026-05-04T13:00:00+05:00', venue: 'Алматы' }],
    });
  });

  it('clears optional fields with null when editing, and an empty number stays invalid for the API to name', () => {
    const body = trainingBody({ ...draft, capacity: '' }, true);
    expect(body.description).toBeNull();
    expect(body.ects).toBeNull();
    expect(body.capacity).toBeNaN();
  });

  it('marks a refresher with renewsLevel, and clears it on an edit', () => {
    expect(trainingBody({ ...draft, renewsLevel: true }, false).renewsLevel).toBe(true);
    expect(trainingBody(draft, true).renewsLevel).toBe(false);
  });
});

describe('charts', () => {
  it('scales bars to the largest value', () => {
    const bars = horizontalBars([{ label: 'a', value: 50 }, { label: 'b', value: 100 }, { label: 'c', value: 0 }], { width: 200, barHeight: 10, gap: 5 });
    expect(bars.map((bar) => [bar.width, bar.y])).toEqual([[100, 0], [200, 15], [0, 30]]);
    expect(horizontalBars([{ label: 'a', value: 0 }], { width: 200, barHeight: 10, gap: 5 })[0]!.width).toBe(0);
  });

  it('spreads line points over the width, the largest at the top', () => {
    const points = linePoints([{ label: '2026-01', value: 0 }, { label: '2026-02', value: 5 }, { label: '2026-03', value: 10 }], { width: 100, height: 50 });
    expect(points.map((point) => [point.x, point.y])).toEqual([[0, 50], [50, 25], [100, 0]]);
    expect(linePoints([{ label: 'only', value: 3 }], { width: 100, height: 50 })[0]).toMatchObject({ x: 50, y: 0 });
  });

  it('rounds the value axis up to 1, 2 or 5 × a power of ten, with whole ticks only', () => {
    expect([0, 1, 3, 7, 11, 16, 230].map(niceMax)).toEqual([1, 1, 5, 10, 20, 20, 500]);
    const chart = columns([{ label: '2026-01', value: 0 }, { label: '2026-02', value: 5 }], { width: 100, height: 50, gap: 10 });
    expect(chart.ticks).toEqual([0, 5]);
    expect(chart.columns.map((column) => [column.x, column.width, column.y, column.height])).toEqual([[5, 40, 50, 0], [55, 40, 0, 50]]);
    expect(columns([{ label: 'a', value: 11 }], { width: 10, height: 10, gap: 0 }).ticks).toEqual([0, 10, 20]);
  });

  it('says what each funnel step lost, and nothing where there was nobody', () => {
    expect(dropOffs([16, 16, 12, 0, 0])).toEqual([null, 0, 0.25, 1, null]);
  });

  it('places each of the 20 regions on its own tile, and shades zero apart from the rest', () => {
    expect(Object.keys(regionTiles).sort()).toEqual(regionConfig.regions.map((region) => region.id).sort());
    const cells = Object.values(regionTiles).map(({ column, row }) => `${column},${row}`);
    expect(new Set(cells).size).toBe(20);
    const classes = shadeClasses(16);
    expect(classes).toEqual([{ from: 0, to: 0 }, { from: 1, to: 4 }, { from: 5, to: 8 }, { from: 9, to: 12 }, { from: 13, to: 16 }]);
    expect([0, 1, 6, 16].map((value) => shadeIndex(value, classes))).toEqual([0, 1, 2, 4]);
    expect(shadeClasses(0)).toEqual([{ from: 0, to: 0 }]);
  });

  it('nests the cascade by parent and keeps orphans as roots', () => {
    const tree = buildTree([
      { trainingId: 'root', parentTrainingId: null },
      { trainingId: 'child', parentTrainingId: 'root' },
      { trainingId: 'grandchild', parentTrainingId: 'child' },
      { trainingId: 'orphan', parentTrainingId: 'elsewhere' },
    ]);
    expect(tree.map((node) => node.item.trainingId)).toEqual(['root', 'orphan']);
    expect(tree[0]!.children[0]!.children[0]!.item.trainingId).toBe('grandchild');
  });
});
