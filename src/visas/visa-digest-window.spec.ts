import { localDate, nextWorkingDay } from './visa-digest-window';

const UZ = { weekend: [6, 0], holidays: ['2026-12-08', '2026-12-31', '2027-01-01'] };

describe('the deadline digest window', () => {
  it('reads the date in the mission’s own time zone', () => {
    const now = new Date('2026-11-25T21:30:00Z');
    expect(localDate(now, 'Asia/Tashkent')).toBe('2026-11-26');
    expect(localDate(now, 'Europe/Berlin')).toBe('2026-11-25');
    expect(localDate(now, 'America/New_York')).toBe('2026-11-25');
  });

  it('is the next weekday', () => {
    expect(nextWorkingDay('2026-11-25', UZ)).toBe('2026-11-26');
  });

  it('skips the weekend: Friday is followed by Monday', () => {
    expect(nextWorkingDay('2026-11-27', UZ)).toBe('2026-11-30');
  });

  it('skips a holiday, and a holiday next to a weekend', () => {
    expect(nextWorkingDay('2026-12-07', UZ)).toBe('2026-12-09');
    // 31 December (Thursday) and 1 January (Friday) are holidays, then the weekend
    expect(nextWorkingDay('2026-12-30', UZ)).toBe('2027-01-04');
  });

  it('follows another weekend (Friday and Saturday)', () => {
    expect(nextWorkingDay('2026-11-26', { weekend: [5, 6], holidays: [] })).toBe('2026-11-29');
  });

  it('refuses a calendar without working days', () => {
    expect(() => nextWorkingDay('2026-11-26', { weekend: [0, 1, 2, 3, 4, 5, 6], holidays: [] })).toThrow(/no working day/);
  });
});
