import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { JobQueue } from '../jobs/job-queue.service';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { VisaFilesRepository } from './visa-files.repository';

const SWEEP_CRON = '*/10 * * * *';
const BATCH = 200;

/**
 * Deletes the stored bytes of visa files no record refers to any more: the triggers on visa_files record each
 * storage key a row lets go of (a replaced upload, a companion removed from an application), and this deletes the
 * bytes, then the record. A replacement is swept at once; everything else every 10 minutes. Deleting bytes that
 * are already gone is no error, so a sweep interrupted half way simply runs again.
 */
@Injectable()
export class VisaFileSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(VisaFileSweeper.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly files: VisaFilesRepository,
    private readonly jobs: JobQueue,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('visas.sweep-discarded-files', async () => {
      const swept = await this.sweep();
      if (swept > 0) this.logger.log({ swept }, 'Deleted the bytes of discarded visa files');
    });
    await this.jobs.schedule('visas.sweep-discarded-files', SWEEP_CRON, {}, 'UTC');
  }

  /**
   * Sweeps the given discarded keys, or every discarded key when none are given; returns how many went. A key the
   * store refuses to delete is logged and put at the back of the queue for the next sweep.
   */
  async sweep(keys: string[] | null = null): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, deleted } = await this.uow.run(async (tx) => {
        const batch = await this.files.claimDiscarded(tx.manager, keys, BATCH);
        const gone: string[] = [];
        const kept: string[] = [];
        for (const key of batch) {
          try {
            await this.storage.delete(key);
            gone.push(key);
          } catch (error) {
            this.logger.warn({ err: error, key }, 'Could not delete the bytes of a discarded visa file; retried in the next sweep');
            kept.push(key);
          }
        }
        await this.files.forgetDiscarded(tx.manager, gone);
        await this.files.postponeDiscarded(tx.manager, kept);
        return { claimed: batch.length, deleted: gone.length };
      });
      total += deleted;
      if (claimed < BATCH || deleted === 0) return total;
    }
  }
}
