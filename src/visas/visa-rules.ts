import type { LocalizedText } from '../config/issuing-state';
import { VISA_ENTRIES, VisaEntries } from './visa-application.entity';

/** One visa type of the issuing state: the entries it allows, how long a stay and its validity, its fee per entries. */
export interface VisaTypeRules {
  name: LocalizedText;
  entries: VisaEntries[];
  maximumStayDays: number;
  /** Days the visa is valid from its issue. */
  validityDays: number;
  /** Fee per allowed entries, in minor units of the rules' currency. */
  fees: Partial<Record<VisaEntries, number>>;
}

/** Working days: the weekend (0 Sunday … 6 Saturday) and public holidays (ISO dates). */
export interface WorkingCalendar {
  weekend: number[];
  holidays: string[];
}

/** Where submitted applications are processed: one central unit, or the mission serving the country of residence. */
export interface VisaRouting {
  mode: 'central' | 'by-residence';
  /** Processes everything (central), or what no mission's jurisdiction covers (by-residence). */
  centralMissionCode: string;
}

/** The e-visa rules of an issuing state, as read from data/states/<code>.visa.json. */
export interface VisaRules {
  currency: string;
  processingWorkingDays: number;
  minimumLeadWorkingDays: number;
  maximumDaysAhead: number;
  passportValidMonthsAfterStay: number;
  maximumCompanions: number;
  /** Local time (HH:MM) at the processing mission when a decision is due on its due day. */
  decisionTime: string;
  routing: VisaRouting;
  calendar: WorkingCalendar;
  visaTypes: Record<string, VisaTypeRules>;
  /** ISO 3166-1 alpha-3 codes whose holders may apply. */
  eligibleNationalities: string[];
  /** Reason codes a refusal gives, with the text shown to the applicant per language. */
  rejectionReasons: Record<string, LocalizedText>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The rules from the data file's JSON, or an error naming what is wrong (the portal does not start without them). */
export function parseVisaRules(raw: unknown, source: string): VisaRules {
  const fail = (what: string): never => {
    throw new Error(`Invalid visa rules in ${source}: ${what}`);
  };
  const r = raw as VisaRules;
  if (!r || typeof r !== 'object') fail('not a JSON object');
  if (!/^[A-Z]{3}$/.test(r.currency)) fail('currency must be an ISO 4217 code');
  for (const key of ['processingWorkingDays', 'minimumLeadWorkingDays', 'maximumDaysAhead', 'passportValidMonthsAfterStay', 'maximumCompanions'] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 0) fail(`${key} must be a whole number`);
  }
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(r.decisionTime)) fail('decisionTime must be HH:MM');
  if (!r.routing || !['central', 'by-residence'].includes(r.routing.mode) || !r.routing.centralMissionCode) fail('routing needs a mode and a centralMissionCode');
  if (!r.calendar || !Array.isArray(r.calendar.weekend) || !r.calendar.weekend.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
    fail('calendar.weekend must list days 0 (Sunday) to 6');
  }
  if (!Array.isArray(r.calendar.holidays) || !r.calendar.holidays.every((d) => ISO_DATE.test(d))) fail('calendar.holidays must be ISO dates');
  const types = Object.entries(r.visaTypes ?? {});
  if (types.length === 0) fail('visaTypes is empty');
  for (const [code, type] of types) {
    if (!Array.isArray(type.entries) || type.entries.length === 0 || !type.entries.every((e) => (VISA_ENTRIES as readonly string[]).includes(e))) {
      fail(`visaTypes.${code}.entries must list single, double or multiple`);
    }
    if (!type.entries.every((e) => Number.isInteger(type.fees?.[e]) && (type.fees[e] ?? -1) >= 0)) fail(`visaTypes.${code}.fees needs a fee for each of its entries`);
    if (!Number.isInteger(type.maximumStayDays) || type.maximumStayDays < 1) fail(`visaTypes.${code}.maximumStayDays must be positive`);
    if (!Number.isInteger(type.validityDays) || type.validityDays < 1) fail(`visaTypes.${code}.validityDays must be positive`);
    if (!type.name?.en) fail(`visaTypes.${code}.name needs English`);
  }
  if (!Array.isArray(r.eligibleNationalities) || !r.eligibleNationalities.every((n) => /^[A-Z]{3}$/.test(n))) fail('eligibleNationalities must be alpha-3 codes');
  for (const [code, text] of Object.entries(r.rejectionReasons ?? {})) if (!text.en) fail(`rejectionReasons.${code} needs English`);
  return r;
}

const DAY_MS = 86_400_000;

