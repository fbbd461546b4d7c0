import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../../src/app.module';
import { EmbeddedPostgresThread } from '../../src/database/embedded-postgres.thread';
import { createScratchDatabase } from '../../src/database/scratch-database';
import { STARTED_DATABASE, testSettings } from './test-app';

/**
 * Once per test run: starts and stops the portal on an empty database, so that the migrations in the tree, the job
 * queue's schema and whatever else start-up builds are built once, not once per suite. What it leaves is kept for
 * every suite to copy (test-app.ts): a template database on the server in DATABASE_URL, or a snapshot of the
 * embedded PostgreSQL in a file. global-teardown.ts removes it.
 */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = await createScratchDatabase(serverUrl, 'consular_template');
    await startAndStop(template.url).catch(async (error: unknown) => {
      await template.drop();
      throw error;
    });
    process.env[STARTED_DATABASE.template] = template.name;
    return;
  }
  const embedded = await EmbeddedPostgresThread.start({});
  try {
    await startAndStop(embedded.url);
    const snapshot = join(mkdtempSync(join(tmpdir(), 'consular-snapshot-')), 'pgdata.tar');
    await embedded.dump(snapshot);
    process.env[STARTED_DATABASE.snapshot] = snapshot;
  } finally {
    await embedded.stop();
  }
}

async function startAndStop(databaseUrl: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'consular-template-'));
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(testSettings({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl }))] }).compile();
    await moduleRef.init();
    await moduleRef.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
