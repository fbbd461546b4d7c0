import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { keyset, Page, PageQuery, Paginator } from '../common/http/pagination';
import { Alert } from './alert.entity';
import { AlertDelivery } from './alert-delivery.entity';
import { AlertRecipient } from './alert-recipient.entity';

/** Newest approval first (served by alerts_published_idx and alerts_published_all_idx). */
const PUBLISHED = keyset<Alert>('public-alerts', 'DESC', [
  { property: 'a.approvedAt', type: 'timestamp', of: (a) => a.approvedAt as Date },
  { property: 'a.id', type: 'uuid', of: (a) => a.id },
]);

/** A published alert with the published alert that replaced it, if one did. */
export interface PublishedAlert {
  alert: Alert;
  supersededBy: Alert | null;
}

/** The alert a respond link belongs to, and the person it was sent to. */
export interface RespondTarget {
  alert: Alert;
  recipient: AlertRecipient;
}

/**
 * The public side of alerts: what anyone may read (alerts approved, hence signed) and what a respond link opens. Every
 * method takes the transaction (or `UnitOfWork.reader`) first. Nothing here is scoped to a caller: an alert is public
 * from its approval, and a draft is simply never found.
 */
@Injectable()
export class PublicAlertsRepository {
  constructor(private readonly pages: Paginator) {}

  private published(manager: EntityManager): SelectQueryBuilder<Alert> {
    return manager.getRepository(Alert).createQueryBuilder('a').where('a.approvedAt IS NOT NULL');
  }

  /**
   * Alerts in force: approved, not expired, and not replaced by a later approved alert (an update or all-clear takes
   * the place of what it follows). A draft or withdrawn alert was never approved, so it is never here.
   */
  listActive(manager: EntityManager, missionCode: string | undefined, page: PageQuery): Promise<Page<Alert>> {
    const qb = this.published(manager)
      .andWhere('(a.expiresAt IS NULL OR a.expiresAt > now())')
      .andWhere('NOT EXISTS (SELECT 1 FROM alerts s WHERE s.supersedes_id = a.id AND s.approved_at IS NOT NULL)');
    if (missionCode) qb.andWhere('a.missionCode = :missionCode', { missionCode });
    return this.pages.page(qb, PUBLISHED, page);
  }

  /** A mission's latest approved alerts, in force or not, for its feed. */
  latestOfMission(manager: EntityManager, missionCode: string, limit: number): Promise<Alert[]> {
    return this.published(manager)
      .andWhere('a.missionCode = :missionCode', { missionCode })
      .orderBy('a.approvedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** An approved alert and the latest approved alert that replaced it; null for any other id. */
  async findPublished(manager: EntityManager, id: string): Promise<PublishedAlert | null> {
    const alert = await this.published(manager).andWhere('a.id = :id', { id }).getOne();
    if (!alert) return null;
    const supersededBy = await this.published(manager)
      .andWhere('a.supersedesId = :id', { id })
      .orderBy('a.approvedAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .getOne();
    return { alert, supersededBy };
  }

  /** An approved alert by id, without what replaced it (the alert an update names). */
  findApproved(manager: EntityManager, id: string): Promise<Alert | null> {
    return this.published(manager).andWhere('a.id = :id', { id }).getOne();
  }

  /** What a respond link opens: found by the SHA-256 of its token (the token itself is never stored). */
  async findByToken(manager: EntityManager, token: string): Promise<RespondTarget | null> {
    const tokenHash = createHash('sha256').update(token).digest();
    const delivery = await manager.getRepository(AlertDelivery).findOne({ where: { tokenHash }, select: { id: true, recipientId: true, alertId: true } });
    if (!delivery) return null;
    const recipient = await manager.getRepository(AlertRecipient).findOneBy({ id: delivery.recipientId });
    const alert = recipient && (await this.findApproved(manager, recipient.alertId));
    return recipient && alert ? { alert, recipient } : null;
  }

  /** The recipient as it stands now (after an answer was recorded). */
  findRecipient(manager: EntityManager, id: string): Promise<AlertRecipient | null> {
    return manager.getRepository(AlertRecipient).findOneBy({ id });
  }
}
