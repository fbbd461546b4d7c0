import fc from 'fast-check';
import { parse } from 'mrz';
import { decodeMrvB } from '../../test/support/mrv';
import { MrvBData, mrvB, mrzCheckDigit, mrzNameField, transliterate } from './mrv';

/** The MRV-B specimen of Doc 9303 Part 7 (Utopia, Anna Maria Eriksson). */
const SPECIMEN: MrvBData = {
  typeCode: '<',
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna Maria',
  visaNumber: 'L8988901C',
  nationality: 'XXX',
  dateOfBirth: '1940-09-07',
  sex: 'F',
  validUntil: '1996-12-10',
};

describe('MRV-B (ICAO 9303 Part 7)', () => {
  it('writes the specimen of the standard exactly', () => {
    expect(mrvB(SPECIMEN)).toEqual(['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<']);
  });

  it('has two lines of 36 characters and no composite check digit after the optional data', () => {
    const [line1, line2] = mrvB({ ...SPECIMEN, optionalData: 'M030' });
    expect([line1.length, line2.length]).toEqual([36, 36]);
    expect(line2.slice(28)).toBe('M030<<<<');
  });

  describe('check digits (7-3-1)', () => {
    it.each([
      ['L8988901C', 4],
      ['400907', 8],
      ['961210', 9],
      ['L898902C3', 6],
      ['<<<<<<<<<', 0],
      ['ZE184226B<<<<<', 1],
    ])('%s → %i', (field, digit) => {
      expect(mrzCheckDigit(field)).toBe(digit);
    });

    it('agrees with the mrz package on passports built with it (TD3, whose check digits mrz verifies)', () => {
      const alnum = fc.stringMatching(/^[A-Z0-9]{9}$/);
      const date = fc.date({ min: new Date('1930-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(2, 10).replace(/-/g, ''));
      fc.assert(
        fc.property(alnum, date, date, fc.stringMatching(/^[A-Z0-9<]{14}$/), (number, birth, expiry, personal) => {
          const upper = `${number}${mrzCheckDigit(number)}UTO${birth}${mrzCheckDigit(birth)}F${expiry}${mrzCheckDigit(expiry)}${personal}${mrzCheckDigit(personal)}`;
          const composite = mrzCheckDigit(upper.slice(0, 10) + upper.slice(13, 20) + upper.slice(21, 43));
          const result = parse(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', `${upper}${composite}`]);
          expect(result.details.filter((d) => d.field?.toString().endsWith('CheckDigit') && !d.valid)).toEqual([]);
        }),
        { numRuns: 200 },
      );
    });

    it('refuses characters an MRZ cannot hold', () => {
      expect(() => mrzCheckDigit('ab')).toThrow(RangeError);
    });
  });

  describe('fillers', () => {
    it('pads a short visa number with fillers, which count as 0 in its check digit', () => {
      const [, line2] = mrvB({ ...SPECIMEN, visaNumber: 'E123' });
      expect(line2.slice(0, 10)).toBe(`E123<<<<<${mrzCheckDigit('E123<<<<<')}`);
    });

    it('writes an unspecified sex and empty optional data as fillers', () => {
      const [, line2] = mrvB({ ...SPECIMEN, sex: 'X' });
      expect(line2[20]).toBe('<');
      expect(line2.slice(28)).toBe('<<<<<<<<');
    });

    it('writes a holder without given names as the primary identifier followed by fillers', () => {
      expect(mrzNameField('Ali', '', 31)).toBe('ALI'.padEnd(31, '<'));
    });

    it('writes Germany as D<< (ICAO), other states by their ISO alpha-3 code', () => {
      expect(mrvB({ ...SPECIMEN, issuingState: 'UZB', nationality: 'DEU' })[0].slice(2, 5)).toBe('UZB');
      expect(mrvB({ ...SPECIMEN, nationality: 'DEU' })[1].slice(10, 13)).toBe('D<<');
    });
  });

  describe('names', () => {
    it.each([
      ['Müller', 'MUELLER'],
      ['Ørsted', 'OERSTED'],
      ['Straße', 'STRASSE'],
      ['Łukasiewicz', 'LUKASIEWICZ'],
      ['García Márquez', 'GARCIA MARQUEZ'],
      ['Ångström', 'AANGSTROEM'],
      ['Щербаков', 'SHCHERBAKOV'],
      ['Юлия', 'IULIIA'],
      ['Хожиев', 'KHOZHIEV'],
      ['Цой', 'TSOI'],
      ['Ғуломов Қодир', 'GULOMOV QODIR'],
      ['Ўлмас', 'ULMAS'],
    ])('transliterates %s as %s (Doc 9303 Part 3 §6)', (input, expected) => {
      expect(transliterate(input)).toBe(expected);
    });

    it('turns hyphens and spaces into fillers and drops apostrophes and the Uzbek ʻ', () => {
      expect(mrzNameField("O'Neil-Smith", 'Oʻgʻiloy  Jean-Paul', 31)).toBe('ONEIL<SMITH<<OGILOY<JEAN<PAUL<<');
    });

    it('keeps a name of exactly 31 characters untruncated', () => {
      const field = mrzNameField('ABCDEFGHIJKLMNOP', 'ABCDEFGHIJKLM', 31);
      expect(field).toBe('ABCDEFGHIJKLMNOP<<ABCDEFGHIJKLM');
    });

    it('truncates the last given names first, down to initials, and ends a truncated field with a letter', () => {
      const field = mrzNameField('Nilavadhananananda', 'Chayapa Dejthamrong Krasuang', 31);
      expect(field).toBe('NILAVADHANANANANDA<<CHAYAPA<D<K');
      expect(field).toHaveLength(31);
    });

    it('drops trailing initials when initials alone do not fit', () => {
      const field = mrzNameField('Abcdefghijklmnopqrstuvwxyz', 'Anna Beth Cleo', 31);
      expect(field).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ<<A<B');
    });

    it('cuts a primary identifier that is too long by itself, keeping << and an initial', () => {
      const field = mrzNameField('Wolfeschlegelsteinhausenbergerdorff', 'Hubert', 31);
      expect(field).toBe('WOLFESCHLEGELSTEINHAUSENBERG<<H');
    });

    it('never cuts the primary identifier on a filler: the first given name takes the room left', () => {
      const field = mrzNameField('Abcdefghijklmnopqrstuvwxyza Bcdef', 'Hubert', 31);
      expect(field).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZA<<HU');
    });

    it('refuses a surname with no letter it can write', () => {
      expect(() => mrzNameField('王', 'Wei', 31)).toThrow(RangeError);
    });
  });

  it('refuses what it cannot write: a lower-case type, a long visa number, long optional data, a malformed date', () => {
    expect(() => mrvB({ ...SPECIMEN, typeCode: 't' })).toThrow(RangeError);
    expect(() => mrvB({ ...SPECIMEN, visaNumber: 'E1234567890' })).toThrow(RangeError);
    expect(() => mrvB({ ...SPECIMEN, optionalData: '123456789' })).toThrow(RangeError);
    expect(() => mrvB({ ...SPECIMEN, dateOfBirth: '07.09.1940' })).toThrow(RangeError);
  });

  it('decodes by position to what it was given, with valid check digits, for any holder', () => {
    const letters = fc.stringMatching(/^[A-Z]{1,12}$/);
    const day = fc.date({ min: new Date('1930-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(letters, letters, fc.stringMatching(/^[A-Z0-9]{9}$/), day, day, fc.constantFrom('M' as const, 'F' as const), (surname, given, number, birth, until, sex) => {
        const decoded = decodeMrvB(mrvB({ ...SPECIMEN, issuingState: 'UZB', surname, givenNames: given, visaNumber: number, dateOfBirth: birth, validUntil: until, sex, optionalData: 'S010' }));
        expect(decoded).toEqual({
          documentCode: 'V',
          typeCode: '<',
          issuingState: 'UZB',
          primaryIdentifier: surname,
          secondaryIdentifiers: [given],
          visaNumber: number,
          nationality: 'XXX',
          dateOfBirth: birth.slice(2).replace(/-/g, ''),
          sex,
          validUntil: until.slice(2).replace(/-/g, ''),
          optionalData: 'S010<<<<',
          checkDigits: { visaNumber: true, dateOfBirth: true, validUntil: true },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('the decoder catches a corrupted check digit', () => {
    const [line1, line2] = mrvB(SPECIMEN);
    const corrupted = `${line2.slice(0, 9)}${(Number(line2[9]) + 1) % 10}${line2.slice(10)}`;
    expect(decodeMrvB([line1, corrupted]).checkDigits.visaNumber).toBe(false);
  });
});
