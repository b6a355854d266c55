import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sessionStatusFromMinutes } from '../../shared/domain/attendance';
import { ValidationError } from '../../shared/errors';
import {
  clippedMerged,
  matchAttendee,
  minutesPresent,
  normalizedName,
  proposeAttendance,
  type RosterEntry,
} from '../../shared/attendance/teams-match';
import { parseDurationMs, parseTeamsReports, type ParsedTeamsReports } from '../../shared/attendance/teams-report';
import { tsv, utf16WithBom, utf8 } from '../support/teams-reports';

const ZONE = 'Asia/Almaty';
/** 26 Nov 2026, 16:00–17:30 Almaty time (UTC+5): 90 minutes; 80 % is 72. */
const session = { startsAt: '2026-11-26T11:00:00.000Z', endsAt: '2026-11-26T12:30:00.000Z' };
const reference = Date.parse(session.startsAt);

const roster: RosterEntry[] = [
  { registrationId: 'r-asel', fullName: 'Әсел Қайратқызы', email: 'asel@school.kz' },
  { registrationId: 'r-nurlan', fullName: 'Нұрлан Серікұлы Әбенов', email: 'nurlan@school.kz' },
  { registrationId: 'r-bolat', fullName: 'Болат Жақсылықов', email: 'bolat@school.kz' },
  { registrationId: 'r-aigul', fullName: 'Айгүл Оспанова', email: 'aigul@school.kz' },
];

function parse(files: { name: string; bytes: Uint8Array }[], referenceTime = reference): ParsedTeamsReports {
  return parseTeamsReports(files, { timeZone: ZONE, referenceTime });
}

function propose(parsed: ParsedTeamsReports, corrections = {}) {
  return proposeAttendance({ session, completionThreshold: 0.8, roster, attendees: parsed.attendees, corrections });
}

function minutesOf(parsed: ParsedTeamsReports) {
  return Object.fromEntries(propose(parsed).marks.map((mark) => [mark.registrationId, [mark.minutes, mark.status]]));
}

/** The current format as the English (US) Teams client writes it: M/D/YY and a 12-hour clock. */
const currentUs = tsv([
  ['1. Summary'],
  ['Meeting title', 'Цифрлық сауаттылық: 2-сабақ'],
  ['Attended participants', '5'],
  ['Start time', '11/26/26, 3:55:02 PM'],
  ['End time', '11/26/26, 5:41:10 PM'],
  ['Meeting duration', '1h 46m 8s'],
  ['Average attendance time', '58m 3s'],
  [],
  ['2. Participants'],
  ['Name', 'First Join', 'Last Leave', 'In-Meeting Duration', 'Email', 'Participant ID (UPN)', 'Role'],
  ['Trainer Almaty', '11/26/26, 3:55:02 PM', '11/26/26, 5:41:10 PM', '1h 46m 8s', 'trainer@demo.kz', 'trainer@demo.kz', 'Organizer'],
  ['Әсел Қайратқызы', '11/26/26, 4:02:00 PM', '11/26/26, 5:35:00 PM', '1h 33m', 'ASEL@school.kz', 'asel@school.kz', 'Attendee'],
  ['Nurlan Serikuly', '11/26/26, 3:58:00 PM', '11/26/26, 5:20:00 PM', '1h 22m', 'nurlan@school.kz', 'nurlan@school.kz', 'Attendee'],
  ['Болат Жақсылықов', '11/26/26, 4:00:00 PM', '11/26/26, 5:45:00 PM', '1h 15m', '', 'bolat@school.kz', 'Attendee'],
  ['Guest Visitor (Guest)', '11/26/26, 4:10:00 PM', '11/26/26, 4:40:00 PM', '30m', '', '', 'Attendee'],
  [],
  ['3. In-Meeting Activities'],
  ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
  ['Trainer Almaty', '11/26/26, 3:55:02 PM', '11/26/26, 5:41:10 PM', '1h 46m 8s', 'trainer@demo.kz', 'Organizer'],
  ['Әсел Қайратқызы', '11/26/26, 4:02:00 PM', '11/26/26, 5:35:00 PM', '1h 33m', 'ASEL@school.kz', 'Attendee'],
  // Two devices: the laptop and, overlapping it, the phone.
  ['Nurlan Serikuly', '11/26/26, 3:58:00 PM', '11/26/26, 5:00:00 PM', '1h 2m', 'nurlan@school.kz', 'Attendee'],
  ['Nurlan Serikuly', '11/26/26, 4:30:00 PM', '11/26/26, 5:20:00 PM', '50m', 'nurlan@school.kz', 'Attendee'],
  // A rejoin after a dropped connection; no email in these rows, tied by name to the participant row (UPN).
  ['Болат Жақсылықов', '11/26/26, 4:00:00 PM', '11/26/26, 4:20:00 PM', '20m', '', 'Attendee'],
  ['Болат Жақсылықов', '11/26/26, 4:50:00 PM', '11/26/26, 5:45:00 PM', '55m', '', 'Attendee'],
  ['Guest Visitor (Guest)', '11/26/26, 4:10:00 PM', '11/26/26, 4:40:00 PM', '30m', '', 'Attendee'],
]);

