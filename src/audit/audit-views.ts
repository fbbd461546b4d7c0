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
