import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import { ALERT_CHANNELS, AlertChannel } from './alert-channel';
import { AlertDeliveriesRepository } from './alert-deliveries.repository';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import { AlertDeliveryService } from './alert-delivery.service';
import { PUBLISHED_STATUSES } from './alert-transitions';
import { AlertsRepository } from './alerts.repository';

/** Every minute: follow-up rounds fall due on the minute, and a dead worker's broadcast is resumed within one. */
export const ALERT_SWEEP_CRON = '* * * * *';
/** The highest round a delivery row can carry (alert_deliveries.round). */
const LAST_ROUND = 10;

export interface FollowUpRound {
  round: number;
  recipients: number;
}

/**
 * Roll-call: a follow-up round sends the alert again to the recipients who have not answered (never to those who
 * have): round n is opened on every channel, audited once, and the sending lanes make its deliveries from the
 * recipients still without an answer when their chunk is made. Rounds come from the alert's
 * `followUp` schedule (the minute sweep) or from staff (`alerts.follow-up`, enqueued by POST …/remind).
 */
@Injectable()
export class AlertFollowUpService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertFollowUpService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly alerts: AlertsRepository,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly recipients: AlertRecipientsRepository,
    private readonly sender: AlertDeliveryService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    @Inject(ALERT_CHANNELS) private readonly channels: AlertChannel[],
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('alerts.follow-up', async ({ alertId }) => {
      await this.sendRound(alertId, { onlyIfDue: false });
    });
    await this.jobs.work('alerts.sweep', () => this.sweep());
    await this.jobs.schedule('alerts.sweep', ALERT_SWEEP_CRON, {});
    // A worker that starts (or restarts after a crash) picks up unfinished broadcasts at once, not on the minute.
    if (this.config.runsWorkers) await this.jobs.send('alerts.sweep', {});
  }

  /** The `alerts.sweep` job: rounds that are due, then broadcasts with work left and nobody doing it. */
  async sweep(): Promise<void> {
    for (const alertId of await this.deliveries.dueFollowUps(this.uow.reader)) await this.sendRound(alertId, { onlyIfDue: true });
    await this.sender.resumeUnsettled();
  }

  /**
   * One follow-up round now (or, with `onlyIfDue`, only if the schedule says it is due: the check is made under the
   * alert's lock, so two sweeps never send the same round). Returns the round, or null when none was sent.
   */
  async sendRound(alertId: string, options: { onlyIfDue: boolean }): Promise<FollowUpRound | null> {
    const result = await this.uow.run(async (tx) => {
      const alert = await this.alerts.findById(tx.manager, alertId, { lock: true });
      if (!alert || !PUBLISHED_STATUSES.includes(alert.status) || !(await this.deliveries.isMaterialised(tx.manager, alertId))) return null;
      const due = alert.nextRoundAt !== null && alert.nextRoundAt <= new Date() && alert.roundsSent < (alert.followUpMaxRounds ?? 0);
      const round = alert.roundsSent + 1;
      if ((options.onlyIfDue && !due) || round > LAST_ROUND) return null;
      for (const channel of this.channels) await this.deliveries.openRound(tx.manager, alertId, channel.name, round);
      const recipients = (await this.recipients.stats(tx.manager, alertId)).noResponse;
      await this.deliveries.recordRound(tx.manager, alertId, round);
      tx.audit({
        actor: null,
        action: 'alert.follow_up_sent',
        entityType: 'alert',
        entityId: alertId,
        missionCode: alert.missionCode,
        details: { round, recipients, trigger: options.onlyIfDue ? 'schedule' : 'staff' },
      });
      await this.jobs.send('alerts.send-batch', { alertId, round }, { manager: tx.manager });
      return { round, recipients };
    });
    if (result) this.logger.log({ alertId, ...result }, 'Alert follow-up round started');
    return result;
  }
}
