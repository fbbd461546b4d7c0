import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseEndpoint } from '../database/database.module';
import { JOB_QUEUES, JobName, JobPayloads } from './job-names';

export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: PgBoss.Job<JobPayloads[N]>) => Promise<void>;

export interface EnqueueOptions {
  /** Enqueue inside this transaction: if it rolls back, the job never existed. */
  manager?: EntityManager;
  /** Run no earlier than this. */
  startAfter?: Date;
  /** At most one queued job per key (pg-boss singleton). */
  singletonKey?: string;
}

/** Jobs through pg-boss in the portal's own database, enqueued in the caller's transaction. */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss: PgBoss;
  private pool: Pool;
  private started = false;

  constructor(
    private readonly config: AppConfig,
    private readonly endpoint: DatabaseEndpoint,
  ) {}

  async onModuleInit(): Promise<void> {
    const workers = this.config.runsWorkers;
    this.pool = new Pool({
      connectionString: this.endpoint.url,
      max: this.endpoint.isEmbedded ? 2 : 4,
      application_name: `consular-portal-${this.config.role}`,
    });
    this.pool.on('error', (error) => this.logger.error({ err: error }, 'Job queue connection error'));
    const pool = this.pool;
    // Once closed, no rows rather than an error, as pg-boss's own connections answer: it completes or fails a job
    // without waiting for the answer, and a handler handed a job just as the queue stopped ends after the close
    // (the job stays active until it expires, and is retried).
    const closed = { rows: undefined as unknown as [] };
    this.boss = new PgBoss({
      db: { executeSql: async (text: string, values: unknown[]) => (pool.ending ? closed : pool.query(text, values)) },
      supervise: workers,
      schedule: workers,
      migrate: true,
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'Job queue error'));
    await this.boss.start();
    this.started = true;
    for (const [name, policy] of Object.entries(JOB_QUEUES)) {
      const options = {
        name,
        retryLimit: policy.retryLimit,
        retryDelay: policy.retryDelayFactor * this.config.jobs.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: policy.expireInSeconds,
      };
      if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, options);
      else await this.boss.createQueue(name, options);
    }
  }

  async send<N extends JobName>(name: N, data: JobPayloads[N], options: EnqueueOptions = {}): Promise<string | null> {
    const { manager, ...jobOptions } = options;
    return this.boss.send(name, data as object, { ...jobOptions, ...(manager ? { db: transactionalDb(manager) } : {}) });
  }

  /** Registers a handler, in processes that run workers. A handler must be safe to run twice. */
  async work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void> {
    if (!this.config.runsWorkers) return;
    // pg-boss waits a polling interval after every fetch: a worker that found a job asks for the next at once, so a
    // backlog drains as fast as the handler runs and only an idle queue is polled.
    const workerId: string = await this.boss.work<JobPayloads[N]>(name, { batchSize: 1, pollingIntervalSeconds: this.config.jobs.pollSeconds }, async ([job]) => {
      try {
        await handler(job.data, job);
      } finally {
        this.boss.notifyWorker(workerId);
      }
    });
  }

  /** A recurring job (cron, in the given time zone), scheduled by worker processes. */
  async schedule<N extends JobName>(name: N, cron: string, data: JobPayloads[N], tz = 'UTC'): Promise<void> {
    if (!this.config.runsWorkers) return;
    await this.boss.schedule(name, cron, data as object, { tz });
  }

  /** Readiness: the queue answers. */
  async ping(): Promise<void> {
    if (!this.started) throw new Error('Job queue is not started');
    await this.boss.getQueues();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.started) {
      await this.pool?.end().catch(() => undefined);
      return;
    }
    this.started = false;
    // Let running handlers finish; what does not finish in time is retried by another worker.
    await this.boss.stop({ graceful: true, wait: true, timeout: this.config.shutdownGraceSeconds * 1000 });
    // A closing pg pool neither serves nor rejects a query still waiting for a connection: a worker's fetch waiting
    // there would never return, and pg-boss's check that its workers have ended would go on polling every second
    // after everything else has stopped. So pg-boss runs on connections of ours, and the last fetches finish before
    // they close: each worker then sees it was stopped, and ends.
    const until = Date.now() + this.config.shutdownGraceSeconds * 1000;
    while ((this.pool.waitingCount > 0 || this.pool.idleCount < this.pool.totalCount) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await this.pool.end();
  }
}

function transactionalDb(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      if (!manager.queryRunner) throw new Error('JobQueue.send with a manager needs a transaction');
      const result = await manager.queryRunner.query(text, values, true);
      return { rows: result.records };
    },
  };
}
