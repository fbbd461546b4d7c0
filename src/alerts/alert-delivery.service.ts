import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import { MissionsRepository } from '../missions/missions.repository';
import { ALERT_CHANNELS, AlertBroadcast, AlertChannel, ClaimedDelivery, DeliveryOutcome } from './alert-channel';
import { AlertDeliveriesRepository, RetryPolicy } from './alert-deliveries.repository';
import { PUBLISHED_STATUSES } from './alert-transitions';
import { AlertsRepository } from './alerts.repository';

/**
 * Claim loops per channel within one batch job. Each claims its share of the channel's concurrency, so that while
 * some wait for the database the others' messages keep the connections busy, and no more is claimed than can be on
 * the wire at once.
 */
const LANES = 4;
/**
 * Deliveries a lane makes from the recipients at a time when none is pending: one statement of about 50 ms here,
 * while the other lanes keep sending, and few enough that a crash loses nothing (the chunk commits whole or not at all).
 */
const CHUNK = 1000;
/** When a batch job ends with deliveries claimable now (another worker holds them), the next look is this much later. */
const BUSY_RECHECK_MS = 5000;

/**
 * Writes outcomes as they come, in the background: while one write is running the next outcomes gather, so the
 * claim loops never wait for it and each write takes whatever has settled meanwhile (one statement).
 */
class OutcomeWriter {
  private queued: DeliveryOutcome[] = [];
  private running: Promise<void> | null = null;
  private failure: unknown = null;

  constructor(private readonly write: (outcomes: DeliveryOutcome[]) => Promise<void>) {}

  add(outcomes: DeliveryOutcome[]): void {
    if (this.failure) throw this.failure;
    this.queued.push(...outcomes);
    this.running ??= this.flush();
  }

  /** Waits until everything added is written; throws what a write threw. */
  async done(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queued.length > 0) await this.write(this.queued.splice(0));
    } catch (error) {
      this.failure = error;
    } finally {
      this.running = null;
    }
  }
}

/**
 * Sends an alert round's deliveries, at most once each.
 *
 * Deliveries are made from the round's recipients a chunk at a time, when the lanes run out of pending ones. A
 * delivery is claimed (`sending`, attempt counted, a fresh respond token's hash stored) by one committed
 * statement before its message leaves, and no more are claimed at a time than the channel has in flight; outcomes
 * are recorded as soon as they are known, in small batches. A worker that dies leaves only those few `sending`:
 * once the lease has passed, they are failed as "interrupted, outcome unknown" and never sent again, since the mail
 * server may have accepted them (a person gets the alert once, or the record says it may not have reached them). Temporary failures go back to `pending` with an exponential backoff, up to a limit.
 */
