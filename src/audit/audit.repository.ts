import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { cursorBigint, decodeCursor, Page, toPage } from '../common/http/pagination';
import { AuditEvent } from './audit-event.entity';

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  limit: number;
  cursor?: string;
}

/** Reads of the audit log, newest first. */
@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  async list(filter: AuditFilter): Promise<Page<AuditEvent>> {
    const qb = this.events.createQueryBuilder('e').orderBy('e.id', 'DESC').limit(filter.limit + 1);
    if (filter.entityType) qb.andWhere('e.entityType = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entityId = :entityId', { entityId: filter.entityId });
    if (filter.actorId) qb.andWhere('e.actorId = :actorId', { actorId: filter.actorId });
    const after = decodeCursor(filter.cursor, 1);
    if (after) qb.andWhere('e.id < :afterId', { afterId: cursorBigint(after[0]) });
    const rows = await qb.getMany();
    return toPage(rows, filter.limit, (row) => [row.id], (row) => row);
  }
}
