import type { HelperOptions } from 'handlebars';

const rules = new Map<string, Intl.PluralRules>();

/** The CLDR plural category of a count in a language: `one`, `few`, `many` or `other` (Russian needs all four). */
export function pluralCategory(language: string, count: number): Intl.LDMLPluralRule {
  let rule = rules.get(language);
  if (!rule) {
    rule = new Intl.PluralRules(language);
    rules.set(language, rule);
  }
  return rule.select(count);
}

/** The form of a word for a count: `forms[category]`, else `forms.other`. */
export function pluralForm(language: string, count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>>): string {
  const form = forms[pluralCategory(language, count)] ?? forms.other;
  if (form === undefined) throw new Error(`No plural form '${pluralCategory(language, count)}' nor 'other' for ${count} in ${language}`);
  return form;
}

/**
 * The Handlebars helper: `{{plural days one="день" few="дня" many="дней" other="дня"}}` prints "21 день", "3 дня",
 * "5 дней". The language is the template's `lang` (pages) or `language` (e-mails) in the root context.
 */
export function pluralHelper(this: unknown, count: unknown, options: HelperOptions): string {
  const root = (options.data?.root ?? {}) as { lang?: string; language?: string };
  const language = root.lang ?? root.language;
  if (typeof count !== 'number' || !Number.isFinite(count)) throw new Error(`plural needs a number, got ${String(count)}`);
  if (!language) throw new Error('plural needs the template language (lang) in its context');
  return `${count} ${pluralForm(language, count, options.hash as Record<string, string>)}`;
}
