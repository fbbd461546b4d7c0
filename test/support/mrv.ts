import { mrzCheckDigit } from '../../src/visas/mrv';

/** An MRV-B zone read back by position (ICAO Doc 9303 Part 7), with each check digit recomputed. */
export interface DecodedMrvB {
  documentCode: string;
  typeCode: string;
  issuingState: string;
  primaryIdentifier: string;
  secondaryIdentifiers: string[];
  visaNumber: string;
  nationality: string;
  dateOfBirth: string;
  sex: string;
  validUntil: string;
  optionalData: string;
  checkDigits: { visaNumber: boolean; dateOfBirth: boolean; validUntil: boolean };
}

/**
 * Decodes an MRV-B zone by the positions of Doc 9303 Part 7 alone, independently of how the portal wrote it; dates
 * stay YYMMDD. Test code only: the portal writes visa zones, it never reads them.
 */
export function decodeMrvB([line1, line2]: [string, string] | string[]): DecodedMrvB {
  if (line1.length !== 36 || line2.length !== 36) throw new Error(`MRV-B lines are 36 characters, got ${line1.length} and ${line2.length}`);
  if (!/^[A-Z0-9<]+$/.test(line1 + line2)) throw new Error('An MRZ holds only A–Z, 0–9 and <');
  const field = (line: string, from: number, to: number) => line.slice(from - 1, to);
  const trim = (value: string) => value.replace(/<+$/, '');
  const [primary, secondary = ''] = field(line1, 6, 36).split('<<');
  const digitMatches = (value: string, digit: string) => /^\d$/.test(digit) && mrzCheckDigit(value) === Number(digit);
  return {
    documentCode: field(line1, 1, 1),
    typeCode: field(line1, 2, 2),
    issuingState: field(line1, 3, 5),
    primaryIdentifier: primary.replace(/</g, ' '),
    secondaryIdentifiers: trim(secondary).split('<').filter((part) => part.length > 0),
    visaNumber: trim(field(line2, 1, 9)),
    nationality: field(line2, 11, 13),
    dateOfBirth: field(line2, 14, 19),
    sex: field(line2, 21, 21),
    validUntil: field(line2, 22, 27),
    optionalData: field(line2, 29, 36),
    checkDigits: {
      visaNumber: digitMatches(field(line2, 1, 9), field(line2, 10, 10)),
      dateOfBirth: digitMatches(field(line2, 14, 19), field(line2, 20, 20)),
      validUntil: digitMatches(field(line2, 22, 27), field(line2, 28, 28)),
    },
  };
}
