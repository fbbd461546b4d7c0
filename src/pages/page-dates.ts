const formats = new Map<string, Intl.DateTimeFormat>();

/** A date as people read it in their language ("2 декабря 2026 г.", "2-dekabr, 2026"), in a mission's time zone. */
export function longDate(date: Date, lang: string, timeZone = 'UTC'): string {
  const key = `${lang}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat([lang, 'en'], { dateStyle: 'long', timeZone });
    formats.set(key, format);
  }
  return format.format(date);
}
