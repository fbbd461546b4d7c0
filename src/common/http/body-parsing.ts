import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainException } from './domain.exception';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const MAX_FORM_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The bodies the portal reads: JSON (1 MB) and HTML forms (64 kB). Anything else is 415; too large is 413;
 * unreadable is 400, all as problem+json through the one filter. GET and HEAD bodies are never read.
 */
export async function registerBodyParsers(server: FastifyInstance): Promise<void> {
  server.removeAllContentTypeParsers();
  const parseJson = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
    try {
      done(null, parseJsonBody(request.headers['content-type'], body as Buffer));
    } catch (error) {
      done(error as Error);
    }
  };
  server.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: MAX_JSON_BODY_BYTES }, parseJson);
  server.addContentTypeParser(/^application\/[a-z0-9.+-]+\+json(;|$)/i, { parseAs: 'buffer', bodyLimit: MAX_JSON_BODY_BYTES }, parseJson);
  await server.register(fastifyFormbody, { bodyLimit: MAX_FORM_BODY_BYTES });
}

function parseJsonBody(contentType: string | undefined, body: Buffer): unknown {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainException('unsupported_media_type', 415, `The request body must be UTF-8, not ${charset}`);
  }
  // An empty body is a common client slip; it reads as an empty object, as before.
  if (body.length === 0) return {};
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw malformed('The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw malformed('The request body is not valid JSON');
  }
}

function malformed(detail: string): DomainException {
  return new DomainException('malformed_body', 400, detail);
}
