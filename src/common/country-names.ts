const displayNames = new Map<string, Intl.DisplayNames>();

/** A country's name in a language (English when the runtime lacks it), from its ISO 3166-1 alpha-2 code. */
export function countryName(code: string, language: string): string {
  let names = displayNames.get(language);
  if (!names) {
    try {
      names = new Intl.DisplayNames([language, 'en'], { type: 'region', fallback: 'code' });
    } catch {
      names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    }
    displayNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
