import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { keyset, Page, PageQuery, Paginator } from '../common/http/pagination';
import { AuditEvent } from './audit-event.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
}

/** Newest first: ids grow with the chain. */
const NEWEST_FIRST = keyset<AuditEvent>('audit-events', 'DESC', [{ property: 'e.id', type: 'bigint', of: (e) => e.id }]);

/** Reads of the audit log; the transaction (or `UnitOfWork.reader`) first. */
@Injectable()
export class AuditRepository {
  constructor(private readonly pages: Paginator) {}

  list(manager: EntityManager, filter: AuditFilter, page: PageQuery): Promise<Page<AuditEvent>> {
    const qb = manager.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.entityType) qb.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
    return this.pages.page(qb, NEWEST_FIRST, page);
  }
}
