import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../jobs/job-queue.service';
import { SharedRateLimitsRepository } from './shared-rate-limits.repository';

/** Every minute: shared rate-limit windows that no longer weigh on any count are deleted, off the request path. */
@Injectable()
export class RateLimitPurgeService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RateLimitPurgeService.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly counters: SharedRateLimitsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('rate-limits.purge', async () => {
      const purged = await this.counters.purgeExpired();
      if (purged > 0) this.logger.debug({ purged }, 'Purged expired rate-limit windows');
    });
    await this.jobs.schedule('rate-limits.purge', '* * * * *', {}, 'UTC');
  }
}
