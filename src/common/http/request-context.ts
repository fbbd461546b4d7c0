import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '../logging/logging.module';

interface RequestScope {
  request: Request;
  response: Response;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Where the current HTTP request came from, for audit events; empty outside a request (jobs, start-up). */
export function requestOrigin(): { ip: string | null; requestId: string | null; userAgent: string | null } {
  const scope = storage.getStore();
  if (!scope) return { ip: null, requestId: null, userAgent: null };
  const id = (scope.request as Request & { id?: unknown }).id ?? scope.response.getHeader(REQUEST_ID_HEADER);
  return {
    ip: scope.request.ip ?? null,
    requestId: id === undefined ? null : String(id),
    userAgent: scope.request.headers['user-agent']?.slice(0, 300) ?? null,
  };
}

/** Keeps the request reachable from services through AsyncLocalStorage. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    storage.run({ request, response }, next);
  }
}
