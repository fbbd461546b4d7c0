import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { queryPrepared } from '../common/database/prepared';
import { mapPage, Page } from '../common/http/pagination';
import { requestOrigin } from '../common/http/request-context';
import { AuditEvent } from './audit-event.entity';
import { chainCanonical, ChainedContent, chainHash, GENESIS_HASH } from './audit-chain';
import { CheckpointStatement } from './audit-checkpoint';
import { AuditCheckpointsService, CheckpointFinding, CheckpointSource, compareIds, TrustedCheckpoint } from './audit-checkpoints.service';
import { AuditRepository } from './audit.repository';
import { RowAudit } from './row-audit';
import { auditEventView } from './audit-views';
import { AuditQuery } from './dto/audit-query.dto';
import { AuditEventResponse } from './dto/audit-event.response';

export interface AuditEntry {
  /** Who did it: the signed-in caller, a known account (e.g. a failed sign-in), or null for the system. */
  actor: Pick<AuthUser, 'id' | 'role'> | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  missionCode?: string | null;
  details?: Record<string, unknown>;
}

/** Something verification found wrong with the chain or with a checkpoint. */
export interface ChainFinding {
  kind:
    | 'broken_link'
    | 'missing_event'
    | 'truncated'
    | 'rewritten'
    | 'count_mismatch'
    | CheckpointFinding['kind'];
  /** The event concerned: the first bad row, or the one a checkpoint names. */
  eventId: string | null;
  /** The checkpoint that shows it, for findings about or against a checkpoint. */
  checkpoint?: CheckpointStatement;
  /** Where that checkpoint was read ('table', 'file', or both). */
  sources?: CheckpointSource[];
  detail: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  /** Checkpoints with a valid signature the chain was checked against (from the table and the file, counted once). */
  checkpoints: number;
  /** Events a checkpoint names are gone from the end of the chain. */
  truncated: boolean;
  /** The hash at a checkpoint differs: events were changed and every later hash recomputed. */
  rewritten: boolean;
  findings: ChainFinding[];
}

const VERIFY_BATCH = 2000;

