import { applyDecorators, Injectable, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { ApiErrors } from './api-errors';
import { CommonErrors } from './common.errors';
import { isCleanText } from './input-text';

/** `?limit=&cursor=` of every list. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page (`nextCursor`)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * What a cursor part may be, each checked on the way in: a timestamp (to the millisecond, so sort columns are
 * `timestamptz(3)`), a UUID, a bigint, or a text of at most 320 characters without control characters.
 */
export type CursorPartType = 'timestamp' | 'uuid' | 'bigint' | 'text';

export interface KeysetColumn<R> {
  /** The sort column as the query builder names it (`r.createdAt`). */
  property: string;
  type: CursorPartType;
  /** Its value in a fetched row. */
  of: (row: R) => string | Date;
}

/**
 * A list's sort order, as data: its columns (the last one unique, usually the id) in one direction. A cursor
 * names the list it came from, so a cursor of one list is refused by another.
 */
export interface Keyset<R> {
  list: string;
  order: 'ASC' | 'DESC';
  columns: readonly KeysetColumn<R>[];
}

export function keyset<R>(list: string, order: 'ASC' | 'DESC', columns: KeysetColumn<R>[]): Keyset<R> {
  return { list, order, columns };
}

/** The most common order: by creation time, then id (`<alias>.createdAt` is a `timestamptz(3)` column). */
export function byCreation<R extends { createdAt: Date; id: string }>(list: string, order: 'ASC' | 'DESC', alias: string): Keyset<R> {
  return keyset<R>(list, order, [
    { property: `${alias}.createdAt`, type: 'timestamp', of: (r) => r.createdAt },
    { property: `${alias}.id`, type: 'uuid', of: (r) => r.id },
  ]);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BIGINT_PATTERN = /^-?\d{1,19}$/;
const BIGINT_MAX = 2n ** 63n - 1n;
const MAX_TEXT_PART = 320;
const MAC_BYTES = 16;

/**
 * Keyset pagination for every list. The cursor is `<payload>.<mac>`: base64url JSON of the list's name and the last
 * row's sort key, and an HMAC over it with a key derived from DATA_ENCRYPTION_KEY, so an edited or forged cursor is
 * a 400 before any of it reaches SQL; each part is checked against its type as well.
 */
@Injectable()
export class Paginator {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.dataEncryptionKey, 'consular-portal/cursor', 'hmac-sha256 list cursor v1', 32));
  }

  /** Orders `qb` by the keyset, continues after the cursor, fetches `limit + 1` rows (with `fetch`) and cuts the page. */
  async page<E extends ObjectLiteral, R = E>(
    qb: SelectQueryBuilder<E>,
    keys: Keyset<R>,
    query: PageQuery,
    fetch: (qb: SelectQueryBuilder<E>) => Promise<R[]> = (q) => q.getMany() as Promise<unknown[]> as Promise<R[]>,
  ): Promise<Page<R>> {
    const after = this.decode(keys, query.cursor);
    keys.columns.forEach((column, i) => (i === 0 ? qb.orderBy(column.property, keys.order) : qb.addOrderBy(column.property, keys.order)));
    if (after) {
      const names = keys.columns.map((_, i) => `:cursor${i}`);
      const params = Object.fromEntries(after.map((value, i) => [`cursor${i}`, value]));
      qb.andWhere(`(${keys.columns.map((c) => c.property).join(', ')}) ${keys.order === 'ASC' ? '>' : '<'} (${names.join(', ')})`, params);
    }
    const rows = await fetch(qb.limit(query.limit + 1));
    const more = rows.length > query.limit;
    const items = more ? rows.slice(0, query.limit) : rows;
    return { items, nextCursor: more ? this.encode(keys, items[items.length - 1]) : null };
  }

  encode<R>(keys: Keyset<R>, row: R): string {
    const parts = keys.columns.map((column) => {
      const value = column.of(row);
      return value instanceof Date ? value.toISOString() : String(value);
    });
    const payload = Buffer.from(JSON.stringify({ l: keys.list, k: parts })).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The sort key a cursor carries, typed; null without a cursor; a 400 for anything this list did not give out. */
  decode<R>(keys: Keyset<R>, cursor: string | undefined): (string | Date)[] | null {
    if (!cursor) return null;
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length > 0) throw CommonErrors.invalidCursor.exception();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(payload))) throw CommonErrors.invalidCursor.exception();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw CommonErrors.invalidCursor.exception();
    }
    const { l, k } = (decoded ?? {}) as { l?: unknown; k?: unknown };
    if (l !== keys.list || !Array.isArray(k) || k.length !== keys.columns.length) throw CommonErrors.invalidCursor.exception();
    return keys.columns.map((column, i) => cursorPart(column.type, k[i]));
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, MAC_BYTES);
  }
}

function cursorPart(type: CursorPartType, part: unknown): string | Date {
  if (typeof part !== 'string') throw CommonErrors.invalidCursor.exception();
  switch (type) {
    case 'timestamp': {
      // Years 0000-9999 only, a range PostgreSQL's timestamptz holds; the round trip refuses 2026-02-30 and the like.
      if (!TIMESTAMP_PATTERN.test(part) || Number.isNaN(Date.parse(part)) || new Date(part).toISOString() !== part) break;
      return new Date(part);
    }
    case 'uuid':
      if (UUID_PATTERN.test(part)) return part;
      break;
    case 'bigint':
      if (BIGINT_PATTERN.test(part) && BigInt(part) <= BIGINT_MAX && BigInt(part) >= -BIGINT_MAX - 1n) return part;
      break;
    case 'text':
      if (part.length <= MAX_TEXT_PART && isCleanText(part)) return part;
      break;
  }
  throw CommonErrors.invalidCursor.exception();
}

/** A page with its items mapped to responses (by a module's view function). */
export function mapPage<R, T>(page: Page<R>, view: (row: R) => T): Page<T> {
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/** OpenAPI for `{ items: Model[], nextCursor }`, and the 400 of a cursor the list did not give out. */
export function ApiPage(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiErrors(CommonErrors.invalidCursor),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true },
        },
      },
    }),
  );
}
