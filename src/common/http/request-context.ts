import type { FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<FastifyRequest>();

/** Where the current HTTP request came from, for audit events; empty outside a request (jobs, start-up). */
export function requestOrigin(): { ip: string | null; requestId: string | null; userAgent: string | null } {
  const request = storage.getStore();
  if (!request) return { ip: null, requestId: null, userAgent: null };
  return {
    ip: request.ip ?? null,
    requestId: request.id,
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
  };
}

/** Runs the rest of the request (guards, pipes, handler) with the request reachable from services. */
export function enterRequestScope(request: FastifyRequest, next: () => void): void {
  storage.run(request, next);
}