describe('the current Teams report format', () => {
  it('reads a UTF-16 LE file with a BOM and proves the minutes: clipped, merged, rejoins summed', () => {
    const parsed = parse([{ name: 'Meeting Attendance Report.csv', bytes: utf16WithBom(currentUs) }]);
    expect(parsed.unreadable).toEqual([]);
    expect(parsed.meetings).toEqual([
      {
        file: 0,
        format: 'sections',
        title: 'Цифрлық сауаттылық: 2-сабақ',
        start: Date.parse('2026-11-26T10:55:02Z'),
        end: Date.parse('2026-11-26T12:41:10Z'),
      },
    ]);
    expect(minutesOf(parsed)).toEqual({
      // 16:02–17:35 cut at the session's end (17:30): 88.
      'r-asel': [88, 'present'],
      // Laptop 15:58–17:00 and phone 16:30–17:20 merged and cut at 16:00: 80, not 62 + 50.
      'r-nurlan': [80, 'present'],
      // 16:00–16:20 and 16:50–17:45 (cut at 17:30): 20 + 40 = 60 < 72.
      'r-bolat': [60, 'absent'],
      'r-aigul': [0, 'absent'],
    });
  });

  it('says how each participant was matched, lists the guest as unmatched, ignores the organizer', () => {
    const proposal = propose(parse([{ name: 'r.csv', bytes: utf16WithBom(currentUs) }]));
    const by = Object.fromEntries(proposal.marks.map((mark) => [mark.registrationId, mark.matchedFrom.map((row) => row.by)]));
    expect(by).toEqual({ 'r-asel': ['email'], 'r-nurlan': ['email'], 'r-bolat': ['upn'], 'r-aigul': [] });
    expect(proposal.unmatched).toEqual([
      expect.objectContaining({ name: 'Guest Visitor (Guest)', reason: 'no_match', minutes: 30, line: 15, role: 'attendee' }),
    ]);
    expect(proposal.ignored).toEqual([expect.objectContaining({ name: 'Trainer Almaty', reason: 'organizer', minutes: 90 })]);
    expect(proposal.notFound).toEqual(['r-aigul']);
  });

  it('reads the same report saved as UTF-8, with or without a BOM, exactly alike', () => {
    const reference16 = minutesOf(parse([{ name: 'a.csv', bytes: utf16WithBom(currentUs) }]));
    expect(minutesOf(parse([{ name: 'b.csv', bytes: utf8(currentUs, true) }]))).toEqual(reference16);
    expect(minutesOf(parse([{ name: 'c.csv', bytes: utf8(currentUs) }]))).toEqual(reference16);
  });

  it('reads day-first dates and a 24-hour clock, and the other header spellings of other versions', () => {
    const dayFirst = tsv([
      ['1. Summary'],
      ['Meeting Title', 'Session 2'],
      ['Start Time', '26/11/26, 15:55:02'],
      ['End Time', '26/11/26, 17:41:10'],
      [],
      ['2. Participants'],
      ['Name', 'First join', 'Last leave', 'In-meeting duration', 'Email', 'Participant ID (UPN)', 'Role'],
      ['Кайраткызы Асел', '26/11/26, 16:02:00', '26/11/26, 17:35:00', '1h 33m', '', '', 'Attendee'],
      [],
      ['3. In-Meeting activities'],
      ['Name', 'Join time', 'Leave time', 'Duration', 'Email', 'Role'],
      // Word order swapped and no Kazakh letters: the name still finds Әсел Қайратқызы.
      ['Кайраткызы Асел', '26/11/26, 16:02:00', '26/11/26, 16:30:00', '28m', '', 'Attendee'],
      ['Кайраткызы Асел', '26/11/26, 16:25:00', '26/11/26, 17:35:00', '1h 10m', '', 'Attendee'],
    ]);
    const parsed = parse([{ name: 'r.csv', bytes: utf16WithBom(dayFirst) }]);
    expect(parsed.meetings[0]!.start).toBe(Date.parse('2026-11-26T10:55:02Z'));
    const asel = propose(parsed).marks.find((mark) => mark.registrationId === 'r-asel')!;
    expect(asel).toMatchObject({ minutes: 88, status: 'present', matchedFrom: [{ by: 'name', line: 8 }] });
  });

  it('reads Russian headers with dotted dates, and Kazakh headers with month names', () => {
    const russian = tsv([
      ['1. Сводка'],
      ['Название собрания', 'Занятие 2'],
      ['Время начала', '26.11.2026, 15:55:02'],
      ['Время окончания', '26.11.2026, 17:41:10'],
      [],
      ['2. Участники'],
      ['Имя', 'Первое присоединение', 'Последний выход', 'Длительность участия в собрании', 'Адрес электронной почты', 'ИД участника (UPN)', 'Роль'],
      ['Нұрлан Серікұлы Әбенов', '26.11.2026, 16:10:00', '26.11.2026, 17:00:00', '50 мин', 'nurlan@school.kz', 'nurlan@school.kz', 'Участник'],
      ['Организатор Курса', '26.11.2026, 15:55:02', '26.11.2026, 17:41:10', '1 ч 46 мин', 'org@demo.kz', 'org@demo.kz', 'Организатор'],
      [],
      ['3. Действия в собрании'],
      ['Имя', 'Время присоединения', 'Время выхода', 'Длительность', 'Адрес электронной почты', 'Роль'],
      ['Нұрлан Серікұлы Әбенов', '26.11.2026, 16:10:00', '26.11.2026, 17:00:00', '50 мин', 'nurlan@school.kz', 'Участник'],
    ]);
    const kazakh = tsv([
      ['1. Қорытынды'],
      ['Жиналыс атауы', '2-сабақ'],
      ['Басталу уақыты', '2026 ж. 26 қараша, 15:55:02'],
      ['Аяқталу уақыты', '2026 ж. 26 қараша, 17:41:10'],
      [],
      ['2. Қатысушылар'],
      ['Аты', 'Алғашқы қосылу', 'Соңғы шығу', 'Жиналыстағы ұзақтығы', 'Электрондық пошта', 'Қатысушы идентификаторы (UPN)', 'Рөлі'],
      ['Айгүл Оспанова', '2026 ж. 26 қараша, 16:00:00', '2026 ж. 26 қараша, 17:15:00', '1 сағ 15 мин', 'aigul@school.kz', 'aigul@school.kz', 'Қатысушы'],
      [],
      ['3. Жиналыстағы әрекеттер'],
      ['Аты', 'Қосылу уақыты', 'Шығу уақыты', 'Ұзақтығы', 'Электрондық пошта', 'Рөлі'],
      ['Айгүл Оспанова', '26 қараша 2026 ж., 16:00:00', '26 қараша 2026 ж., 17:15:00', '1 сағ 15 мин', 'aigul@school.kz', 'Қатысушы'],
    ]);
    const ru = propose(parse([{ name: 'ru.csv', bytes: utf16WithBom(russian) }]));
    expect(ru.marks.find((mark) => mark.registrationId === 'r-nurlan')).toMatchObject({ minutes: 50, status: 'absent' });
    expect(ru.ignored).toEqual([expect.objectContaining({ name: 'Организатор Курса', reason: 'organizer' })]);
    const kk = propose(parse([{ name: 'kk.csv', bytes: utf8(kazakh, true) }]));
    expect(kk.marks.find((mark) => mark.registrationId === 'r-aigul')).toMatchObject({ minutes: 75, status: 'present' });
  });

  it('settles an ambiguous day/month order by the session the report is imported into', () => {
    // Every date here has a day ≤ 12: 05/11/26 is 5 November or May 11th.
    const ambiguous = tsv([
      ['1. Summary'],
      ['Start time', '05/11/26, 09:00:00'],
      ['End time', '05/11/26, 10:00:00'],
      [],
      ['3. In-Meeting Activities'],
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', '05/11/26, 09:00:00', '05/11/26, 10:00:00', '1h', 'aigul@school.kz', 'Attendee'],
    ]);
    const bytes = utf16WithBom(ambiguous);
    const november = parse([{ name: 'r.csv', bytes }], Date.parse('2026-11-05T04:00:00Z'));
    expect(november.meetings[0]!.start).toBe(Date.parse('2026-11-05T04:00:00Z'));
    const may = parse([{ name: 'r.csv', bytes }], Date.parse('2026-05-11T04:00:00Z'));
    expect(may.meetings[0]!.start).toBe(Date.parse('2026-05-11T04:00:00Z'));
  });

  it('joins the reports of a restarted meeting, in two files or one after another in one file', () => {
    const first = tsv([
      ['1. Summary'],
      ['Start time', '11/26/26, 3:55:00 PM'],
      ['End time', '11/26/26, 4:40:00 PM'],
      [],
      ['3. In-Meeting Activities'],
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', '11/26/26, 4:02:00 PM', '11/26/26, 4:40:00 PM', '38m', 'aigul@school.kz', 'Attendee'],
    ]);
    const second = tsv([
      ['1. Summary'],
      ['Start time', '11/26/26, 4:45:00 PM'],
      ['End time', '11/26/26, 5:35:00 PM'],
      [],
      ['3. In-Meeting Activities'],
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', '11/26/26, 4:46:00 PM', '11/26/26, 5:35:00 PM', '49m', 'aigul@school.kz', 'Attendee'],
    ]);
    const twoFiles = parse([
      { name: 'part 1.csv', bytes: utf16WithBom(first) },
      { name: 'part 2.csv', bytes: utf16WithBom(second) },
    ]);
    expect(twoFiles.meetings.map((meeting) => meeting.file)).toEqual([0, 1]);
    // 16:02–16:40 and 16:46–17:30: 38 + 44.
    expect(minutesOf(twoFiles)['r-aigul']).toEqual([82, 'present']);
    const oneFile = parse([{ name: 'both.csv', bytes: utf16WithBom(first + '\r\n' + second) }]);
    expect(oneFile.meetings).toHaveLength(2);
    expect(minutesOf(oneFile)['r-aigul']).toEqual([82, 'present']);
  });

  it('lists the rows it cannot read with their line numbers, and still counts the others', () => {
    const broken = tsv([
      ['1. Summary'],
      ['Start time', '11/26/26, 3:55:00 PM'],
      ['End time', '11/26/26, 5:40:00 PM'],
      [],
      ['3. In-Meeting Activities'],
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', '11/26/26, 4:00:00 PM', '11/26/26, 5:30:00 PM', '1h 30m', 'aigul@school.kz', 'Attendee'],
      ['Болат Жақсылықов', 'yesterday', '11/26/26, 5:30:00 PM', '', 'bolat@school.kz', 'Attendee'],
      ['Әсел Қайратқызы', '11/26/26, 5:30:00 PM', '11/26/26, 4:00:00 PM', '', 'asel@school.kz', 'Attendee'],
      ['', '11/26/26, 4:00:00 PM', '11/26/26, 5:30:00 PM', '', '', 'Attendee'],
    ]);
    const parsed = parse([{ name: 'broken.csv', bytes: utf16WithBom(broken) }]);
    expect(parsed.unreadable.map(({ file, fileName, line }) => ({ file, fileName, line }))).toEqual([
      { file: 0, fileName: 'broken.csv', line: 8 },
      { file: 0, fileName: 'broken.csv', line: 9 },
      { file: 0, fileName: 'broken.csv', line: 10 },
    ]);
    expect(parsed.unreadable.map((row) => [row.reason, row.value])).toEqual([
      ['unknown_time', 'yesterday'],
      ['leave_before_join', undefined],
      ['no_name', undefined],
    ]);
    expect(parsed.unreadable.map((row) => row.problem)).toEqual([
      'the time "yesterday" is not a date and time this reader knows',
      'the leave time is before the join time',
      'the row has no name',
    ]);
    expect(minutesOf(parsed)['r-aigul']).toEqual([90, 'present']);
  });
});

