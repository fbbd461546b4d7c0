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
