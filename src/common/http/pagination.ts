import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainException } from './domain.exception';
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

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are opaque to clients: base64url of the sort key of the last item. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((part) => (typeof part === 'string' && isCleanText(part)) || Number.isSafeInteger(part))) return key;
  } catch {
    // fall through to the 400 below
  }
  throw invalidCursor();
}

/** A cursor this API did not give out (or one edited by hand): 400. */
export function invalidCursor(): DomainException {
  return new DomainException('invalid_cursor', 400, 'The cursor is not one this list gave out', [{ field: 'cursor', message: 'invalid cursor' }]);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The record id a cursor part carries, checked to be a UUID so it can go into a query. */
export function cursorUuid(part: unknown): string {
  if (typeof part !== 'string' || !UUID_PATTERN.test(part)) throw invalidCursor();
  return part;
}

const BIGINT_MAX = 2n ** 63n - 1n;

/** A bigint id a cursor part carries, checked to fit PostgreSQL's bigint. */
export function cursorBigint(part: unknown): string {
  const digits = typeof part === 'number' ? String(part) : part;
  if (typeof digits !== 'string' || !/^\d{1,19}$/.test(digits) || BigInt(digits) > BIGINT_MAX) throw invalidCursor();
  return digits;
}

/** ISO 8601 with a four-digit year: a moment both JavaScript and PostgreSQL's timestamptz can hold. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** A timestamp a cursor part carries, checked to be one PostgreSQL can compare against. */
export function cursorTimestamp(part: unknown): Date {
  const at = typeof part === 'string' && ISO_TIMESTAMP.test(part) ? new Date(part) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw invalidCursor();
  return at;
}

/** Builds a page from `limit + 1` fetched rows. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => unknown[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items: items.map(map), nextCursor: more ? encodeCursor(key(items[items.length - 1])) : null };
}

/** OpenAPI for `{ items: Model[], nextCursor }`. */
export function ApiPage(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
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
