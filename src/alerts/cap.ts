import { XMLBuilder } from 'fast-xml-parser';
import type { LocalizedText } from '../config/issuing-state';
import { countryName } from '../common/country-names';
import type { Alert, AlertArea, AlertKind, AlertSeverity } from './alert.entity';

/** What the CAP message says about one alert; only approved alerts (approvedAt set) have one. */
export type CapAlert = Pick<Alert, 'id' | 'missionCode' | 'kind' | 'severity' | 'area' | 'content' | 'languages' | 'expiresAt' | 'emergencyPhone'> & {
  approvedAt: Date;
};

/**
 * The words of the CAP message in one language, from the alert page's captions (templates/pages/alert.captions.json):
 * `kind_<kind>` names the event, `circle` ("{km} km around {lat}, {lon}") describes a circle.
 */
export type CapVocabulary = Record<string, string>;

export interface CapContext {
  /** The portal's public address (PUBLIC_BASE_URL): its host names the sender, the public page is under it. */
  publicBaseUrl: string;
  mission: { code: string; name: LocalizedText };
  /** The approved alert this one follows, named in `references`. */
  supersedes: { id: string; missionCode: string; kind: AlertKind; approvedAt: Date } | null;
  vocabulary: Record<string, CapVocabulary>;
}

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';

const SEVERITY: Record<AlertSeverity, string> = { extreme: 'Extreme', severe: 'Severe', moderate: 'Moderate', minor: 'Minor' };

/**
 * Per kind: CAP's category (a threat to people from violence or unrest is Security; advice is Safety), how soon to act,
 * how sure the mission is, and the response it recommends. An update or all-clear keeps the category of what it follows.
 */
const KIND: Record<AlertKind, { category: 'Safety' | 'Security'; urgency: string; certainty: string; responseType: string }> = {
  evacuation: { category: 'Security', urgency: 'Immediate', certainty: 'Observed', responseType: 'Evacuate' },
  shelter_in_place: { category: 'Security', urgency: 'Immediate', certainty: 'Observed', responseType: 'Shelter' },
  safety_info: { category: 'Safety', urgency: 'Expected', certainty: 'Likely', responseType: 'Monitor' },
  travel_advice: { category: 'Safety', urgency: 'Future', certainty: 'Likely', responseType: 'Avoid' },
  update: { category: 'Safety', urgency: 'Expected', certainty: 'Observed', responseType: 'Monitor' },
  all_clear: { category: 'Safety', urgency: 'Past', certainty: 'Observed', responseType: 'AllClear' },
};

/** The sender is the mission at the portal's host: `consular.example/BER`. */
export function capSender(publicBaseUrl: string, missionCode: string): string {
  return `${new URL(publicBaseUrl).host}/${missionCode}`;
}

export function capIdentifier(alertId: string): string {
  return `urn:uuid:${alertId}`;
}

/** CAP's dateTime: seconds, and an explicit offset (the schema refuses fractions and "Z"). */
export function capTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** The public page of an alert, in a language. */
export function alertPageUrl(publicBaseUrl: string, alertId: string, language?: string): string {
  return `${publicBaseUrl}/alerts/${alertId}${language ? `?lang=${encodeURIComponent(language)}` : ''}`;
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

/**
 * The alert as an OASIS CAP 1.2 message. XMLBuilder writes elements in the order of the object's keys, which is how
 * the schema's strict sequences are kept (repeated elements of one name are arrays, and the schema never interleaves
 * two names); it escapes text and attributes.
 */
export function renderCap(alert: CapAlert, context: CapContext): string {
  const { supersedes } = context;
  const message = {
    identifier: capIdentifier(alert.id),
    sender: capSender(context.publicBaseUrl, alert.missionCode),
    sent: capTime(alert.approvedAt),
    status: 'Actual',
    // Never Cancel: an approved alert is never withdrawn (the schema ties approval to broadcasting or sent); an
    // all-clear that follows it is an Update whose responseType is AllClear.
    msgType: supersedes ? 'Update' : 'Alert',
    scope: 'Public',
    references: supersedes ? [capSender(context.publicBaseUrl, supersedes.missionCode), capIdentifier(supersedes.id), capTime(supersedes.approvedAt)].join(',') : undefined,
    info: alert.languages.filter((language) => alert.content[language]).map((language) => capInfo(alert, context, language)),
  };
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, alert: { '@_xmlns': CAP_NAMESPACE, ...message } }) as string;
}

function capInfo(alert: CapAlert, context: CapContext, language: string) {
  const text = alert.content[language];
  const words = context.vocabulary[language] ?? context.vocabulary.en;
  const kind = KIND[alert.kind];
  const category = (alert.kind === 'update' || alert.kind === 'all_clear') && context.supersedes ? KIND[context.supersedes.kind].category : kind.category;
  const area = capArea(alert.area, language, words);
  return {
    language,
    category,
    event: words[`kind_${alert.kind}`],
    responseType: kind.responseType,
    urgency: kind.urgency,
    severity: SEVERITY[alert.severity],
    certainty: kind.certainty,
    expires: alert.expiresAt ? capTime(alert.expiresAt) : undefined,
    senderName: context.mission.name[language] ?? context.mission.name.en ?? context.mission.code,
    headline: text.title,
    description: text.body,
    instruction: text.instructions || undefined,
    web: alertPageUrl(context.publicBaseUrl, alert.id, language),
    contact: alert.emergencyPhone ?? undefined,
    area: area ?? undefined,
  };
}

/** One area: its description in words, the circle, and the countries and subdivisions as ISO 3166 geocodes. */
function capArea(area: AlertArea, language: string, words: CapVocabulary) {
  const countries = area.countries ?? [];
  const regions = area.regions ?? [];
  const circle = area.circle;
  const described = [
    ...countries.map((code) => countryName(code, language)),
    ...regions,
    ...(circle ? [words.circle.replace('{km}', String(circle.radiusKm)).replace('{lat}', String(circle.lat)).replace('{lon}', String(circle.lon))] : []),
  ];
  if (described.length === 0) return null;
  const geocode = [
    ...countries.map((value) => ({ valueName: 'ISO3166-1', value })),
    ...regions.map((value) => ({ valueName: 'ISO3166-2', value })),
  ];
  return {
    areaDesc: described.join('; '),
    circle: circle ? `${circle.lat},${circle.lon} ${circle.radiusKm}` : undefined,
    geocode: geocode.length > 0 ? geocode : undefined,
  };
}
