import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuthUser } from '../common/auth/auth-user';
import { scopeQuery } from '../common/auth/record-scope';
import { byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { Alert, AlertHistory, AlertStatus } from './alert.entity';
import { AlertErrors } from './alert.errors';
import { ALERT_TRANSITIONS, AlertAction, AlertTransition } from './alert-transitions';

/** Where an alert's mission is, for the scope helper (citizens see alerts through their recipient rows instead). */
const SCOPE = { mission: 'missionCode' };

/** The staff list: newest first. */
const STAFF_LIST = byCreation<Alert>('staff-alerts', 'DESC', 'a');

/** What a transition writes beside the status and its timestamp. */
export type AlertTransitionChanges = Pick<
  QueryDeepPartialEntity<Alert>,
  'approvedBy' | 'approvedAt' | 'emergencyPhone' | 'canonical' | 'signature' | 'kid' | 'nextRoundAt'
>;

/**
 * Alerts and their status history. Every method takes the transaction (or `UnitOfWork.reader`) first. Recipients
 * and deliveries have their own repositories.
 */
@Injectable()
export class AlertsRepository {
  constructor(private readonly pages: Paginator) {}

  private scoped(manager: EntityManager, user: AuthUser): SelectQueryBuilder<Alert> {
    return scopeQuery(manager.getRepository(Alert).createQueryBuilder('a'), user, SCOPE);
  }

  /** An alert of the caller's missions (any for an admin), else null. Locked when asked. */
  findInScope(manager: EntityManager, user: AuthUser, id: string, options: { lock?: boolean } = {}): Promise<Alert | null> {
    const qb = this.scoped(manager, user).andWhere('a.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** The alerts of the caller's missions (every mission for an admin), newest first. */
  list(manager: EntityManager, user: AuthUser, filter: { missionCode?: string; status?: AlertStatus }, page: PageQuery): Promise<Page<Alert>> {
    const qb = this.scoped(manager, user);
    if (filter.missionCode) qb.andWhere('a.missionCode = :missionCode', { missionCode: filter.missionCode });
    if (filter.status) qb.andWhere('a.status = :status', { status: filter.status });
    return this.pages.page(qb, STAFF_LIST, page);
  }

  /** Alerts by id, in any order: for pages of rows that name them. */
  findByIds(manager: EntityManager, ids: string[]): Promise<Alert[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(Alert).createQueryBuilder('a').where('a.id IN (:...ids)', { ids }).getMany();
  }

  /** An alert by id whoever asks: for jobs and public pages, which decide themselves what they may show. */
  findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<Alert | null> {
    const qb = manager.getRepository(Alert).createQueryBuilder('a').where('a.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** A new draft, with its creation in the history. */
  async insert(manager: EntityManager, values: QueryDeepPartialEntity<Alert>, actorId: string): Promise<Alert> {
    const result = await manager.getRepository(Alert).insert({ ...values, status: 'draft' });
    const id = result.identifiers[0].id as string;
    await this.addHistory(manager, id, null, 'draft', actorId);
    return this.reload(manager, id);
  }

  reload(manager: EntityManager, id: string): Promise<Alert> {
    return manager.getRepository(Alert).findOneByOrFail({ id });
  }

  /**
   * The one way an alert changes status: the transition table says whether `action` is allowed from its status, the
   * UPDATE applies it only if the status is still that one, sets the step's timestamp (now, unless `changes` gives
   * it), and a history row records it, in the caller's transaction. Anything else is a 409.
   */
  async transition(manager: EntityManager, alert: Alert, action: AlertAction, actorId: string | null, changes: AlertTransitionChanges = {}): Promise<Alert> {
    const rule: AlertTransition = ALERT_TRANSITIONS[action];
    const from = alert.status;
    if (!rule.from.includes(from)) throw AlertErrors.invalidTransition.exception(from, rule.done);
    const result = await manager
      .createQueryBuilder()
      .update(Alert)
      .set({ [rule.stamp]: () => 'now()', ...changes, status: rule.to, updatedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id AND status = :from', { id: alert.id, from })
      .execute();
    if (result.affected !== 1) throw AlertErrors.invalidTransition.exception(from, rule.done);
    await this.addHistory(manager, alert.id, from, rule.to, actorId);
    return this.reload(manager, alert.id);
  }

  /**
   * `markSent` once every round of the alert is made and no delivery is pending or sending: true when this call made the alert sent, false
   * when it is not settled yet or no longer broadcasting. One statement, safe to run from concurrent batch jobs.
   */
  async markSentIfSettled(manager: EntityManager, alertId: string): Promise<boolean> {
    const rule: AlertTransition = ALERT_TRANSITIONS.markSent;
    const rows: unknown[] = await manager.query(
      `WITH settled AS (
         UPDATE alerts a SET status = $2, sent_at = now(), updated_at = now(), version = a.version + 1
          WHERE a.id = $1 AND a.status = ANY($3::text[])
            AND NOT EXISTS (SELECT 1 FROM alert_rounds o WHERE o.alert_id = a.id AND NOT o.done)
            AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.alert_id = a.id AND d.status IN ('pending', 'sending'))
         RETURNING a.id)
       INSERT INTO alert_history (alert_id, from_status, to_status, actor_id)
       SELECT id, $4, $2, NULL FROM settled
       RETURNING alert_id`,
      [alertId, rule.to, rule.from, rule.from[0]],
    );
    return rows.length === 1;
  }

  async addHistory(manager: EntityManager, alertId: string, fromStatus: AlertStatus | null, toStatus: AlertStatus, actorId: string | null): Promise<void> {
    await manager.getRepository(AlertHistory).insert({ alertId, fromStatus, toStatus, actorId });
  }

  history(manager: EntityManager, alertId: string): Promise<AlertHistory[]> {
    return manager.getRepository(AlertHistory).find({ where: { alertId }, order: { at: 'ASC', id: 'ASC' } });
  }
}
