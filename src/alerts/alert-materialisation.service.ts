import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { JobQueue } from '../jobs/job-queue.service';
import { ALERT_CHANNELS, AlertChannel } from './alert-channel';
import { AlertDeliveriesRepository } from './alert-deliveries.repository';
import { PUBLISHED_STATUSES } from './alert-transitions';
import { AlertsRepository } from './alerts.repository';

export interface Materialisation {
  /** Recipient rows this run added (0 when run again). */
  recipients: number;
  /** Rounds this run opened (round 0, one per channel; 0 when run again). */
  rounds: number;
  /** People the alert reaches. */
  targeted: number;
}

/**
 * The fan-out of an approved alert (`alerts.materialise`, enqueued by the approval's own transaction): one
 * recipient row per person in the area (and everyone a superseded alert reached), one INSERT … SELECT in the
 * database, never the audience in Node, and round 0 opened on every channel. The deliveries are made from the
 * recipients by the sending lanes, a chunk at a time (AlertDeliveryService), so the first messages leave as soon as
 * this commits. The unique keys make a second run add nothing. The send batches are enqueued in the same
 * transaction.
 */
@Injectable()
export class AlertMaterialisationService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertMaterialisationService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly alerts: AlertsRepository,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly jobs: JobQueue,
    @Inject(ALERT_CHANNELS) private readonly channels: AlertChannel[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('alerts.materialise', async ({ alertId }) => {
      await this.materialise(alertId);
    });
  }

  /** Returns null for an alert that is not (or no longer) approved. */
  async materialise(alertId: string): Promise<Materialisation | null> {
    const started = Date.now();
    const result = await this.uow.run(async (tx) => {
      const alert = await this.alerts.findById(tx.manager, alertId, { lock: true });
      if (!alert || !PUBLISHED_STATUSES.includes(alert.status)) return null;
      const recipients = await this.deliveries.materialiseRecipients(tx.manager, alert);
      let rounds = 0;
      for (const channel of this.channels) rounds += Number(await this.deliveries.openRound(tx.manager, alertId, channel.name, 0));
      const targeted = await this.deliveries.markMaterialised(tx.manager, alertId);
      await this.jobs.send('alerts.send-batch', { alertId, round: 0 }, { manager: tx.manager });
      return { recipients, rounds, targeted };
    });
    if (result) this.logger.log({ alertId, ...result, ms: Date.now() - started }, 'Alert fan-out materialised');
    return result;
  }
}