/** Queues an event for the chain's sealer (its columns and the canonical text its hash covers). */
const AUDIT_QUEUE_SQL = `
  INSERT INTO audit_pending (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, canonical)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

/** What the chain records of an entry besides its subject (entity and mission): now, the actor, the request's origin. */
function entryContent(entry: Omit<AuditEntry, 'entityId' | 'missionCode'>): Omit<ChainedContent, 'entityId' | 'missionCode'> {
  const origin = requestOrigin();
  return {
    occurredAt: new Date(),
    actorId: entry.actor?.id ?? null,
    actorRole: entry.actor?.role ?? null,
    action: entry.action,
    entityType: entry.entityType,
    ip: origin.ip,
    requestId: origin.requestId,
    details: entry.details ?? {},
  };
}

/** The tamper-evident audit log: appended in the caller's transaction, never changed. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: AuditRepository,
    private readonly checkpoints: AuditCheckpointsService,
  ) {}

  /** The log, newest first, filtered (events still waiting are sealed first). */
  async list(query: AuditQuery): Promise<Page<AuditEventResponse>> {
    const { entityType, entityId, actorId } = query;
    await this.events.sealAllPending(this.dataSource.manager);
    return mapPage(await this.events.list(this.dataSource.manager, { entityType, entityId, actorId }, query), auditEventView);
  }

  /**
   * Appends one event in `manager`'s transaction (which must be open): it commits or rolls back with the change.
   * One prepared statement queues it in `audit_pending`, where it commits with the change; a worker's AuditSealer
   * links it into the chain within a second (the chain's lock, the last hash, the insert), and every reader of the
   * chain seals what is waiting first. No writer waits for another's commit (migration AuditSealedAfterCommit).
   */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const content: ChainedContent = { ...entryContent(entry), entityId: entry.entityId ?? null, missionCode: entry.missionCode ?? null };
    await queryPrepared(manager, 'audit-queue', AUDIT_QUEUE_SQL, [
      content.occurredAt,
      content.actorId,
      content.actorRole,
      content.action,
      content.entityType,
      content.entityId,
      content.missionCode,
      content.ip,
      content.requestId,
      JSON.stringify(content.details),
      chainCanonical(content),
    ]);
  }

  /**
   * An entry for a statement that appends it itself, filling in from the row it changes the entity, the mission and
   * the details named in `rowDetails` (see RowAudit): for one-statement changes run by `UnitOfWork.statement`.
   */
  forRow(entry: Omit<AuditEntry, 'entityId' | 'missionCode'>, rowDetails: readonly string[] = []): RowAudit {
    return new RowAudit(entryContent(entry), rowDetails);
  }

  /** Records one event in a transaction of its own (for events with no other change, such as a failed sign-in). */
  async recordAlone(entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction((manager) => this.record(manager, entry));
  }

  /**
   * Walks the whole chain in order, checking each row's link and content, and checks it against every checkpoint
   * whose signature holds: the event a checkpoint names must still be there, with the hash and the count it signed.
   */
  async verifyChain(): Promise<ChainVerification> {
    await this.events.sealAllPending(this.dataSource.manager);
    const { trusted, findings: checkpointFindings } = await this.checkpoints.forVerification();
    const pending = trusted.filter((c) => c.lastId !== '0');
    const findings: ChainFinding[] = [];
    const againstCheckpoint = (kind: ChainFinding['kind'], c: TrustedCheckpoint, detail: string) => {
      const { sources, ...checkpoint } = c;
      findings.push({ kind, eventId: c.lastId, checkpoint, sources, detail });
    };
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let afterId = '0';
    let lastMatched = '0';
    for (;;) {
      const rows = await this.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.id > :afterId', { afterId })
        .orderBy('e.id', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const row of rows) {
        while (pending.length > 0 && compareIds(pending[0].lastId, row.id) < 0) {
          const checkpoint = pending.shift() as TrustedCheckpoint;
          againstCheckpoint('missing_event', checkpoint, `Event ${checkpoint.lastId}, signed by a checkpoint, is gone from the chain`);
        }
        checked += 1;
        if (row.prevHash !== prevHash || chainHash(prevHash, row) !== row.hash) {
          if (!findings.some((f) => f.kind === 'broken_link')) {
            findings.push({ kind: 'broken_link', eventId: row.id, detail: 'The event’s content or link to the previous event does not match its hash' });
          }
        }
        while (pending.length > 0 && pending[0].lastId === row.id) {
          const checkpoint = pending.shift() as TrustedCheckpoint;
          if (checkpoint.hash !== row.hash) {
            againstCheckpoint('rewritten', checkpoint, `The chain was changed after event ${lastMatched} and rehashed: event ${row.id} no longer has the signed hash`);
          } else if (checkpoint.count !== checked) {
            againstCheckpoint('count_mismatch', checkpoint, `${checked} events up to ${row.id}, the checkpoint signed ${checkpoint.count}`);
          } else {
            lastMatched = row.id;
          }
        }
        // Go on from the row as stored, so one altered event does not hide what later checkpoints show.
        prevHash = row.hash;
      }
      if (rows.length < VERIFY_BATCH) break;
      afterId = rows[rows.length - 1].id;
    }
    for (const checkpoint of pending) {
      againstCheckpoint('truncated', checkpoint, `The chain ends at ${checked} events; a checkpoint signed ${checkpoint.count} up to event ${checkpoint.lastId}`);
    }
    for (const finding of checkpointFindings) {
      findings.push({ kind: finding.kind, eventId: null, checkpoint: finding.checkpoint, sources: [finding.source], detail: `${finding.detail} (${finding.source}, ${finding.at})` });
    }
    const brokenIds = findings.map((f) => f.eventId).filter((id): id is string => id !== null);
    return {
      ok: findings.length === 0,
      checked,
      firstBrokenId: brokenIds.sort(compareIds)[0] ?? null,
      checkpoints: trusted.length,
      truncated: findings.some((f) => f.kind === 'truncated' || f.kind === 'missing_event'),
      rewritten: findings.some((f) => f.kind === 'rewritten' || f.kind === 'count_mismatch'),
      findings,
    };
  }
}
