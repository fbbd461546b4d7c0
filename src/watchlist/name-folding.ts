/**
 * The comparison key of a person's name for the watch list: the same person written in Cyrillic, in Uzbek Latin,
 * in a Russian-passport (ICAO) or a French or German transliteration should fold to the same key, so a list entry
 * typed one way finds an application typed another.
 *
 * Each name token goes through: case folding; Cyrillic (Russian, Uzbek, Ukrainian, Kazakh letters) to Latin;
 * removal of diacritics (NFKD, combining marks dropped; ß → ss, ı → i and the like); removal of apostrophes (Uzbek
 * oʻ gʻ, O'Brien) and hyphens; then a phonetic-ish folding of the Latin letters on which transliterations disagree.
 * The key is the set of tokens, sorted, so surname and given names may be given in either field and order.
 *
 * What the key loses (names that fold together although they differ, so a match is a flag for a person to check,
 * never a verdict): h, kh and x are one letter (Uzbek Xasanov, Russian Khasanov, Hasanov), so are ks and x
 * (Aleksey, Alexey); y, i and й are one letter, and ye/ie read as e (Sergeyev, Sergeev); zh, dzh, dj and j are
 * one letter (Jasur, Zhasur; Xo'jayev, Khodzhaev), except a final j after a vowel, read as German й (Sergej); q is
 * k (Qodirov, Kodirov), gh is g, ph is f, w is v, sch is sh, ou is u (Youssoupov); doubled letters count once
 * (Hassanov, Hasanov); ё is yo (Bakhtiyor, Fyodor), ў is o, ъ and ь vanish. What it does not bridge: vowel changes between
 * spellings (Kadyrov/Qodirov, ё written as e: Fedorov/Fyodorov, Aleksandr/Alexander), German ue/oe for ü/ö (Mueller is not
 * Müller), a name split into two words on one side and one on the other (Abdul Aziz, Abdulaziz).
 */

/** Cyrillic letters to Latin, the common passport spellings; the phonetic step below makes their variants meet. */
const CYRILLIC: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  // Uzbek Cyrillic.
  ў: 'o', қ: 'q', ғ: 'g', ҳ: 'h',
  // Ukrainian and Belarusian.
  і: 'i', ї: 'yi', є: 'ye', ґ: 'g',
  // Kazakh, Kyrgyz, Tajik.
  ә: 'a', ө: 'o', ү: 'u', ұ: 'u', ң: 'ng', һ: 'h', ҷ: 'j', ӣ: 'i', ӯ: 'u', ҡ: 'k',
};

/** Latin letters NFKD leaves whole. */
const LATIN_SPECIAL: Record<string, string> = {
  ß: 'ss', ı: 'i', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ħ: 'h', ŧ: 't', ŀ: 'l', ĸ: 'k',
};

/** Apostrophe-like marks inside names, dropped: ' ` ´ ʻ ʼ ʹ ‘ ’ ′ (Uzbek oʻ, gʻ and O'Brien). */
const APOSTROPHES = /['`´ʹʻʼʽˈ‘’‛′]/gu;

/** Latin spellings on which transliterations disagree, folded in this order (each step sees the previous one's output). */
const PHONETIC: readonly [RegExp, string][] = [
  [/sch/g, 'sh'],
  [/dzh|dj|zh/g, 'j'],
  [/ks/g, 'x'],
  [/kh|x/g, 'h'],
  [/q/g, 'k'],
  [/gh/g, 'g'],
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/y/g, 'i'],
  [/([aeiou])j$/g, '$1i'],
  [/ie/g, 'e'],
  [/ou/g, 'u'],
  [/(.)\1+/gu, '$1'],
];

/** One name token (no spaces) folded to its comparison form; empty when nothing of it is a letter or digit. */
export function foldNameToken(token: string): string {
  let text = token.normalize('NFC').toLowerCase();
  text = [...text].map((c) => CYRILLIC[c] ?? LATIN_SPECIAL[c] ?? c).join('');
  text = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
  // After NFKD some letters decompose into a base and a special (e.g. compatibility forms): map once more.
  text = [...text].map((c) => LATIN_SPECIAL[c] ?? c).join('');
  for (const [pattern, replacement] of PHONETIC) text = text.replace(pattern, replacement);
  return text;
}

/** The tokens of a name as written: words split on spaces and punctuation, hyphens and apostrophes kept inside a word. */
export function nameTokens(name: string): string[] {
  return name
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{M}\p{N}-]+/u)
    .map(foldNameToken)
    .filter((token) => token.length > 0);
}

/** The key of a whole name: the distinct folded tokens of surname and given names, sorted, space-separated. */
export function foldedNameKey(surname: string, givenNames: string): string {
  return [...new Set([...nameTokens(surname), ...nameTokens(givenNames)])].sort().join(' ');
}
