/** E.164: a plus sign, a country code not starting with 0, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

/** ISO 3166-2 subdivision code, such as `DE-BE` or `US-AK`. */
export const SUBDIVISION_PATTERN = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;

/**
 * Personal identification numbers are digits only; the length depends on the state (Uzbekistan's JShShIR has 14),
 * so the portal accepts the range any state uses.
 */
export const PERSONAL_NUMBER_PATTERN = /^\d{6,20}$/;

/** Passport numbers of family members, who may hold a foreign passport: letters and digits after normalising. */
export const ANY_PASSPORT_NUMBER_PATTERN = /^[A-Z0-9]{5,20}$/;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * A phone number as people type it, in the one spelling the portal stores: spaces, dashes, dots and parentheses
 * removed, an international `00` prefix written as `+`. Whether the result is E.164 is checked separately.
 */
export function normalisePhone(value: string): string {
  const compact = value.replace(/[\s\-().\u00a0]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

/** Whether a string is a real calendar date written as YYYY-MM-DD. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The UTC calendar date of an instant, as YYYY-MM-DD. */
export function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date moved by a number of days. */
export function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** A YYYY-MM-DD date moved by a number of whole years (29 February becomes 1 March in common years). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return isoDate(new Date(Date.UTC(y + years, m - 1, d)));
}

/**
 * Today's date for checks of dates people enter. People are in every time zone, so "today" starts at the earliest
 * date anywhere on Earth (UTC−12): a departure of "today" typed in Honolulu is not refused as past.
 */
export function earliestToday(now = new Date()): string {
  return addDays(isoDate(now), -1);
}
