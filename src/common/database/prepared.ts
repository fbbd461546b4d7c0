import type { PoolClient } from 'pg';
import { EntityManager, QueryFailedError } from 'typeorm';

/** A number per pooled client, for statement names no two clients share. */
const clientNumbers = new WeakMap<PoolClient, number>();
let clients = 0;

/**
 * Runs one of the hottest statements (an audit append, an officer's claim) as a prepared statement of the
 * connection, parsed once per connection, not at every call. `name` must be unique to `text`. Errors are TypeORM's
 * QueryFailedError, as from `manager.query`. Outside a transaction (no query runner) it is an ordinary query.
 */
export async function queryPrepared<T = Record<string, unknown>>(manager: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner) return manager.query(text, values);
  return queryPreparedOn<T>((await runner.connect()) as PoolClient, name, text, values);
}

/**
 * `queryPrepared` on a pg client. The name is made per pooled client, since the embedded database serves every client
 * from one session, where a second client preparing the same name would fail.
 */
export async function queryPreparedOn<T = Record<string, unknown>>(client: PoolClient, name: string, text: string, values: unknown[]): Promise<T[]> {
  let number = clientNumbers.get(client);
  if (number === undefined) clientNumbers.set(client, (number = ++clients));
  try {
    return (await client.query({ name: `${name}-${number}`, text, values })).rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