describe('the 2021 Teams format and re-saved files', () => {
  it('reads "Meeting Summary" with one Full Name/Join Time/Leave Time table, re-saved by Excel as comma-separated UTF-8', () => {
    const resaved = [
      'Meeting Summary',
      'Total Number of Participants,3',
      'Meeting Title,"Сабақ 2, онлайн"',
      'Meeting Start Time,"11/26/2026, 3:58:00 PM"',
      'Meeting End Time,"11/26/2026, 5:35:00 PM"',
      '',
      'Full Name,Join Time,Leave Time,Duration,Email,Role,Participant ID (UPN)',
      'Болат Жақсылықов,"11/26/2026, 4:00:00 PM","11/26/2026, 5:35:00 PM",1h 35m,,Attendee,bolat@school.kz',
      '"Оспанова, Айгүл","11/26/2026, 4:15:00 PM","11/26/2026, 5:35:00 PM",1h 20m,,Attendee,',
      'Trainer Almaty,"11/26/2026, 3:58:00 PM","11/26/2026, 5:35:00 PM",1h 37m,trainer@demo.kz,Presenter,trainer@demo.kz',
    ].join('\n');
    const parsed = parse([{ name: 'attendance.csv', bytes: utf8(resaved, true) }]);
    expect(parsed.meetings).toEqual([
      { file: 0, format: 'sections', title: 'Сабақ 2, онлайн', start: Date.parse('2026-11-26T10:58:00Z'), end: Date.parse('2026-11-26T12:35:00Z') },
    ]);
    const proposal = propose(parsed);
    expect(minutesOf(parsed)).toMatchObject({ 'r-bolat': [90, 'present'], 'r-aigul': [75, 'present'] });
    expect(proposal.marks.find((mark) => mark.registrationId === 'r-bolat')!.matchedFrom.map((row) => row.by)).toEqual(['upn']);
    expect(proposal.ignored).toEqual([expect.objectContaining({ name: 'Trainer Almaty', reason: 'presenter' })]);
  });

  it('reads Russian dates with month names', () => {
    const russian = tsv([
      ['Имя', 'Время присоединения', 'Время выхода', 'Длительность', 'Адрес электронной почты', 'Роль'],
      ['Айгүл Оспанова', '26 нояб. 2026 г., 16:00:00', '26 ноября 2026 г., 17:00:00', '1 ч', 'aigul@school.kz', 'Участник'],
    ]);
    expect(minutesOf(parse([{ name: 'r.csv', bytes: utf16WithBom(russian) }]))['r-aigul']).toEqual([60, 'absent']);
  });
});

