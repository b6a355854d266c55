import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import holidaysFile from '../../config/kz-holidays.json' with { type: 'json' };
import { formatDate } from './format';
import { language, t, type MessageKey } from './i18n';
import { generateSchedule, holidayOn, type HolidayList, type Repeat, type ScheduleField, type Weekday } from './schedule';
import { draftSessionsOf, type SessionDraft } from './training-form';

const holidays: HolidayList = holidaysFile;
const weekdays: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** A public holiday on a session's date, as a warning under it: trainers may still teach then. */
export function HolidayWarning({ value }: { value: string }) {
  const holiday = value ? holidayOn(value, holidays) : undefined;
  return holiday ? html`<p class="warning" role="note">${t('schedule.holiday', { name: holiday[language()] })}</p>` : null;
}

/**
 * "Sessions that repeat": first date, time, duration, how it repeats and until when; the dates
 * shown can be removed one by one, then the list replaces the form's sessions, still editable.
 */
export function ScheduleGenerator({ onUse }: { onUse: (sessions: SessionDraft[]) => void }) {
  const [firstDate, setFirstDate] = useState('');
  const [time, setTime] = useState('10:00');
  const [duration, setDuration] = useState('180');
  const [kind, setKind] = useState<Repeat['kind']>('weekly');
  const [days, setDays] = useState<Weekday[]>([]);
  const [endKind, setEndKind] = useState<'count' | 'until'>('count');
  const [count, setCount] = useState('5');
  const [until, setUntil] = useState('');
  const [venue, setVenue] = useState('');
  const [onlineUrl, setOnlineUrl] = useState('');
  const [skip, setSkip] = useState<string[]>([]);
  const [shown, setShown] = useState(false);

  const repeat: Repeat = kind === 'weekly' ? { kind, days } : { kind };
  const result = generateSchedule({
    firstDate,
    time,
    durationMinutes: Number(duration),
    repeat,
    end: endKind === 'count' ? { count: Number(count) } : { until },
    skip,
  });
  const problem = (field: ScheduleField) =>
    shown && !result.ok && result.problems.includes(field) ? html`<p class="field-error">${t(`schedule.invalid.${field}` as MessageKey)}</p>` : null;
  const input = (label: string, name: string, type: string, value: string, onInput: (value: string) => void, field?: ScheduleField) =>
    html`<div class="field"><label for=${`schedule-${name}`}>${label}</label>
      <input id=${`schedule-${name}`} type=${type} value=${value} onInput=${(event: Event) => onInput((event.currentTarget as HTMLInputElement).value)} />
      ${field ? problem(field) : null}</div>`;

  return html`<details class="schedule-generator">
    <summary>${t('schedule.title')}</summary>
    <p class="muted">${t('schedule.help')}</p>
    <div class="row">
      ${input(t('schedule.firstDate'), 'first', 'date', firstDate, setFirstDate, 'firstDate')}
      ${input(t('schedule.time'), 'time', 'time', time, setTime, 'time')}
      ${input(t('schedule.duration'), 'duration', 'number', duration, setDuration, 'durationMinutes')}
    </div>
    <div class="field"><label for="schedule-repeat">${t('schedule.repeat')}</label>
      <select id="schedule-repeat" onChange=${(event: Event) => setKind((event.currentTarget as HTMLSelectElement).value as Repeat['kind'])}>
        ${(['daily', 'weekdays', 'weekly'] as const).map((value) => html`<option value=${value} selected=${kind === value}>${t(`schedule.repeat.${value}` as MessageKey)}</option>`)}
      </select></div>
    ${kind === 'weekly'
      ? html`<fieldset class="weekdays"><legend>${t('schedule.days')}</legend>
          ${weekdays.map((day) => html`<label><input type="checkbox" checked=${days.includes(day)}
            onChange=${(event: Event) => setDays((event.currentTarget as HTMLInputElement).checked ? [...days, day] : days.filter((other) => other !== day))} />
            ${t(`schedule.weekday.${day}` as MessageKey)}</label>`)}
          ${problem('days')}
        </fieldset>`
      : null}
    <div class="row">
      <div class="field"><label for="schedule-end">${t('schedule.end')}</label>
        <select id="schedule-end" onChange=${(event: Event) => setEndKind((event.currentTarget as HTMLSelectElement).value as 'count' | 'until')}>
          <option value="count" selected=${endKind === 'count'}>${t('schedule.end.count')}</option>
          <option value="until" selected=${endKind === 'until'}>${t('schedule.end.until')}</option>
        </select></div>
      ${endKind === 'count'
        ? input(t('schedule.count'), 'count', 'number', count, setCount, 'count')
        : input(t('schedule.until'), 'until', 'date', until, setUntil, 'until')}
    </div>
    <div class="row">
      ${input(t('form.venue'), 'venue', 'text', venue, setVenue)}
      ${input(t('form.onlineUrl'), 'online', 'url', onlineUrl, setOnlineUrl)}
    </div>
    <p><button type="button" class="secondary" onClick=${() => setShown(true)}>${t('schedule.show')}</button></p>
    ${shown && result.ok
      ? html`<div>
          <ol class="generated">${result.sessions.map((session) => {
            const holiday = holidayOn(session.date, holidays);
            return html`<li data-date=${session.date}>${formatDate(`${session.date}T12:00:00+05:00`, language())}, ${session.startsAt.slice(11)}–${session.endsAt.slice(11)}
              ${holiday ? html` <span class="warning">${t('schedule.holiday', { name: holiday[language()] })}</span>` : null}
              <button type="button" class="link-button" onClick=${() => setSkip([...skip, session.date])}>${t('schedule.remove')}</button></li>`;
          })}</ol>
          ${skip.length > 0
            ? html`<p class="muted">${t('schedule.removed', { count: skip.length })}
                <button type="button" class="link-button" onClick=${() => setSkip([])}>${t('schedule.restore')}</button></p>`
            : null}
          <button type="button" disabled=${result.sessions.length === 0} onClick=${() => onUse(draftSessionsOf(result.sessions, { venue, onlineUrl }))}>
            ${t('schedule.use', { count: result.sessions.length })}</button>
        </div>`
      : null}
  </details>`;
}
