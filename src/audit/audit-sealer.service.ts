import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AuditRepository } from './audit.repository';

/**
 * How often a worker links the waiting events into the chain: often, so that each time is a short burst (about
 * 30 µs an event) beside the writers on the database's cores, rather than one long one a second.
 */
export const SEAL_EVERY_MS = 250;

/**
 * Links the audit events waiting in `audit_pending` into the chain, four times a second, in processes that run workers.
 * An audited change commits its event there without touching the chain, so no writer waits for another's commit;
 * this is the one place that extends the chain in the background (readers of the chain seal what is waiting before
 * they read). Several workers take turns under the chain's lock. A full batch is followed by the next at once.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: AuditRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers) return;
    this.timer = setInterval(() => {
      this.running ??= this.sealWaiting().finally(() => (this.running = null));
    }, SEAL_EVERY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async sealWaiting(): Promise<void> {
    try {
      const sealed = await this.events.sealAllPending(this.dataSource.manager);
      if (sealed > 0) this.logger.debug({ sealed }, 'Audit events sealed into the chain');
    } catch (error) {
      // The next tick tries again; the events wait, committed.
      this.logger.error({ err: error }, 'Sealing the waiting audit events failed');
    }
  }
}