describe('the older Teams format, one row per event', () => {
  const events = tsv([
    ['Full Name', 'User Action', 'Timestamp'],
    ['Trainer Almaty', 'Joined', '11/26/2026, 3:50:00 PM'],
    ['Айгүл Оспанова', 'Joined before', '11/26/2026, 3:58:00 PM'],
    ['Болат Жақсылықов', 'Joined', '11/26/2026, 4:05:00 PM'],
    // A second device joins while the first is in: counted once.
    ['Болат Жақсылықов', 'Joined', '11/26/2026, 4:10:00 PM'],
    ['Болат Жақсылықов', 'Left', '11/26/2026, 4:20:00 PM'],
    ['Болат Жақсылықов', 'Left', '11/26/2026, 5:25:00 PM'],
    ['Айгүл Оспанова', 'Left', '11/26/2026, 4:30:00 PM'],
    ['Айгүл Оспанова', 'Joined', '11/26/2026, 4:40:00 PM'],
    ['Незнакомый Гость', 'Joined', '11/26/2026, 4:00:00 PM'],
    ['Незнакомый Гость', 'Left', '11/26/2026, 4:45:00 PM'],
    ['Әсел Қайратқызы', 'Left', '11/26/2026, 4:00:00 PM'],
    ['Trainer Almaty', 'Left', '11/26/2026, 5:40:00 PM'],
  ]);

  it('pairs joins and leaves per person, keeps an open join to the end of the list, and flags a lone "Left"', () => {
    const parsed = parse([{ name: 'meetingAttendanceList.csv', bytes: utf16WithBom(events) }]);
    expect(parsed.meetings).toEqual([
      { file: 0, format: 'events', start: Date.parse('2026-11-26T10:50:00Z'), end: Date.parse('2026-11-26T12:40:00Z') },
    ]);
    expect(parsed.unreadable).toEqual([
      { file: 0, fileName: 'meetingAttendanceList.csv', line: 12, reason: 'left_without_join', problem: 'a "Left" with no "Joined" before it' },
    ]);
    const proposal = propose(parsed, { 'name:trainer almaty': null });
    const marks = Object.fromEntries(proposal.marks.map((mark) => [mark.registrationId, [mark.minutes, mark.status, mark.matchedFrom.map((row) => row.by)]]));
    expect(marks).toEqual({
      // 16:00–16:30 and 16:40–(end of list 17:40, cut at 17:30): 30 + 50.
      'r-aigul': [80, 'present', ['name']],
      // 16:05–17:25 with two devices, once: 80.
      'r-bolat': [80, 'present', ['name']],
      'r-asel': [0, 'absent', ['name']],
      'r-nurlan': [0, 'absent', []],
    });
    expect(proposal.unmatched).toEqual([expect.objectContaining({ name: 'Незнакомый Гость', minutes: 45, reason: 'no_match' })]);
    // The trainer's row has no role in this format; the trainer excluded it by hand.
    expect(proposal.ignored).toEqual([expect.objectContaining({ name: 'Trainer Almaty', reason: 'excluded' })]);
  });
});

