/**
 * The machine-readable zone of a visa, ICAO Doc 9303 Part 7, format MRV-B (two lines of 36 characters), written by
 * the portal: the `mrz` package reads passports and identity cards but not visas (it rejects document code V).
 *
 * Line 1: 1 `V`, 2 type (the issuing state's choice, `<` when none), 3–5 issuing state, 6–36 name.
 * Line 2: 1–9 visa number, 10 check digit, 11–13 nationality, 14–19 date of birth YYMMDD, 20 check digit, 21 sex,
 * 22–27 valid until YYMMDD, 28 check digit, 29–36 optional data. Unlike passports, a visa has no composite check digit.
 */

export const MRV_B_LINE_LENGTH = 36;
const NAME_LENGTH = 31;
const OPTIONAL_LENGTH = 8;
const NUMBER_LENGTH = 9;
const FILLER = '<';

export interface MrvBData {
  /** Position 2: one letter, at the issuing state's discretion; `<` when the state makes no distinction. */
  typeCode: string;
  /** ICAO code of the issuing state (ISO 3166-1 alpha-3, Germany `D`). */
  issuingState: string;
  /** Primary identifier, in any script Doc 9303 Part 3 transliterates (Latin with diacritics, Cyrillic). */
  surname: string;
  /** Secondary identifiers, space-separated; empty when the holder has none. */
  givenNames: string;
  /** At most 9 letters and digits. */
  visaNumber: string;
  /** ISO 3166-1 alpha-3 code of the holder's nationality. */
  nationality: string;
  /** YYYY-MM-DD. */
  dateOfBirth: string;
  /** `X` (unspecified) is written as the filler. */
  sex: 'M' | 'F' | 'X';
  /** YYYY-MM-DD: the last day the visa may be used. */
  validUntil: string;
  /** Up to 8 characters at the issuing state's discretion (letters, digits, `<`). */
  optionalData?: string;
}

/** The check digit of Doc 9303 Part 3 §4.9: weights 7, 3, 1 repeating; digits as such, A–Z as 10–35, `<` as 0; sum mod 10. */
export function mrzCheckDigit(field: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    let value: number;
    if (c >= '0' && c <= '9') value = c.charCodeAt(0) - 48;
    else if (c >= 'A' && c <= 'Z') value = c.charCodeAt(0) - 55;
    else if (c === FILLER) value = 0;
    else throw new RangeError(`'${c}' is not an MRZ character`);
    sum += value * weights[i % 3];
  }
  return sum % 10;
}

/** The two lines of an MRV-B visa. Throws a RangeError on data that cannot be written (the caller's bug, not the holder's). */
export function mrvB(data: MrvBData): [string, string] {
  if (!/^[A-Z<]$/.test(data.typeCode)) throw new RangeError('The visa type code is one letter or <');
  if (!/^[A-Z0-9]{1,9}$/.test(data.visaNumber)) throw new RangeError('The visa number is 1 to 9 letters and digits');
  const optional = data.optionalData ?? '';
  if (!/^[A-Z0-9<]{0,8}$/.test(optional)) throw new RangeError('The optional data is at most 8 letters, digits or <');

  const line1 = `V${data.typeCode}${icaoStateCode(data.issuingState)}${mrzNameField(data.surname, data.givenNames, NAME_LENGTH)}`;
  const number = data.visaNumber.padEnd(NUMBER_LENGTH, FILLER);
  const birth = mrzDate(data.dateOfBirth);
  const expiry = mrzDate(data.validUntil);
  const line2 =
    `${number}${mrzCheckDigit(number)}${icaoStateCode(data.nationality)}${birth}${mrzCheckDigit(birth)}` +
    `${data.sex === 'X' ? FILLER : data.sex}${expiry}${mrzCheckDigit(expiry)}${optional.padEnd(OPTIONAL_LENGTH, FILLER)}`;
  return [line1, line2];
}

/** YYYY-MM-DD → YYMMDD. */
export function mrzDate(isoDate: string): string {
  const match = /^\d{2}(\d{2})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`${isoDate} is not a YYYY-MM-DD date`);
  return `${match[1]}${match[2]}${match[3]}`;
}

/**
 * ICAO codes are ISO 3166-1 alpha-3 but for Germany, which is `D` (Doc 9303 Part 3 §5), padded with fillers.
 */
export function icaoStateCode(alpha3: string): string {
  if (!/^[A-Z]{3}$/.test(alpha3) && !/^[A-Z]<</.test(alpha3)) throw new RangeError(`${alpha3} is not an alpha-3 state code`);
  return alpha3 === 'DEU' ? 'D<<' : alpha3;
}

