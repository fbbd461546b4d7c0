import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Reads a secret kept under DATA_DIR/secrets, creating it on first use.
 * Only for development and tests: production passes secrets through the environment.
 */
export function readOrCreateSecret(dataDir: string, name: string, create: () => string = () => randomBytes(48).toString('base64url')): string {
  const path = join(dataDir, 'secrets', name);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const value = create();
  writeFileSync(path, value + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return value;
}