describe('a report of a large training', () => {
  it('reads 1,000 participants with 4 intervals each (the size the route admits) in seconds, every minute right', () => {
    const people = 1000;
    const big: RosterEntry[] = Array.from({ length: people }, (_, index) => ({
      registrationId: `r${index}`,
      fullName: `Қатысушы ${index} Тестұлы`,
      email: `p${index}@school.kz`,
    }));
    const us = (minute: number) => {
      const total = 15 * 60 + 55 + minute;
      const hour = Math.floor(total / 60);
      return `11/26/26, ${((hour + 11) % 12) + 1}:${String(total % 60).padStart(2, '0')}:00 ${hour >= 12 ? 'PM' : 'AM'}`;
    };
    const rows: string[][] = [];
    for (let index = 0; index < people; index++) {
      // Four visits of 20 minutes each, 5 minutes apart, shifted per person: minutes 5–100 after 15:55.
      const offset = index % 10;
      for (let visit = 0; visit < 4; visit++) {
        const from = 5 + offset + visit * 25;
        rows.push([big[index]!.fullName, us(from), us(from + 20), '20m', big[index]!.email, 'Attendee']);
      }
    }
    const text = tsv([
      ['1. Summary'],
      ['Start time', us(0)],
      ['End time', us(140)],
      [],
      ['3. In-Meeting Activities'],
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ...rows,
    ]);
    const bytes = utf16WithBom(text);
    // Base64 of this in a JSON body must fit the route's 5 MB.
    expect(Math.ceil(bytes.length / 3) * 4).toBeLessThan(5 * 1024 * 1024);
    const began = performance.now();
    const parsed = parse([{ name: 'big.csv', bytes }]);
    const proposal = proposeAttendance({ session, completionThreshold: 0.8, roster: big, attendees: parsed.attendees });
    // Generous, as test machines are shared; about 0.5 s unloaded.
    expect(performance.now() - began).toBeLessThan(6000);
    expect(parsed.unreadable).toEqual([]);
    // Session 16:00–17:30 is minutes 5–95 after 15:55; visits start at 5 + offset.
    for (const mark of proposal.marks) {
      const offset = Number(mark.registrationId.slice(1)) % 10;
      const visits = [0, 1, 2, 3].map((visit) => [5 + offset + visit * 25, 25 + offset + visit * 25] as const);
      const expected = visits.reduce((total, [from, to]) => total + Math.max(0, Math.min(to, 95) - Math.max(from, 5)), 0);
      expect(mark.minutes, mark.registrationId).toBe(expected);
    }
  });
});

