import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { createHash } from 'node:crypto';
import { catchError, concatMap, from, Observable, of, throwError } from 'rxjs';
import type { AuthUser } from '../auth/auth-user';
import { canonicalJson } from '../canonical-json';
import { FieldCipher } from '../crypto/field-cipher';
import { CommonErrors } from '../http/common.errors';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The parts of a request this needs; Express's and Fastify's requests both have them. */
interface KeyedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: AuthUser;
}

/** The response methods Express and Fastify share. */
interface Reply {
  header(name: string, value: string): unknown;
}

/**
 * `Idempotency-Key` for a POST that opts in with @Idempotent(): the first request with a key runs and its response
 * is stored; a repeat with the same body gets that response again (with `Idempotent-Replayed: true`), with another
 * body a 422, and while the first still runs a 409. Keys are scoped to the caller and the request path.
 * A request without the header runs as usual.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyKeysRepository,
    private readonly cipher: FieldCipher,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (key === undefined) return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw CommonErrors.invalidIdempotencyKey.exception();

    // Routes that opt in are signed-in routes; the guard has put the caller on the request.
    const scope = `${request.user?.id ?? 'anonymous'} ${request.method} ${request.url.split('?')[0]}`;
    const requestHash = createHash('sha256').update(canonicalJson(request.body ?? null)).digest('hex');

    if (await this.keys.claim(scope, key, requestHash)) {
      const status = (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? HttpStatus.CREATED;
      return next.handle().pipe(
        concatMap((body: unknown) => from(this.keys.complete(scope, key, status, this.cipher.encrypt(JSON.stringify(body ?? null))).then(() => body))),
        catchError((error: unknown) => from(this.keys.release(scope, key)).pipe(concatMap(() => throwError(() => error)))),
      );
    }

    const stored = await this.keys.find(scope, key);
    if (stored && stored.requestHash !== requestHash) throw CommonErrors.idempotencyKeyReused.exception();
    if (!stored?.response) throw CommonErrors.idempotencyKeyInProgress.withExtensions({ retryAfterSeconds: 1 });
    context.switchToHttp().getResponse<Reply>().header(REPLAYED_HEADER, 'true');
    return of(JSON.parse(this.cipher.decrypt(stored.response)) as unknown);
  }
}
