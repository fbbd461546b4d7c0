import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { JobQueue } from '../jobs/job-queue.service';
import { ALERT_CHANNELS, AlertChannel } from './alert-channel';
import { AlertDeliveriesRepository, uuidRanges } from './alert-deliveries.repository';
import { PUBLISHED_STATUSES } from './alert-transitions';
import { AlertsRepository } from './alerts.repository';

/**
 * Parts the area's people are written in, at once: 100,000 recipients took 4.6 s as one statement on the 2-core
 * bench machine and half that in parts (one core each, and none waits for another's index pages).
 */
const FAN_OUT_PARTS = 4;

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
 * recipient row per person in the area, written in parts at once, each an INSERT … SELECT in the database, never
 * the audience in Node; then, in one transaction, everyone a superseded alert reached, round 0 opened on every
 * channel and the fan-out marked done. The deliveries are made from the recipients by the sending lanes, a chunk at
 * a time (AlertDeliveryService), so the first messages leave as soon as this commits. A second run adds nothing: a
 * part already made is skipped, and a finished fan-out is not begun again. The send batches are enqueued in the
 * last transaction.
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

  /** Returns null for an alert that is not (or no longer) approved, or whose fan-out is done already. */
  async materialise(alertId: string): Promise<Materialisation | null> {
    const started = Date.now();
    const alert = await this.alerts.findById(this.uow.reader, alertId);
    if (!alert || !PUBLISHED_STATUSES.includes(alert.status) || (await this.deliveries.isMaterialised(this.uow.reader, alertId))) return null;
    // The area's people in parts of the account-id space, each part one INSERT … SELECT in a transaction of its own,
    // all at once: the database writes them on as many cores as it has, and a retried job skips the parts made.
    const parts = await Promise.all(
      uuidRanges(FAN_OUT_PARTS).map((range) => this.uow.run((tx) => this.deliveries.materialiseAudiencePart(tx.manager, alert, range))),
    );
    const result = await this.uow.run(async (tx) => {
      const locked = await this.alerts.findById(tx.manager, alertId, { lock: true });
      if (!locked || !PUBLISHED_STATUSES.includes(locked.status) || (await this.deliveries.isMaterialised(tx.manager, alertId))) return null;
      const recipients = parts.reduce((a, b) => a + b, 0) + (await this.deliveries.materialiseSuperseded(tx.manager, locked));
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
