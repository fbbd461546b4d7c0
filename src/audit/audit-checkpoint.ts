/** What a checkpoint states and carries, as stored, listed, logged and written to the checkpoint file. */
export interface CheckpointStatement {
  lastId: string;
  hash: string;
  count: number;
  /** ISO 8601 with milliseconds, exactly as signed. */
  signedAt: string;
  kid: string;
  signature: string;
}

/**
 * The object the portal's key signs for a checkpoint. `purpose` keeps a checkpoint signature from ever being taken
 * for a document's (the same key signs both).
 */
export function checkpointPayload(c: Pick<CheckpointStatement, 'lastId' | 'hash' | 'count' | 'signedAt'>): object {
  return { purpose: 'audit-checkpoint', lastId: c.lastId, hash: c.hash, count: c.count, signedAt: c.signedAt };
}

/** One line of the checkpoint file read back: a statement, or null when the line is not one. */
export function parseCheckpointLine(line: string): CheckpointStatement | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  const ok =
    typeof c.lastId === 'string' &&
    /^[0-9]{1,19}$/.test(c.lastId) &&
    typeof c.hash === 'string' &&
    typeof c.count === 'number' &&
    Number.isSafeInteger(c.count) &&
    typeof c.signedAt === 'string' &&
    typeof c.kid === 'string' &&
    typeof c.signature === 'string';
  if (!ok) return null;
  return {
    lastId: c.lastId as string,
    hash: c.hash as string,
    count: c.count as number,
    signedAt: c.signedAt as string,
    kid: c.kid as string,
    signature: c.signature as string,
  };
}
