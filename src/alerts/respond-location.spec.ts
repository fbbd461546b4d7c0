import { parseLocation } from './respond-location';

describe('parseLocation', () => {
  it('reads both coordinates, with a decimal point or comma and a sign', () => {
    expect(parseLocation('41.3111', '69.2797')).toEqual({ lat: 41.3111, lon: 69.2797 });
    expect(parseLocation(' -33,9249 ', '+18,4241')).toEqual({ lat: -33.9249, lon: 18.4241 });
    expect(parseLocation('90', '-180')).toEqual({ lat: 90, lon: -180 });
  });

  it('is null when both fields are empty', () => {
    expect(parseLocation(undefined, undefined)).toBeNull();
    expect(parseLocation('  ', '')).toBeNull();
  });

  it('refuses one coordinate alone, values out of range, and anything that is not a plain number', () => {
    for (const [lat, lon] of [
      ['41.3', ''],
      ['', '69.2'],
      ['90.5', '0'],
      ['0', '180.01'],
      ['1e2', '0'],
      ['0x10', '0'],
      ['NaN', '0'],
      ['41.3.1', '0'],
      ['41°18′', '69°16′'],
      ['1234', '0'],
    ]) {
      expect(parseLocation(lat, lon)).toBe('invalid');
    }
  });
});
