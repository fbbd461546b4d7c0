import { apiLink } from '../common/http/api-prefix';
import type { MissionResponse } from '../missions/dto/mission.response';
import type { Alert } from './alert.entity';
import { alertPageUrl } from './cap';
import type { PublicAlertResponse, PublicAlertState, PublicAlertSummary } from './dto/public-alert.dto';

/** Whether an approved alert is in force at `now`: a later approved alert replaces it, an expiry ends it. */
export function publicAlertState(alert: Alert, supersededBy: Alert | null, now: Date): PublicAlertState {
  if (supersededBy) return 'superseded';
  if (alert.expiresAt && alert.expiresAt <= now) return 'expired';
  return 'active';
}

export function publicAlertLinks(publicBaseUrl: string, id: string) {
  return { page: alertPageUrl(publicBaseUrl, id), cap: apiLink(publicBaseUrl, `public/alerts/${id}/cap`) };
}

export function publicAlertSummaryView(alert: Alert, mission: MissionResponse, supersededBy: Alert | null, now: Date, publicBaseUrl: string): PublicAlertSummary {
  return {
    id: alert.id,
    mission: { code: mission.code, name: mission.name },
    kind: alert.kind,
    severity: alert.severity,
    area: alert.area,
    content: alert.content,
    languages: alert.languages,
    status: alert.status as 'broadcasting' | 'sent',
    state: publicAlertState(alert, supersededBy, now),
    emergencyPhone: alert.emergencyPhone,
    approvedAt: alert.approvedAt as Date,
    sentAt: alert.sentAt,
    expiresAt: alert.expiresAt,
    supersedesId: alert.supersedesId,
    supersededById: supersededBy?.id ?? null,
    links: publicAlertLinks(publicBaseUrl, alert.id),
  };
}

/** The public JSON of one alert, with what it takes to check it: the signed text, the signature and the key id. */
export function publicAlertView(alert: Alert, mission: MissionResponse, supersededBy: Alert | null, now: Date, publicBaseUrl: string): PublicAlertResponse {
  return {
    ...publicAlertSummaryView(alert, mission, supersededBy, now, publicBaseUrl),
    canonical: alert.canonical as string,
    signature: alert.signature as string,
    kid: alert.kid as string,
  };
}