describe('files that are not Teams reports', () => {
  it('refuses a registrations CSV, naming the expected format', () => {
    const csv = utf8('fullName,email\nАйгүл Оспанова,aigul@school.kz\n');
    expect(() => parse([{ name: 'roster.csv', bytes: csv }])).toThrow(ValidationError);
    try {
      parse([{ name: 'roster.csv', bytes: csv }]);
    } catch (error) {
      expect((error as ValidationError).message).toMatch(/"roster\.csv" is not a Microsoft Teams attendance report/);
      expect((error as ValidationError).message).toMatch(/Join Time/);
      expect((error as ValidationError).fields).toHaveProperty(['files.0']);
    }
  });

  it('refuses bytes that are neither UTF-16 nor UTF-8 text, and a report whose every row is unreadable', () => {
    expect(() => parse([{ name: 'x.xlsx', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0xff, 0xd8, 0xc3, 0x28]) }])).toThrow(/not UTF-16 or UTF-8/);
    const unreadable = tsv([
      ['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'],
      ['Айгүл Оспанова', 'soon', 'later', '', 'aigul@school.kz', 'Attendee'],
    ]);
    expect(() => parse([{ name: 'r.csv', bytes: utf16WithBom('') }])).toThrow(ValidationError);
    expect(() => parse([{ name: 'r.csv', bytes: utf16WithBom(unreadable) }])).toThrow(/none of its rows/);
  });
});

