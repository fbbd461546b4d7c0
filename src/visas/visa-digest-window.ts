import type { WorkingCalendar } from './visa-rules';

const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) at `now` in a time zone. */
export function localDate(now: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(now);
}

/** The first working day of the calendar after `date` (YYYY-MM-DD): not a weekend day, not a public holiday. */
export function nextWorkingDay(date: string, calendar: WorkingCalendar): string {
  const holidays = new Set(calendar.holidays);
  const day = new Date(`${date}T00:00:00Z`);
  // A year of days off in a row would be a broken calendar; the rules' parser refuses a week-long weekend.
  for (let i = 0; i < 366; i++) {
    day.setUTCDate(day.getUTCDate() + 1);
    const iso = day.toISOString().slice(0, 10);
    if (!calendar.weekend.includes(day.getUTCDay()) && !holidays.has(iso)) return iso;
  }
  throw new Error(`The working calendar has no working day in the year after ${date}`);
}
