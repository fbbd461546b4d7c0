/**
 * A person's name reduced to what two spellings of it by the same hand share: no case, accents, apostrophes
 * (Uzbek oʻ, gʻ), hyphens, ß/ss or ı/i, and the words in any order ("SHUKUROV Akmal" and "Akmal Shukurov" meet). It does not
 * transliterate: a name written once in Cyrillic and once in Latin letters differs, which is what staff should see.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // Upper then lower case: ß and SS, ı and I, meet as they do when a name is written in capitals.
    .toUpperCase()
    .toLowerCase()
    .replace(/[\u02BB\u02BC\u2018\u2019'`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .sort()
    .join(' ');
}

export function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}