describe('whatever is uploaded', () => {
  const fragments = [
    '1. Summary', 'Start time', 'End time', 'Name', 'Join Time', 'Leave Time', 'First Join', 'Last Leave', 'Email',
    'Full Name', 'User Action', 'Timestamp', 'Joined', 'Left', 'Role', 'Organizer', '11/26/26, 4:02:00 PM', '26.11.2026, 16:02',
    '31/02/26, 25:61:00', '2026 ж. 26 қараша, 16:00:00', '', '"', 'Әсел', 'a@b.kz',
  ];
  const dates = ['11/26/26, 4:02:00 PM', '11/26/26, 5:10:00 PM', '26.11.2026, 16:30', 'soon', ''];
  const line = fc.oneof(
    fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 8 }),
    fc.constantFrom(['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'], ['Full Name', 'User Action', 'Timestamp'], ['1. Summary'], []),
    fc.tuple(fc.constantFrom('Әсел Қайратқызы', 'Guest', ''), fc.constantFrom(...dates, 'Joined', 'Left'), fc.constantFrom(...dates), fc.constant(''), fc.constantFrom('asel@school.kz', '')).map((cells) => [...cells]),
  );

  it('is read into meetings and rows or refused with a 400, never another error', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), fc
        .tuple(fc.constantFrom(['Name', 'Join Time', 'Leave Time', 'Duration', 'Email', 'Role'], ['Full Name', 'User Action', 'Timestamp'], []), fc.array(line, { maxLength: 30 }))
        .map(([header, rows]) => utf16WithBom(tsv([header, ...rows])))), (bytes) => {
        try {
          const parsed = parse([{ name: 'fuzz.csv', bytes }]);
          proposeAttendance({ session, completionThreshold: 0.8, roster, attendees: parsed.attendees });
          read++;
          return parsed.meetings.every((meeting) => Number.isFinite(meeting.start) && Number.isFinite(meeting.end));
        } catch (error) {
          return error instanceof ValidationError;
        }
      }),
      { numRuns: 400 },
    );
    // The generator reaches the reader's inside, not only its first refusal.
    expect(read).toBeGreaterThan(0);
  });
});