/**
 * The name field: primary identifier, `<<`, secondary identifiers separated by `<`, padded with fillers.
 *
 * Truncation (Doc 9303 Part 3 §4.6): when the name does not fit, characters are removed from the end of the secondary
 * identifier's components, the last component first, down to one initial each; then whole trailing initials go; then
 * the primary identifier is cut so that `<<` and one initial remain. A truncated field is full and ends in a letter,
 * which is how a reader knows the name may have been truncated.
 */
export function mrzNameField(surname: string, givenNames: string, length: number): string {
  const primary = mrzComponents(surname).join(FILLER);
  if (!primary) throw new RangeError('The primary identifier has no letters A–Z once transliterated');
  const given = mrzComponents(givenNames);
  const secondary = [...given];
  const fullLength = () => primary.length + 2 + secondary.join(FILLER).length;

  for (let i = secondary.length - 1; i >= 0 && fullLength() > length; i--) {
    secondary[i] = secondary[i].slice(0, Math.max(1, secondary[i].length - (fullLength() - length)));
  }
  while (secondary.length > 1 && fullLength() > length) secondary.pop();

  let field = secondary.length > 0 ? `${primary}<<${secondary.join(FILLER)}` : primary;
  if (field.length > length) {
    // The primary identifier alone is too long. It is cut (never on a filler), and what room is left goes to the
    // first given name, so the field still ends in a letter.
    if (secondary.length === 0) field = primary.slice(0, length);
    else {
      const cut = primary.slice(0, length - 3).replace(/<+$/, '');
      field = `${cut}<<${given[0].slice(0, length - cut.length - 2)}`;
    }
  }
  return field.padEnd(length, FILLER);
}

/** The name's components in MRZ characters: transliterated, hyphens and spaces as boundaries, other marks dropped. */
export function mrzComponents(name: string): string[] {
  return transliterate(name)
    .split(/[\s\-‐‑–]+/u)
    .map((part) => part.replace(/[^A-Z]/g, ''))
    .filter((part) => part.length > 0);
}

/**
 * Doc 9303 Part 3 §6 recommended transliteration to A–Z: the Latin letters its table spells out (Ä → AE, Ø → OE,
 * ß → SS, Þ → TH …), any other Latin letter without its diacritics, and Cyrillic by the table (Ж → ZH, Х → KH,
 * Ц → TS, Щ → SHCH, Ю → IU, Я → IA, Ь dropped …). Uzbek Cyrillic Қ, Ғ, Ҳ, Ў, which the table does not list, follow
 * the Uzbek Latin alphabet (Q, G, H, O) without its modifier letters. Apostrophes and the modifier letter ʻ vanish.
 */
export function transliterate(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').toUpperCase()) {
    const mapped = LATIN[char] ?? CYRILLIC[char];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    out += char.normalize('NFD').replace(/\p{M}/gu, '');
  }
  return out;
}

const LATIN: Record<string, string> = {
  Ä: 'AE',
  Å: 'AA',
  Æ: 'AE',
  Ö: 'OE',
  Ø: 'OE',
  Œ: 'OE',
  Ü: 'UE',
  ß: 'SS',
  ẞ: 'SS',
  Þ: 'TH',
  Ð: 'D',
  Đ: 'D',
  Ħ: 'H',
  Ĳ: 'IJ',
  Ŀ: 'L',
  Ł: 'L',
  Ŋ: 'N',
  Ŧ: 'T',
};

const CYRILLIC: Record<string, string> = {
  А: 'A',
  Б: 'B',
  В: 'V',
  Г: 'G',
  Ґ: 'G',
  Ѓ: 'G',
  Д: 'D',
  Ђ: 'D',
  Е: 'E',
  Ё: 'E',
  Є: 'IE',
  Ж: 'ZH',
  З: 'Z',
  Ѕ: 'DZ',
  И: 'I',
  І: 'I',
  Ї: 'I',
  Й: 'I',
  Ј: 'J',
  К: 'K',
  Ќ: 'K',
  Л: 'L',
  Љ: 'LJ',
  М: 'M',
  Н: 'N',
  Њ: 'NJ',
  О: 'O',
  П: 'P',
  Р: 'R',
  С: 'S',
  Т: 'T',
  Ћ: 'C',
  У: 'U',
  Ў: 'U',
  Ф: 'F',
  Х: 'KH',
  Ц: 'TS',
  Ч: 'CH',
  Џ: 'DZ',
  Ш: 'SH',
  Щ: 'SHCH',
  Ъ: 'IE',
  Ы: 'Y',
  Ь: '',
  Э: 'E',
  Ю: 'IU',
  Я: 'IA',
  Қ: 'Q',
  Ғ: 'G',
  Ҳ: 'H',
};
