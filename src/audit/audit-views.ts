import type { AuditCheckpoint } from './audit-checkpoint.entity';
import type { CheckpointStatement } from './audit-checkpoint';
import type { AuditEvent } from './audit-event.entity';
import type { AuditEventResponse } from './dto/audit-event.response';

export function auditEventView(e: AuditEvent): AuditEventResponse {
  return {
    id: e.id,
    occurredAt: e.occurredAt,
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    missionCode: e.missionCode,
    ip: e.ip,
    requestId: e.requestId,
    details: e.details,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** A stored checkpoint as listed, logged, written to the file and signed (signedAt to the millisecond). */
export function checkpointView(c: AuditCheckpoint): CheckpointStatement {
  return { lastId: c.lastId, hash: c.hash, count: Number(c.count), signedAt: c.signedAt.toISOString(), kid: c.kid, signature: c.signature };
}