/** Working days of a calendar: neither a weekend day nor a public holiday. */
export const workingDays = {
  isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
    return !calendar.weekend.includes(new Date(`${date}T00:00:00Z`).getUTCDay()) && !calendar.holidays.includes(date);
  },

  /** The `n`-th working day after `date` (which itself does not count); `date` when n is 0. */
  add(date: string, n: number, calendar: WorkingCalendar): string {
    let day = date;
    for (let left = n; left > 0; ) {
      day = plusDays(day, 1);
      if (workingDays.isWorkingDay(day, calendar)) left--;
    }
    return day;
  },
};

/** A YYYY-MM-DD date moved by a number of calendar days. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date moved by whole months, clamped to the month's last day (31 Aug + 3 months: 30 Nov). */
export function plusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** The calendar date of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** The instant a wall-clock time (HH:MM) of a date is in a time zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // The zone's offset at a guess, then again at the corrected instant (they differ only across a clock change).
  let instant = wall - offsetMs(new Date(wall), timeZone);
  instant = wall - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** When a decision on an application filed at `filedAt` is due: working days after the filing day, at the decision time. */
export function decisionDueAt(filedAt: Date, rules: VisaRules, timeZone: string): Date {
  const filingDay = localDate(filedAt, timeZone);
  return zonedInstant(workingDays.add(filingDay, rules.processingWorkingDays, rules.calendar), rules.decisionTime, timeZone);
}

/** One person's travel data as the rules check it. */
export interface VisaPersonDraft {
  /** Where this person's fields are in the request (`''` for the lead applicant, `companions[0].` for the first companion). */
  path: string;
  nationality: string;
  passport: { number: string; issueDate: string; expiryDate: string };
}

/** What the rules check of an application. */
export interface VisaDraft {
  visaType: string;
  entries: string;
  arrivalDate: string;
  stayDays: number;
  people: VisaPersonDraft[];
}

export interface RuleProblem {
  field: string;
  message: string;
}

/**
 * Every way an application breaks the rules, each with the field at fault: the visa type and its entries, arrival at
 * least the minimum lead time (working days) and at most the maximum days ahead of `today`, the stay within the
 * type's maximum, each nationality eligible, and each passport issued, valid on arrival and for the required months
 * after the stay ends. `today` is the filing day at the processing mission.
 */
export function checkVisaDraft(draft: VisaDraft, rules: VisaRules, today: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const type = Object.hasOwn(rules.visaTypes, draft.visaType) ? rules.visaTypes[draft.visaType] : undefined;
  if (!type) {
    problems.push({ field: 'visaType', message: `visaType must be one of ${Object.keys(rules.visaTypes).join(', ')}` });
  } else {
    if (!(type.entries as string[]).includes(draft.entries)) {
      problems.push({ field: 'entries', message: `a ${draft.visaType} visa allows ${type.entries.join(' or ')} entry, not ${draft.entries}` });
    }
    if (draft.stayDays > type.maximumStayDays) {
      problems.push({ field: 'stayDays', message: `a ${draft.visaType} visa allows a stay of at most ${type.maximumStayDays} days` });
    }
  }
  const earliest = workingDays.add(today, rules.minimumLeadWorkingDays, rules.calendar);
  const latest = plusDays(today, rules.maximumDaysAhead);
  if (draft.arrivalDate < earliest) {
    problems.push({ field: 'arrivalDate', message: `arrivalDate must be at least ${rules.minimumLeadWorkingDays} working days ahead: ${earliest} or later` });
  } else if (draft.arrivalDate > latest) {
    problems.push({ field: 'arrivalDate', message: `arrivalDate must be at most ${rules.maximumDaysAhead} days ahead: ${latest} or earlier` });
  }
  const stayEnds = plusDays(draft.arrivalDate, Math.max(draft.stayDays - 1, 0));
  const validUntil = plusMonths(stayEnds, rules.passportValidMonthsAfterStay);
  for (const person of draft.people) {
    if (!rules.eligibleNationalities.includes(person.nationality)) {
      problems.push({
        field: `${person.path}nationality`,
        message: `holders of ${person.nationality} passports cannot apply for an e-visa; please apply for a visa at a mission of the issuing state`,
      });
    }
    if (person.passport.issueDate > today) problems.push({ field: `${person.path}passport.issueDate`, message: 'passport.issueDate must not be in the future' });
    if (person.passport.expiryDate < validUntil) {
      problems.push({
        field: `${person.path}passport.expiryDate`,
        message: `the passport must be valid at least ${rules.passportValidMonthsAfterStay} months after the stay ends (${stayEnds}): until ${validUntil} or later`,
      });
    }
  }
  return problems;
}

/** The fee of an application: the type's fee for its entries, per person; null when the type does not offer them. */
export function visaFee(rules: VisaRules, visaType: string, entries: string, people: number): { amount: number; currency: string } | null {
  const type = Object.hasOwn(rules.visaTypes, visaType) ? rules.visaTypes[visaType] : undefined;
  const fee = type?.fees[entries as keyof VisaTypeRules['fees']];
  return fee === undefined ? null : { amount: fee * people, currency: rules.currency };
}
