import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../jobs/job-queue.service';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

const PURGE_CRON = '17 * * * *';

/** Hourly: expired idempotency keys (and the responses they kept) are deleted. */
@Injectable()
export class IdempotencyPurgeService implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdempotencyPurgeService.name);

  constructor(
    private readonly jobs: JobQueue,
    private readonly keys: IdempotencyKeysRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('idempotency.purge', async () => {
      const purged = await this.keys.purgeExpired();
      if (purged > 0) this.logger.log({ purged }, 'Purged expired idempotency keys');
    });
    await this.jobs.schedule('idempotency.purge', PURGE_CRON, {}, 'UTC');
  }
}
