import { readFileSync } from 'node:fs';

export type LocalizedText = Record<string, string>;

/** The text in a language, else in English (every localized text of the portal has English). */
export function inLanguage(text: LocalizedText, language: string): string {
  return text[language] ?? text.en;
}

/** A text in a person's language and in English (the same text twice when they read English), as documents print it. */
export interface BilingualText {
  local: string;
  en: string;
}

export function bilingual(text: LocalizedText, language: string): BilingualText {
  return { local: inLanguage(text, language), en: text.en };
}

export interface MissionSeed {
  code: string;
  kind: 'embassy' | 'consulate_general' | 'consulate';
  name: LocalizedText;
  country: string;
  city: string;
  jurisdiction: string[];
  /** ISO 3166-2 subdivisions served within those countries (several missions share a country); empty: the rest. */
  regions?: string[];
  languages: string[];
  timezone: string;
  contacts: { address?: string; phone?: string; emergencyPhone?: string; email?: string; website?: string };
}

/** The issuing state: its codes, languages and missions, read from data/states/<code>.json. */
export class IssuingState {
  constructor(
    readonly code: string,
    readonly alpha3: string,
    readonly name: LocalizedText,
    /** Languages the portal speaks to people in, first is the state's own. */
    readonly languages: string[],
    /** Language used when a person's own is not available. */
    readonly fallbackLanguage: string,
    /** National passport number format, as a regular expression source. */
    readonly passportNumberPattern: string,
    readonly missions: MissionSeed[],
  ) {}

  static load(path: string): IssuingState {
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Invalid configuration: STATE_CODE has no readable data file at ${path} (${(error as Error).message})`, { cause: error });
    }
    const s = raw as unknown as IssuingState;
    if (!s.code || !Array.isArray(s.languages) || !s.languages.includes(s.fallbackLanguage) || !Array.isArray(s.missions)) {
      throw new Error(`Invalid configuration: state data file ${path} lacks code, languages, fallbackLanguage or missions`);
    }
    return new IssuingState(s.code, s.alpha3, s.name, s.languages, s.fallbackLanguage, s.passportNumberPattern, s.missions);
  }

  /** The best language for a person: theirs when the portal speaks it, else the fallback. */
  languageFor(locale: string | null | undefined): string {
    const base = (locale ?? '').toLowerCase().split('-')[0];
    return this.languages.includes(base) ? base : this.fallbackLanguage;
  }
}
