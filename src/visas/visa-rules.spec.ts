import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkVisaDraft, decisionDueAt, parseVisaRules, plusMonths, VisaDraft, VisaRules, visaFee, workingDays, zonedInstant } from './visa-rules';

const RULES: VisaRules = parseVisaRules(JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'states', 'uz.visa.json'), 'utf8')), 'uz.visa.json');
const CALENDAR = { weekend: [6, 0], holidays: ['2026-12-08', '2027-01-01'] };

const DRAFT: VisaDraft = {
  visaType: 'tourist',
  entries: 'single',
  arrivalDate: '2026-12-10',
  stayDays: 14,
  people: [{ path: '', nationality: 'DEU', passport: { number: 'C01X00T47', issueDate: '2020-01-01', expiryDate: '2030-01-01' } }],
};

describe('working days', () => {
  it('counts across a weekend and a public holiday', () => {
    // Friday 4 December 2026; Saturday 5 and Sunday 6 are the weekend, Tuesday 8 December (Constitution Day) a holiday.
    expect(workingDays.add('2026-12-04', 1, CALENDAR)).toBe('2026-12-07');
    expect(workingDays.add('2026-12-04', 2, CALENDAR)).toBe('2026-12-09');
    expect(workingDays.add('2026-12-04', 3, CALENDAR)).toBe('2026-12-10');
    // Filed on a Saturday: Monday is the first working day after it.
    expect(workingDays.add('2026-12-05', 1, CALENDAR)).toBe('2026-12-07');
    // New Year's Day 2027 is a Friday: from Thursday 31 December (a working day here), two working days are 4 and 5 January.
    expect(workingDays.add('2026-12-31', 2, CALENDAR)).toBe('2027-01-05');
    expect(workingDays.add('2026-12-04', 0, CALENDAR)).toBe('2026-12-04');
    expect(workingDays.isWorkingDay('2026-12-08', CALENDAR)).toBe(false);
    expect(workingDays.isWorkingDay('2026-12-09', CALENDAR)).toBe(true);
  });

  it('puts the decision deadline at the decision time of the second working day after the filing day, in the mission’s zone', () => {
    // Filed Friday 4 December 2026 at 22:30 in Tashkent (UTC+5) = 17:30 UTC; due Wednesday 9 December 18:00 Tashkent.
    const due = decisionDueAt(new Date('2026-12-04T17:30:00Z'), RULES, 'Asia/Tashkent');
    expect(due.toISOString()).toBe('2026-12-09T13:00:00.000Z');
    // Sunday 23:30 in Tashkent counts from Sunday (Monday 7, Wednesday 9); 00:30 on Monday counts from Monday (Wednesday 9, Thursday 10).
    expect(decisionDueAt(new Date('2026-12-06T18:30:00Z'), RULES, 'Asia/Tashkent').toISOString()).toBe('2026-12-09T13:00:00.000Z');
    expect(decisionDueAt(new Date('2026-12-06T19:30:00Z'), RULES, 'Asia/Tashkent').toISOString()).toBe('2026-12-10T13:00:00.000Z');
  });

  it('turns a wall-clock time into an instant across a clock change', () => {
    expect(zonedInstant('2026-07-01', '18:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T16:00:00.000Z');
    expect(zonedInstant('2026-12-01', '18:00', 'Europe/Berlin').toISOString()).toBe('2026-12-01T17:00:00.000Z');
  });
});

describe('visa rules', () => {
  it('reads the state’s data file: a 30-day single-entry tourist visa, valid 90 days, 20 USD', () => {
    expect(RULES.visaTypes.tourist).toMatchObject({ entries: ['single'], maximumStayDays: 30, validityDays: 90, fees: { single: 2000 } });
    expect(RULES.currency).toBe('USD');
    expect(Object.keys(RULES.visaTypes)).toEqual(expect.arrayContaining(['tourist', 'business', 'transit']));
    expect(RULES.calendar.holidays).toEqual(expect.arrayContaining(['2026-12-08', '2027-01-01']));
  });

  it('refuses a malformed data file, naming what is wrong', () => {
    expect(() => parseVisaRules({ ...RULES, currency: 'usd' }, 'x.json')).toThrow(/x.json: currency/);
    expect(() => parseVisaRules({ ...RULES, visaTypes: { tourist: { ...RULES.visaTypes.tourist, fees: {} } } }, 'x.json')).toThrow(/fees/);
  });

  it('accepts a draft within the rules', () => {
    expect(checkVisaDraft(DRAFT, RULES, '2026-12-01')).toEqual([]);
  });

  it('lists every problem with its field', () => {
    const problems = checkVisaDraft(
      {
        visaType: 'tourist',
        entries: 'multiple',
        arrivalDate: '2026-12-02',
        stayDays: 31,
        people: [
          DRAFT.people[0],
          { path: 'companions[0].', nationality: 'PRK', passport: { number: 'X1', issueDate: '2027-01-01', expiryDate: '2027-02-01' } },
        ],
      },
      RULES,
      '2026-12-01',
    );
    expect(problems.map((p) => p.field)).toEqual([
      'entries',
      'stayDays',
      'arrivalDate',
      'companions[0].nationality',
      'companions[0].passport.issueDate',
      'companions[0].passport.expiryDate',
    ]);
    expect(problems.find((p) => p.field === 'companions[0].nationality')?.message).toMatch(/PRK passports cannot apply for an e-visa/);
  });

  it('needs the minimum lead time in working days and refuses arrivals more than 90 days ahead', () => {
    // Filed Friday 4 December 2026: three working days are Monday 7, Wednesday 9 (Tuesday 8 is a holiday), Thursday 10.
    expect(checkVisaDraft({ ...DRAFT, arrivalDate: '2026-12-09' }, RULES, '2026-12-04').map((p) => p.field)).toEqual(['arrivalDate']);
    expect(checkVisaDraft({ ...DRAFT, arrivalDate: '2026-12-10' }, RULES, '2026-12-04')).toEqual([]);
    expect(checkVisaDraft({ ...DRAFT, arrivalDate: '2027-03-04', people: [{ ...DRAFT.people[0] }] }, RULES, '2026-12-04')).toEqual([]);
    expect(checkVisaDraft({ ...DRAFT, arrivalDate: '2027-03-05' }, RULES, '2026-12-04')[0].message).toMatch(/at most 90 days ahead/);
  });

  it('needs the passport valid three months after the stay ends', () => {
    // 14 days from 10 December end on 23 December: the passport must be valid until 23 March 2027.
    const passport = (expiryDate: string) => ({ ...DRAFT, people: [{ ...DRAFT.people[0], passport: { ...DRAFT.people[0].passport, expiryDate } }] });
    expect(checkVisaDraft(passport('2027-03-23'), RULES, '2026-12-01')).toEqual([]);
    expect(checkVisaDraft(passport('2027-03-22'), RULES, '2026-12-01')).toEqual([{ field: 'passport.expiryDate', message: expect.stringMatching(/until 2027-03-23/) }]);
    expect(plusMonths('2026-11-30', 3)).toBe('2027-02-28');
  });

  it('prices by type and entries, per person', () => {
    expect(visaFee(RULES, 'tourist', 'single', 3)).toEqual({ amount: 6000, currency: 'USD' });
    expect(visaFee(RULES, 'business', 'multiple', 1)).toEqual({ amount: 8000, currency: 'USD' });
    expect(visaFee(RULES, 'tourist', 'multiple', 1)).toBeNull();
    expect(visaFee(RULES, 'toString', 'single', 1)).toBeNull();
  });
});
