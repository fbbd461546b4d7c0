import type { FieldError } from '../common/http/domain.exception';
import type { AlertArea, AlertContent, AlertText } from './alert.entity';

/** The bounds of what an alert may say and cover. */
export const ALERT_LIMITS = {
  title: 200,
  body: 5000,
  instructions: 2000,
  maxRadiusKm: 2000,
  maxCountries: 50,
  maxRegions: 200,
  followUpMinutes: [15, 1440],
  followUpRounds: [1, 10],
  /** How far ahead an alert may expire. */
  maxExpiryDays: 366,
  responseMessage: 1000,
} as const;

const TEXT_FIELDS: readonly (keyof AlertText)[] = ['title', 'body', 'instructions'];

/**
 * What is wrong with an alert's content: at least one language, only the state's languages, and per language a title
 * and body (and optional instructions), each a non-blank string within its limit and nothing else.
 */
export function contentProblems(content: Record<string, unknown>, stateLanguages: readonly string[]): FieldError[] {
  const languages = Object.keys(content);
  if (languages.length === 0) return [{ field: 'content', message: `content must have a text in at least one of ${stateLanguages.join(', ')}` }];
  return languages.flatMap((language): FieldError[] => {
    const field = `content.${language}`;
    if (!stateLanguages.includes(language)) return [{ field, message: `${language} is not a language of the portal (${stateLanguages.join(', ')})` }];
    const text = content[language];
    if (typeof text !== 'object' || text === null || Array.isArray(text)) return [{ field, message: `${field} must be an object with title and body` }];
    const entries = text as Record<string, unknown>;
    const problems: FieldError[] = Object.keys(entries)
      .filter((key) => !(TEXT_FIELDS as readonly string[]).includes(key))
      .map((key) => ({ field: `${field}.${key}`, message: `property ${key} should not exist` }));
    for (const key of TEXT_FIELDS) {
      const value = entries[key];
      if (value === undefined && key === 'instructions') continue;
      if (typeof value !== 'string' || value.trim() === '') problems.push({ field: `${field}.${key}`, message: `${key} must be a non-empty text` });
      else if (value.length > ALERT_LIMITS[key]) problems.push({ field: `${field}.${key}`, message: `${key} must be at most ${ALERT_LIMITS[key]} characters` });
    }
    return problems;
  });
}

/** The content as stored: texts trimmed, in the order written. */
export function normaliseContent(content: Record<string, AlertText>): AlertContent {
  return Object.fromEntries(
    Object.entries(content).map(([language, text]) => [
      language,
      { title: text.title.trim(), body: text.body.trim(), ...(text.instructions?.trim() ? { instructions: text.instructions.trim() } : {}) },
    ]),
  );
}

/** What is wrong with an area for a mission: at least one part, and listed countries and regions in its jurisdiction. */
export function areaProblems(area: AlertArea, jurisdiction: readonly string[]): FieldError[] {
  const problems: FieldError[] = [];
  if (!area.countries?.length && !area.regions?.length && !area.circle) {
    problems.push({ field: 'area', message: 'area must name countries, regions or a circle' });
  }
  for (const country of area.countries ?? []) {
    if (!jurisdiction.includes(country)) problems.push({ field: 'area.countries', message: `${country} is outside the mission’s jurisdiction (${jurisdiction.join(', ')})` });
  }
  for (const region of area.regions ?? []) {
    if (!jurisdiction.includes(region.slice(0, 2))) problems.push({ field: 'area.regions', message: `${region} is outside the mission’s jurisdiction (${jurisdiction.join(', ')})` });
  }
  return problems;
}

/** The alert language a person gets: their own when the alert has it, else the first one written. */
export function recipientLanguage(languages: readonly string[], personLocale: string | null | undefined): string {
  return personLocale && languages.includes(personLocale) ? personLocale : languages[0];
}

/**
 * What is wrong with an answer, for callers that do not go through a DTO (the respond page's form): a known status,
 * a message within its limit, a location on the globe.
 */
export function answerProblems(answer: { status?: unknown; message?: unknown; location?: unknown }): FieldError[] {
  const problems: FieldError[] = [];
  if (answer.status !== 'safe' && answer.status !== 'need_help') problems.push({ field: 'status', message: 'status must be safe or need_help' });
  if (answer.message !== undefined && answer.message !== null) {
    if (typeof answer.message !== 'string') problems.push({ field: 'message', message: 'message must be a text' });
    else if (answer.message.length > ALERT_LIMITS.responseMessage) problems.push({ field: 'message', message: `message must be at most ${ALERT_LIMITS.responseMessage} characters` });
  }
  if (answer.location !== undefined && answer.location !== null) {
    const { lat, lon } = answer.location as { lat?: unknown; lon?: unknown };
    const onGlobe = typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    if (!onGlobe) problems.push({ field: 'location', message: 'location must be { lat, lon } with lat in [-90, 90] and lon in [-180, 180]' });
  }
  return problems;
}
