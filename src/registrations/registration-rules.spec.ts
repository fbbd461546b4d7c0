import { addDays, addYears, E164_PATTERN, earliestToday, isCalendarDate, normalisePhone } from './registration-rules';

describe('registration rules', () => {
  it('normalises phone numbers as typed into E.164', () => {
    expect(normalisePhone('+49 (30) 123-456.78')).toBe('+493012345678');
    expect(normalisePhone('00998 90 123 45 67')).toBe('+998901234567');
    expect(normalisePhone('+998\u00a090\u00a01234567')).toBe('+998901234567');
    expect(E164_PATTERN.test(normalisePhone('0049 30 1234567'))).toBe(true);
    expect(E164_PATTERN.test(normalisePhone('030 1234567'))).toBe(false);
    expect(E164_PATTERN.test(normalisePhone('+0 30 1234567'))).toBe(false);
    expect(E164_PATTERN.test(normalisePhone('+49 30 1234567890123'))).toBe(false);
    expect(E164_PATTERN.test(normalisePhone('+49 30 12a4567'))).toBe(false);
  });

  it('accepts only real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(isCalendarDate('2024-1-01')).toBe(false);
    expect(isCalendarDate('2024-01-01T00:00:00Z')).toBe(false);
    expect(isCalendarDate(20240101)).toBe(false);
  });

  it('does date arithmetic on calendar dates', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addYears('2024-02-29', -130)).toBe('1894-03-01');
    expect(earliestToday(new Date('2026-05-10T01:00:00Z'))).toBe('2026-05-09');
  });
});
