import { INestApplication, RequestMethod } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet, { HelmetOptions } from 'helmet';
import { Logger } from 'nestjs-pino';
import { API_PREFIX } from './common/http/api-prefix';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registerBodyParsers } from './common/http/body-parsing';
import { assertCleanUrl, invalidPath } from './common/http/input-text';
import { enterRequestScope } from './common/http/request-context';
import { registerUploads } from './common/http/uploads';
import { createValidationPipe } from './common/http/validation.pipe';
import { REQUEST_ID_HEADER, requestIdFor } from './common/logging/logging.module';
import { AppConfig } from './config/app-config';

/** Routes that live outside /api/v1 (see the contract). */
const UNPREFIXED = [
  { path: 'health/{*path}', method: RequestMethod.ALL },
  { path: 'verify/{*path}', method: RequestMethod.ALL },
  { path: 'respond/{*path}', method: RequestMethod.ALL },
  // Only the public page: the citizen's /api/v1/alerts routes keep the prefix.
  { path: 'alerts/:id', method: RequestMethod.GET },
  { path: '.well-known/{*path}', method: RequestMethod.ALL },
  { path: 'verify-email', method: RequestMethod.ALL },
  { path: 'verify-email/resend', method: RequestMethod.POST },
  { path: 'reset-password', method: RequestMethod.ALL },
  { path: 'reset-password/request', method: RequestMethod.POST },
  { path: 'accept-invitation', method: RequestMethod.ALL },
  { path: 'sign-in', method: RequestMethod.GET },
  { path: 'documents/:serial', method: RequestMethod.GET },
  { path: 'document-requests/:id/status', method: RequestMethod.GET },
  { path: 'registrations/:id/status', method: RequestMethod.GET },
  { path: 'visa-applications/:id/status', method: RequestMethod.GET },
];

/**
 * The HTTP server under Nest. Made before the application, so what Fastify fixes at construction comes from here:
 * which proxies are trusted for the client address, and the request id every log line and response carries.
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    // TRUST_PROXY counts the proxies in front, as Express's `trust proxy` number did: that many hops are believed.
    trustProxy: config.trustProxy > 0 ? (_address: string, hop: number) => hop < config.trustProxy : false,
    genReqId: (request: IncomingMessage) => requestIdFor(request.headers[REQUEST_ID_HEADER]),
    // The router refuses a malformed URL or an over-long parameter before any hook runs: through the one filter too.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      return request.server.errorHandler(error.code === 'FST_ERR_BAD_URL' ? invalidPath() : error, request, reply);
    },
  });
}

/** Everything an application needs around its modules; shared by main.ts, tests and the OpenAPI export. */
export async function configureApp(app: NestFastifyApplication): Promise<OpenAPIObject> {
  const config = app.get(AppConfig);
  const server = app.getHttpAdapter().getInstance();
  app.useLogger(app.get(Logger));
  // preHandler, not onRequest: the handler runs synchronously from here, after the body has been read.
  server.addHook('preHandler', (request, _reply, done) => enterRequestScope(request, done));
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The Swagger UI at /docs uses inline styles and scripts; nothing else does.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
      },
    },
  });
  // The first onRequest hook runs for every answer, the router's own 404 and CORS preflights included (the router's
  // 400/414 set the id in frameworkErrors above).
  server.addHook('onRequest', (request, reply, done) => {
    reply.headers(securityHeaders);
    reply.header(REQUEST_ID_HEADER, request.id);
    // Before routing reaches a parameter, a validator or SQL: a path or query that does not decode to clean text is 400.
    try {
      assertCleanUrl(request.url);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  await registerBodyParsers(server);
  await registerUploads(server);
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins, credentials: false, exposedHeaders: ['X-Request-Id', 'Retry-After'] });
  }
  configureRoutes(app);
  app.useGlobalPipes(createValidationPipe());
  // After a signal, Nest drains requests and jobs, then exits 0 (rather than re-raising the signal) so that
  // supervisors and `npm start` see a clean stop.
  app.enableShutdownHooks([], { useProcessExit: true });
  const document = buildOpenApi(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  return document;
}

/** Puts JSON routes under /api/v1; also needed, alone, to export the OpenAPI document without a database. */
export function configureRoutes(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
}

export function buildOpenApi(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Consular digital services')
    .setDescription(
      `Consular registration, e-visa, emergency alerts and document issuance for the missions of the ${config.state.name.en ?? config.state.code}. ` +
        'Errors are RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, builder, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/**
 * helmet's headers, computed once at start: with a fixed policy (no nonces) they are the same for every answer, so
 * running helmet's middleware per request (CSP serialisation included) would only redo the same work.
 */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
