import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { dropScratchDatabase } from '../../src/database/scratch-database';
import { STARTED_DATABASE } from './test-app';

/** Removes what global-setup.ts built: the template database or the snapshot's folder. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[STARTED_DATABASE.template];
  if (template && process.env.DATABASE_URL) await dropScratchDatabase(process.env.DATABASE_URL, template);
  const snapshot = process.env[STARTED_DATABASE.snapshot];
  if (snapshot) rmSync(dirname(snapshot), { recursive: true, force: true });
}
