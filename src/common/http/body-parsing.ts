import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainException } from './domain.exception';
import { assertAcceptableJson, assertCleanForm, badInput } from './input-text';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;
export const MAX_FORM_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The bodies the portal reads: JSON (1 MB) and HTML forms (64 kB). Anything else is 415; too large is 413;
 * unreadable or hostile (see assertAcceptableJson) is 400, all as problem+json through the one filter, refused
 * before a validator or the database sees it. GET and HEAD bodies are never read: Fastify routes them unparsed.
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
  await server.register(fastifyFormbody, {
    bodyLimit: MAX_FORM_BODY_BYTES,
    parser: (body: string) => {
      assertCleanForm(body);
      return Object.fromEntries(new URLSearchParams(body));
    },
  });
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
    throw badInput('malformed_body', 'The request body is not valid UTF-8');
  }
  assertAcceptableJson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badInput('malformed_body', 'The request body is not valid JSON');
  }
  // Every route takes an object: `null`, a number or an array would reach the validation pipe as something else.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput('malformed_body', 'The request body must be a JSON object');
  return value;
}
