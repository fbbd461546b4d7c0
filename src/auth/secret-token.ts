import { createHash, randomBytes } from 'node:crypto';

/** A random value handed to a person once; the database keeps only its SHA-256. */
export function newSecretToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashSecretToken(token) };
}

export function hashSecretToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
