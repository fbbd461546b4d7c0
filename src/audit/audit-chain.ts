import { createHash } from 'node:crypto';

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

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function chainHash(prevHash: string, content: ChainedContent): string {
  const canonical = canonicalJson({
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
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
