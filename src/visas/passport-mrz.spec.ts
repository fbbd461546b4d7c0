import { passportTd3 as td3 } from '../../test/support/passport-td3';
import { checkPassportMrz, PassportForm } from './passport-mrz';

const FORM: PassportForm = {
  number: 'C01X00T47',
  nationality: 'DEU',
  dateOfBirth: '1964-08-12',
  sex: 'F',
  expiryDate: '2033-06-30',
  surname: 'Müller',
  givenNames: 'Erika Anna',
};

/** Replaces one character of a zone (line 0 or 1, column from 0). */
function corrupt(mrz: string, line: number, column: number, char: string): string {
  const lines = mrz.split('\n');
  lines[line] = lines[line].slice(0, column) + char + lines[line].slice(column + 1);
  return lines.join('\n');
}

/**
 * ICAO Doc 9303 Part 4's specimen passport (Anna Maria Eriksson), with the fictional state UTO written as SWE: the
 * mrz package knows only real states, and no check digit covers the nationality, so every digit stays as printed.
 */
const SPECIMEN = 'P<SWEERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36SWE7408122F1204159ZE184226B<<<<<10';
const SPECIMEN_FORM: PassportForm = {
  number: 'L898902C3',
  nationality: 'SWE',
  dateOfBirth: '1974-08-12',
  sex: 'F',
  expiryDate: '2012-04-15',
  surname: 'Eriksson',
  givenNames: 'Anna Maria',
};

describe('passport MRZ against the form', () => {
  it('reads the ICAO 9303 specimen lines, and refuses them with a digit changed', () => {
    expect(checkPassportMrz(SPECIMEN, SPECIMEN_FORM, 'passport.mrz')).toEqual([]);
    // The composite check digit (last character) printed as 1 instead of 0.
    expect(checkPassportMrz(`${SPECIMEN.slice(0, -1)}1`, SPECIMEN_FORM, 'passport.mrz')).toEqual([
      { field: 'passport.mrz', message: expect.stringMatching(/check digit/i) },
    ]);
    // The personal number's check digit (position 43) printed as 2 instead of 1.
    expect(checkPassportMrz(`${SPECIMEN.slice(0, -2)}20`, SPECIMEN_FORM, 'passport.mrz').length).toBeGreaterThanOrEqual(1);
  });

  it('accepts lines written for the passport the form describes, as two lines or one of 88', () => {
    const mrz = td3(FORM);
    expect(mrz.split('\n')[0]).toBe('P<D<<MUELLER<<ERIKA<ANNA<<<<<<<<<<<<<<<<<<<<');
    expect(checkPassportMrz(mrz, FORM, 'passport.mrz')).toEqual([]);
    expect(checkPassportMrz(mrz.replace('\n', ''), FORM, 'passport.mrz')).toEqual([]);
  });

  it('accepts a Cyrillic name written in Latin by the ICAO table, and an unspecified sex', () => {
    const form: PassportForm = { ...FORM, nationality: 'RUS', surname: 'Жуков', givenNames: 'Юрий', sex: 'X', number: '751234567' };
    const mrz = td3(form);
    expect(mrz).toContain('ZHUKOV<<IURII');
    expect(checkPassportMrz(mrz, form, 'passport.mrz')).toEqual([]);
  });

  it('refuses a wrong check digit of the document number, the birth date, the expiry and the composite', () => {
    const mrz = td3(FORM);
    const badNumberDigit = corrupt(mrz, 1, 9, String((Number(mrz.split('\n')[1][9]) + 1) % 10));
    expect(checkPassportMrz(badNumberDigit, FORM, 'passport.mrz')).toEqual(
      expect.arrayContaining([{ field: 'passport.mrz', message: expect.stringMatching(/check digit/i) }]),
    );
    const badBirthDigit = corrupt(mrz, 1, 19, String((Number(mrz.split('\n')[1][19]) + 1) % 10));
    expect(checkPassportMrz(badBirthDigit, FORM, 'passport.mrz').length).toBeGreaterThanOrEqual(1);
    const badComposite = corrupt(mrz, 1, 43, String((Number(mrz.split('\n')[1][43]) + 1) % 10));
    expect(checkPassportMrz(badComposite, FORM, 'passport.mrz')).toEqual([{ field: 'passport.mrz', message: expect.stringMatching(/composite|check digit/i) }]);
  });

  it('refuses a changed document number although its own check digit was recomputed (the composite catches it)', () => {
    const other = td3({ ...FORM, number: 'C01X00T48' });
    const lines = other.split('\n');
    const original = td3(FORM).split('\n');
    // New number and its check digit, the old composite: a forged line.
    const forged = `${lines[0]}\n${lines[1].slice(0, 10)}${original[1].slice(10)}`;
    expect(checkPassportMrz(forged, FORM, 'passport.mrz').length).toBeGreaterThanOrEqual(1);
  });

  it('lists each field that differs from the form', () => {
    const mrz = td3(FORM);
    const problems = checkPassportMrz(mrz, { ...FORM, number: 'C01X00T48', dateOfBirth: '1964-08-13', sex: 'M', expiryDate: '2033-07-01', nationality: 'AUT' }, 'companions[1].passport.mrz');
    expect(problems.map((p) => p.message)).toEqual([
      'the MRZ does not match passport.number (document number)',
      'the MRZ does not match nationality (nationality)',
      'the MRZ does not match person.dateOfBirth (date of birth)',
      'the MRZ does not match person.sex (sex)',
      'the MRZ does not match passport.expiryDate (expiry date)',
    ]);
    expect(problems.every((p) => p.field === 'companions[1].passport.mrz')).toBe(true);
    expect(checkPassportMrz(mrz, { ...FORM, surname: 'Mustermann' }, 'passport.mrz')).toEqual([
      { field: 'passport.mrz', message: 'the MRZ does not match person.surname (surname)' },
    ]);
    expect(checkPassportMrz(mrz, { ...FORM, givenNames: 'Erika' }, 'passport.mrz')).toEqual([
      { field: 'passport.mrz', message: 'the MRZ does not match person.givenNames (given names)' },
    ]);
  });

  it('refuses what is not a passport zone', () => {
    expect(checkPassportMrz('P<D<<MUELLER', FORM, 'passport.mrz')).toEqual([{ field: 'passport.mrz', message: expect.stringMatching(/two 44-character lines/) }]);
    const idCard = `I<UTOD23145890<1233<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<2\nERIKSSON<<ANNA<MARIA<<<<<<<<<<`;
    expect(checkPassportMrz(idCard, FORM, 'passport.mrz')).toHaveLength(1);
  });
});
