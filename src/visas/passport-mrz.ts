import { parse } from 'mrz';
import { icaoStateCode, mrzDate, mrzNameField } from './mrv';
import type { RuleProblem } from './visa-rules';

/** TD3 (passport): two lines of 44 characters. */
const TD3_LINE_LENGTH = 44;
/** The name field of a TD3 zone: line 1 after `P<` and the issuing state. */
const TD3_NAME_START = 5;

/** What the form says of the passport and its holder, compared with the MRZ. */
export interface PassportForm {
  number: string;
  nationality: string;
  dateOfBirth: string;
  sex: 'M' | 'F' | 'X';
  expiryDate: string;
  surname: string;
  givenNames: string;
}

const SEX_IN_MRZ: Record<PassportForm['sex'], string> = { M: 'male', F: 'female', X: 'nonspecified' };

/** The two lines of a zone as typed (a newline between them, or one after the other), or null if it cannot be TD3. */
export function passportMrzLines(mrz: string): [string, string] | null {
  const compact = mrz.trim().toUpperCase();
  const lines = compact.includes('\n') ? compact.split(/\r?\n/).map((line) => line.trim()) : [compact.slice(0, TD3_LINE_LENGTH), compact.slice(TD3_LINE_LENGTH)];
  if (lines.length !== 2 || lines.some((line) => line.length !== TD3_LINE_LENGTH)) return null;
  return [lines[0], lines[1]];
}

/**
 * Problems with a passport's machine-readable zone: not two TD3 lines, not readable as a passport by the `mrz`
 * package, a check digit or field it finds invalid (ICAO 9303), or a field that differs from the form: document
 * number, nationality, date of birth, sex, expiry, and the name field (the form's names written as ICAO 9303 writes
 * them: transliterated, truncated to fit). `field` is where the MRZ is in the request.
 */
export function checkPassportMrz(mrz: string, form: PassportForm, field: string): RuleProblem[] {
  const lines = passportMrzLines(mrz);
  if (!lines) return [{ field, message: `must be the two ${TD3_LINE_LENGTH}-character lines of a passport’s machine-readable zone` }];
  let result: ReturnType<typeof parse>;
  try {
    result = parse(lines);
  } catch (error) {
    return [{ field, message: `is not a passport’s machine-readable zone: ${(error as Error).message}` }];
  }
  if (result.format !== 'TD3') return [{ field, message: `is a ${result.format} zone, not a passport’s (TD3)` }];
  if (!result.valid) {
    return result.details.filter((d) => !d.valid).map((d) => ({ field, message: `${d.label}: ${d.error ?? 'invalid'}` }));
  }

  const problems: RuleProblem[] = [];
  const differs = (what: string, formField: string) => problems.push({ field, message: `the MRZ does not match ${formField} (${what})` });
  const f = result.fields;
  if (f.documentNumber !== form.number) differs('document number', 'passport.number');
  if (f.nationality !== icaoStateCode(form.nationality).replace(/<+$/, '')) differs('nationality', 'nationality');
  if (f.birthDate !== mrzDate(form.dateOfBirth)) differs('date of birth', 'person.dateOfBirth');
  if (f.sex !== SEX_IN_MRZ[form.sex]) differs('sex', 'person.sex');
  if (f.expirationDate !== mrzDate(form.expiryDate)) differs('expiry date', 'passport.expiryDate');
  const nameField = lines[0].slice(TD3_NAME_START);
  const expected = nameFieldOrNull(form.surname, form.givenNames, nameField.length);
  if (expected !== nameField) {
    const [surname] = nameField.split('<<');
    differs(expected?.split('<<')[0] === surname ? 'given names' : 'surname', expected?.split('<<')[0] === surname ? 'person.givenNames' : 'person.surname');
  }
  return problems;
}

function nameFieldOrNull(surname: string, givenNames: string, length: number): string | null {
  try {
    return mrzNameField(surname, givenNames, length);
  } catch {
    return null;
  }
}
