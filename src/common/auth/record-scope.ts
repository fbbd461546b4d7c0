import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AuthUser } from './auth-user';

/** Which columns of a record name its owner and its mission (property names of the entity). */
export interface ScopeColumns {
  owner?: string;
  mission?: string;
}

/**
 * The one place that narrows a query to what the caller may see: a citizen only their own records,
 * staff only their missions' records, an admin everything. Records outside it are simply not found (404).
 */
export function scopeQuery<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  user: AuthUser,
  columns: ScopeColumns,
  alias = qb.alias,
): SelectQueryBuilder<T> {
  const where = scopeCondition(user, columns, alias);
  return qb.andWhere(new Brackets((b) => b.where(where.sql, where.params)));
}

/** The scope as an SQL condition with named parameters, for raw SQL and query builders alike. */
export function scopeCondition(
  user: AuthUser,
  columns: ScopeColumns,
  alias: string,
): { sql: string; params: Record<string, unknown> } {
  if (user.role === 'admin') return { sql: 'TRUE', params: {} };
  if (user.role === 'citizen') {
    if (!columns.owner) return { sql: 'FALSE', params: {} };
    return { sql: `${alias}.${columns.owner} = :scopeOwnerId`, params: { scopeOwnerId: user.id } };
  }
  if (!columns.mission || user.missions.length === 0) return { sql: 'FALSE', params: {} };
  return { sql: `${alias}.${columns.mission} IN (:...scopeMissions)`, params: { scopeMissions: user.missions } };
}
