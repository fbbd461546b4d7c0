import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import { VISA_APPLICATION_TRANSITIONS } from './visa-application-transitions';
import { ReleasedClaim, VisaQueueRepository } from './visa-queue.repository';

/** Every minute: a claim is never held much longer than the configured time. */
export const RELEASE_STALE_CLAIMS_CRON = '* * * * *';
/** Claims released per transaction. */
const BATCH = 200;

/**
 * Returns to the queue the applications whose claim sat untouched for VISA_CLAIM_TIMEOUT_MINUTES (an officer who
 * went home, a closed tab): set-based, in batches, each with a history row (`release`, by the system). Each release
 * is audited on its own application, as the claim was: audit readers look an application up by its id and mission,
 * and stale claims are few, so the chain grows by a handful of entries rather than by one opaque batch entry. Safe
 * to run twice: a released application is no longer in review.
 */
@Injectable()
export class VisaClaimReleaseService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VisaClaimReleaseService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly queue: VisaQueueRepository,
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('visas.release-stale-claims', async () => {
      await this.releaseStaleClaims(new Date());
    });
    await this.jobs.schedule('visas.release-stale-claims', RELEASE_STALE_CLAIMS_CRON, {}, 'UTC');
  }

  /** Releases every claim older than the timeout as of `now`; returns them. */
  async releaseStaleClaims(now: Date): Promise<ReleasedClaim[]> {
    const minutes = this.config.visaQueue.claimTimeoutMinutes;
    const claimedBefore = new Date(now.getTime() - minutes * 60_000);
    const note = `claim untouched for ${minutes} minutes`;
    const released: ReleasedClaim[] = [];
    let batch: ReleasedClaim[];
    do {
      batch = await this.uow.run(async (tx) => {
        const rows = await this.queue.releaseStaleClaims(tx.manager, claimedBefore, BATCH, note);
        for (const claim of rows) {
          tx.audit({
            actor: null,
            action: VISA_APPLICATION_TRANSITIONS.release.auditAction,
            entityType: 'visa_application',
            entityId: claim.id,
            missionCode: claim.processingMissionCode,
            details: { officerId: claim.assignedTo, claimedAt: claim.claimedAt, timeoutMinutes: minutes },
          });
        }
        return rows;
      });
      released.push(...batch);
    } while (batch.length === BATCH);
    if (released.length > 0) this.logger.log({ released: released.length, timeoutMinutes: minutes }, 'Released stale e-visa claims');
    return released;
  }
}
