import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { mapPage, Page } from '../common/http/pagination';
import { requestOrigin } from '../common/http/request-context';
import { AuditEvent } from './audit-event.entity';
import { chainHash, GENESIS_HASH } from './audit-chain';
import { AuditRepository } from './audit.repository';
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

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
}

const VERIFY_BATCH = 2000;

/** The tamper-evident audit log: appended in the caller's transaction, never changed. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: AuditRepository,
  ) {}

  /** The log, newest first, filtered. */
  async list(query: AuditQuery): Promise<Page<AuditEventResponse>> {
    const { entityType, entityId, actorId } = query;
    return mapPage(await this.events.list(this.dataSource.manager, { entityType, entityId, actorId }, query), auditEventView);
  }

  /** Appends one event in `manager`'s transaction (which must be open): it commits or rolls back with the change. */
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    // One writer at a time extends the chain; the lock is released when the caller's transaction ends.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit_events'))`);
    const [last] = (await manager.query(`SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`)) as { hash: string }[];
    const origin = requestOrigin();
    const content = {
      occurredAt: new Date(),
      actorId: entry.actor?.id ?? null,
      actorRole: entry.actor?.role ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      missionCode: entry.missionCode ?? null,
      ip: origin.ip,
      requestId: origin.requestId,
      details: entry.details ?? {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    await manager.getRepository(AuditEvent).save(
      manager.getRepository(AuditEvent).create({ ...content, prevHash, hash: chainHash(prevHash, content) }),
    );
  }

  /** Records one event in a transaction of its own (for events with no other change, such as a failed sign-in). */
  async recordAlone(entry: AuditEntry): Promise<void> {
    await this.dataSource.transaction((manager) => this.record(manager, entry));
  }

  /** Walks the whole chain in order and reports the first row whose links or content do not match. */
  async verifyChain(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let afterId = '0';
    for (;;) {
      const rows = await this.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.id > :afterId', { afterId })
        .orderBy('e.id', 'ASC')
        .limit(VERIFY_BATCH)
        .getMany();
      for (const row of rows) {
        checked += 1;
        if (row.prevHash !== prevHash || chainHash(prevHash, row) !== row.hash) {
          return { ok: false, checked, firstBrokenId: row.id };
        }
        prevHash = row.hash;
      }
      if (rows.length < VERIFY_BATCH) return { ok: true, checked, firstBrokenId: null };
      afterId = rows[rows.length - 1].id;
    }
  }
}