describe('matching names', () => {
  it('folds Kazakh and Russian letters, Latin spellings, case and word order', () => {
    expect(normalizedName('Әсел ҚАЙРАТҚЫЗЫ')).toBe(normalizedName('Кайраткызы Асел'));
    expect(normalizedName('Asel Qairatqyzy')).toBe(normalizedName('Әсел Қайратқызы'));
    expect(normalizedName('Ұлжан Үсенова (школа №12)')).toBe(normalizedName('Улжан Усенова'));
    expect(normalizedName('Һадиша Іскакова')).toBe(normalizedName('Хадиша Искакова'));
    expect(normalizedName('Айгүл Оспанова')).not.toBe(normalizedName('Айгүл Оспан'));
  });

  it('matches two words of a three-word name only when one participant fits, and says when a name is ambiguous', () => {
    expect(matchAttendee({ name: 'Нурлан Абенов' }, roster)).toEqual({ kind: 'matched', registrationId: 'r-nurlan', by: 'name-partial' });
    const twins: RosterEntry[] = [
      { registrationId: 'a', fullName: 'Айгүл Оспанова', email: 'a@x.kz' },
      { registrationId: 'b', fullName: 'Оспанова Айгүл', email: 'b@x.kz' },
    ];
    expect(matchAttendee({ name: 'Айгул Оспанова' }, twins)).toEqual({ kind: 'ambiguous', candidates: ['a', 'b'] });
    expect(matchAttendee({ name: 'Айгул Оспанова', email: 'B@x.kz' }, twins)).toEqual({ kind: 'matched', registrationId: 'b', by: 'email' });
    expect(matchAttendee({ name: 'Айгүл' }, twins)).toEqual({ kind: 'unmatched' });
  });

  it('lets the trainer assign an unmatched row, merging it with the same person\'s other device', () => {
    const parsed = parse([{ name: 'r.csv', bytes: utf16WithBom(currentUs) }]);
    // The "guest" was Bolat on his phone (16:10–16:40), which fills part of his gap (16:20–16:50).
    const proposal = propose(parsed, { 'name:guest visitor (guest)': 'r-bolat' });
    expect(proposal.unmatched).toEqual([]);
    const bolat = proposal.marks.find((mark) => mark.registrationId === 'r-bolat')!;
    expect(bolat.minutes).toBe(80);
    expect(bolat.status).toBe('present');
    expect(bolat.matchedFrom.map((row) => row.by)).toEqual(['upn', 'manual']);
  });
});

describe('minutes and the threshold', () => {
  it('merges overlapping intervals and cuts them to the session', () => {
    const at = (time: string) => Date.parse(`2026-11-26T${time}:00Z`);
    expect(
      clippedMerged(
        [
          { start: at('10:00'), end: at('11:30') },
          { start: at('11:20'), end: at('11:40') },
          { start: at('12:00'), end: at('13:00') },
          { start: at('13:00'), end: at('14:00') },
        ],
        session,
      ),
    ).toEqual([
      { start: at('11:00'), end: at('11:40') },
      { start: at('12:00'), end: at('12:30') },
    ]);
    expect(minutesPresent([{ start: at('09:00'), end: at('10:59') }], session)).toBe(0);
  });

  it('is present exactly at the threshold and absent a minute below it', () => {
    expect(sessionStatusFromMinutes(session, 0.8, 72)).toBe('present');
    expect(sessionStatusFromMinutes(session, 0.8, 71)).toBe('absent');
    expect(sessionStatusFromMinutes(session, 0, 0)).toBe('absent');
    expect(sessionStatusFromMinutes(session, 0, 1)).toBe('present');
  });

  it('reads the durations Teams writes in each language', () => {
    expect(parseDurationMs('1h 2m 28s')).toBe(3_748_000);
    expect(parseDurationMs('1 ч 2 мин 28 с')).toBe(3_748_000);
    expect(parseDurationMs('1 сағ 2 мин')).toBe(3_720_000);
    expect(parseDurationMs('01:02:28')).toBe(3_748_000);
    expect(parseDurationMs('soon')).toBeUndefined();
  });
});
