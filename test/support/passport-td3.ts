import { icaoStateCode, mrzCheckDigit, mrzDate, mrzNameField } from '../../src/visas/mrv';
import type { PassportForm } from '../../src/visas/passport-mrz';

/** What a passport's machine-readable zone says: the fields the form is compared with. */
export type PassportZoneData = PassportForm;

/**
 * The two lines of a passport's zone (TD3, ICAO Doc 9303 Part 4) for test data: the portal only reads passport
 * zones (with the mrz package); tests need lines with known content and correct check digits to feed it.
 */
export function passportTd3(p: PassportZoneData): string {
  const number = p.number.padEnd(9, '<');
  const numberPart = `${number}${mrzCheckDigit(number)}`;
  const birth = `${mrzDate(p.dateOfBirth)}${mrzCheckDigit(mrzDate(p.dateOfBirth))}`;
  const expiry = `${mrzDate(p.expiryDate)}${mrzCheckDigit(mrzDate(p.expiryDate))}`;
  const optional = `${'<'.repeat(14)}0`;
  const composite = mrzCheckDigit(`${numberPart}${birth}${expiry}${optional}`);
  const state = icaoStateCode(p.nationality);
  const line1 = `P<${state}${mrzNameField(p.surname, p.givenNames, 39)}`;
  const line2 = `${numberPart}${state}${birth}${p.sex === 'X' ? '<' : p.sex}${expiry}${optional}${composite}`;
  return `${line1}\n${line2}`;
}
