import { canonicalJson } from '../common/canonical-json';
import type { SigningKeyService } from '../signing/signing-key.service';
import type { Alert, AlertArea, AlertContent, AlertKind, AlertSeverity } from './alert.entity';

/**
 * What an alert's signature covers: everything a reader acts on. Signed at approval as canonical JSON (keys sorted,
 * src/common/canonical-json.ts); those exact bytes are stored in `alerts.canonical`.
 */
export interface AlertSignedContent {
  id: string;
  missionCode: string;
  kind: AlertKind;
  severity: AlertSeverity;
  area: AlertArea;
  content: AlertContent;
  languages: string[];
  expiresAt: string | null;
  supersedes: string | null;
  approvedAt: string;
  emergencyPhone: string;
}

type SignedColumns = Pick<Alert, 'id' | 'missionCode' | 'kind' | 'severity' | 'area' | 'content' | 'languages' | 'expiresAt' | 'supersedesId'>;

/** The content to sign when `alert` is approved at `approvedAt`, carrying the mission's emergency phone. */
export function alertSignedContent(alert: SignedColumns, approvedAt: Date, emergencyPhone: string): AlertSignedContent {
  return {
    id: alert.id,
    missionCode: alert.missionCode,
    kind: alert.kind,
    severity: alert.severity,
    area: alert.area,
    content: alert.content,
    languages: alert.languages,
    expiresAt: alert.expiresAt ? alert.expiresAt.toISOString() : null,
    supersedes: alert.supersedesId,
    approvedAt: approvedAt.toISOString(),
    emergencyPhone,
  };
}

/** The signed bytes of that content, as stored in `alerts.canonical`. */
export function canonicalAlert(content: AlertSignedContent): string {
  return canonicalJson(content);
}

/**
 * Whether an approved alert's stored signature is valid: the signature verifies over the stored canonical bytes with
 * a key of the JWKS, and those bytes are still what the alert's columns say (a changed text no longer matches).
 */
export function alertSignatureValid(signing: SigningKeyService, alert: Alert): boolean {
  if (!alert.canonical || !alert.signature || !alert.kid || !alert.approvedAt || !alert.emergencyPhone) return false;
  if (canonicalAlert(alertSignedContent(alert, alert.approvedAt, alert.emergencyPhone)) !== alert.canonical) return false;
  let signed: unknown;
  try {
    signed = JSON.parse(alert.canonical);
  } catch {
    return false;
  }
  return signing.verify(signed, alert.signature, alert.kid);
}
