import type { AuditCheckpoint } from './audit-checkpoint.entity';
import type { CheckpointStatement } from './audit-checkpoint';

/** A stored checkpoint as listed, logged, written to the file and signed (signedAt to the millisecond). */
export function checkpointView(c: AuditCheckpoint): CheckpointStatement {
  return { lastId: c.lastId, hash: c.hash, count: Number(c.count), signedAt: c.signedAt.toISOString(), kid: c.kid, signature: c.signature };
}
