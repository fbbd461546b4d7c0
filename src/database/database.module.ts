import { Global, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source.options';
import { EmbeddedPostgresThread } from './embedded-postgres.thread';

/** Where the database is: DATABASE_URL, or an embedded PostgreSQL started here when it is unset. */
@Injectable()
export class DatabaseEndpoint implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseEndpoint.name);
  private embedded?: EmbeddedPostgresThread;
  private readonly closers: (() => Promise<void>)[] = [];
  url: string;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  async open(): Promise<string> {
    if (this.config.database.url) {
      this.url = this.config.database.url;
      return this.url;
    }
    const dataDir = this.config.database.embeddedInMemory ? undefined : join(this.config.dataDir, 'pgdata');
    this.embedded = await EmbeddedPostgresThread.start({ dataDir, port: this.config.database.embeddedPort });
    this.url = this.embedded.url;
    this.logger.log(`DATABASE_URL is unset: embedded PostgreSQL (PGlite) ${dataDir ? `with data in ${dataDir}` : 'in memory'}`);
    return this.url;
  }

  /** Closes a pool of connections of its own (not TypeORM's) before an embedded database stops under it. */
  beforeStop(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    // The pools must be closed before the server under them goes away.
    for (const close of this.closers) await close();
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
  }
}

@Global()
@Module({ providers: [DatabaseEndpoint], exports: [DatabaseEndpoint] })
class DatabaseEndpointModule {}

/** Applies pending migrations at start, one process at a time (an advisory lock guards concurrent starts). */
@Injectable()
export class MigrationRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.database.migrateOnStart) return;
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', ['schema_migrations']);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) this.logger.log(`Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', ['schema_migrations']).catch(() => undefined);
      await runner.release();
    }
  }
}

@Global()
@Module({
  imports: [
    DatabaseEndpointModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseEndpoint, AppConfig],
      useFactory: async (endpoint: DatabaseEndpoint, config: AppConfig) => ({
        ...dataSourceOptions(await endpoint.open(), config.database.poolSize),
        autoLoadEntities: false,
      }),
    }),
  ],
  providers: [MigrationRunner],
  exports: [DatabaseEndpointModule],
})
export class DatabaseModule {}