@Injectable()
export class AlertDeliveryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AlertDeliveryService.name);
  private readonly retry: RetryPolicy;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly alerts: AlertsRepository,
    private readonly deliveries: AlertDeliveriesRepository,
    private readonly missions: MissionsRepository,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    @Inject(ALERT_CHANNELS) private readonly channels: AlertChannel[],
  ) {
    this.retry = { maxAttempts: config.alerts.deliveryAttempts, firstDelaySeconds: config.alerts.retryDelaySeconds };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('alerts.send-batch', ({ alertId, round }) => this.sendRound(alertId, round));
  }

  /**
   * The `alerts.send-batch` job: sends every claimable delivery of the round, then settles what it can (dead
   * workers' leases, the alert's `sent`) and schedules itself again for retries or leases still running.
   */
  async sendRound(alertId: string, round: number): Promise<void> {
    const reader = this.uow.reader;
    const alert = await this.alerts.findById(reader, alertId);
    if (!alert || !PUBLISHED_STATUSES.includes(alert.status)) return;
    const mission = await this.missions.findByCode(reader, alert.missionCode);
    if (!mission) throw new Error(`Alert ${alertId} names an unknown mission ${alert.missionCode}`);
    const broadcast: AlertBroadcast = { alert, mission, round };
    const started = Date.now();
    let sent = 0;
    for (const channel of this.channels) {
      const lanes = Math.min(LANES, channel.concurrency);
      const size = Math.max(1, Math.floor(channel.concurrency / lanes));
      const writer = new OutcomeWriter((outcomes) => this.deliveries.settle(this.uow.reader, outcomes, this.retry));
      const counts = await Promise.all(Array.from({ length: lanes }, () => this.drain(broadcast, channel, size, writer)));
      await writer.done();
      sent += counts.reduce((a, b) => a + b, 0);
    }
    if (sent > 0) this.logger.log({ alertId, round, handled: sent, ms: Date.now() - started }, 'Alert deliveries handed over');
    // Pending deliveries left claimable now are being claimed by another worker: look again a little later.
    await this.settleRound(alertId, round, BUSY_RECHECK_MS);
  }

  /**
   * One claim loop: claim a small batch, send it, hand the outcomes to the writer; when nothing is pending, make the
   * round's next chunk of deliveries; until nothing is claimable and the round is made. Returns how many it handled.
   */
  private async drain(broadcast: AlertBroadcast, channel: AlertChannel, size: number, writer: OutcomeWriter): Promise<number> {
    const manager = this.uow.reader;
    let handled = 0;
    for (;;) {
      const tokens = new Map<string, string>();
      for (let i = 0; i < size; i++) {
        const token = randomBytes(32).toString('base64url');
        tokens.set(createHash('sha256').update(token).digest('hex'), token);
      }
      const hashes = [...tokens.keys()].map((hex) => Buffer.from(hex, 'hex'));
      const rows = await this.deliveries.claim(manager, broadcast.alert.id, broadcast.round, channel.name, hashes);
      if (rows.length === 0) {
        // Nothing pending: make the round's next chunk of deliveries, unless every one is made already.
        const chunk = await this.uow.run((tx) => this.deliveries.extendRound(tx.manager, broadcast.alert.id, channel.name, broadcast.round, CHUNK));
        if (chunk.added === 0 && chunk.done) return handled;
        continue;
      }
      const claimed: ClaimedDelivery[] = rows.map(({ tokenHash, ...row }) => ({ ...row, token: tokens.get(tokenHash.toString('hex'))! }));
      writer.add(await channel.sendBatch(broadcast, claimed));
      handled += rows.length;
    }
  }

  /**
   * Fails what dead workers left `sending` past the lease, marks the alert `sent` once round 0 is settled, and
   * when work remains (a retry waiting out its backoff, a lease still running) enqueues this job again for then.
   */
  async settleRound(alertId: string, round: number, claimableDelayMs = 0): Promise<void> {
    const manager = this.uow.reader;
    const interrupted = await this.deliveries.failInterrupted(manager, alertId, this.config.alerts.sendLeaseSeconds);
    if (interrupted > 0) this.logger.warn({ alertId, interrupted }, 'Alert deliveries interrupted by a dead worker were failed, not sent again');
    const left = await this.deliveries.progress(manager, alertId, round);
    if (!left.unmade && left.pending === 0 && left.sending === 0) {
      if (await this.alerts.markSentIfSettled(manager, alertId)) this.logger.log({ alertId }, 'Alert sent: every delivery settled');
      return;
    }
    const leaseEnds = left.oldestSendingAt && new Date(new Date(left.oldestSendingAt).getTime() + this.config.alerts.sendLeaseSeconds * 1000 + 1000);
    // Deliveries still to be made, or pending without a backoff, are claimable now; a backoff waits its time.
    const claimable = left.unmade || (left.pending > 0 && !left.nextAttemptAt);
    const retryAt = claimable ? new Date(Date.now() + claimableDelayMs) : left.nextAttemptAt && left.pending > 0 ? new Date(left.nextAttemptAt) : null;
    const next = [retryAt, leaseEnds].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
    await this.jobs.send('alerts.send-batch', { alertId, round }, { startAfter: next });
  }

  /** The sweep's part: resumes rounds that have work left and no job to do it (their worker died). */
  async resumeUnsettled(): Promise<void> {
    for (const { alertId, round } of await this.deliveries.unsettled(this.uow.reader)) await this.settleRound(alertId, round);
  }
}
