import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { keyset, Page, PageQuery, Paginator } from '../common/http/pagination';
import { AuditEvent } from './audit-event.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

/** Events sealed in one transaction at most. */
const SEAL_BATCH = 5000;

/** Newest first: ids grow with the chain. */
const NEWEST_FIRST = keyset<AuditEvent>('audit-events', 'DESC', [{ property: 'e.id', type: 'bigint', of: (e) => e.id }]);

/** Reads of the audit log; the transaction (or `UnitOfWork.reader`) first. */
@Injectable()
export class AuditRepository {
  constructor(private readonly pages: Paginator) {}

  /**
   * Seals into the chain every event waiting in `audit_pending` (committed with its change, not linked yet), oldest
   * first, at most SEAL_BATCH in one transaction under the chain's lock; returns how many. The worker's AuditSealer
   * runs it four times a second, and readers of the chain before they read.
   */
  async sealAllPending(manager: EntityManager): Promise<number> {
    let sealed = 0;
    for (;;) {
      const [{ batch }] = (await manager.query(`SELECT audit_seal_pending($1) AS batch`, [SEAL_BATCH])) as { batch: number }[];
      sealed += batch;
      if (batch < SEAL_BATCH) return sealed;
    }
  }

  list(manager: EntityManager, filter: AuditFilter, page: PageQuery): Promise<Page<AuditEvent>> {
    const qb = manager.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.entityType) qb.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
    return this.pages.page(qb, NEWEST_FIRST, page);
  }
}
