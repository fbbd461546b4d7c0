import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  occurredAt: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  missionCode: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** The text an event's hash covers, after the previous hash and a line feed: its content as canonical JSON. */
export function chainCanonical(content: ChainedContent): string {
  return canonicalJson({
    occurredAt: content.occurredAt,
    actorId: content.actorId,
    actorRole: content.actorRole,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    missionCode: content.missionCode,
    ip: content.ip,
    requestId: content.requestId,
    details: content.details,
  });
}

/** SHA-256 of the previous hash, a line feed and the canonical content (the database's `audit_seal_pending` computes the same). */
export function chainHash(prevHash: string, content: ChainedContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(chainCanonical(content)).digest('hex');
}
