import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { API_PREFIX } from './common/http/api-prefix';
import { createValidationPipe } from './common/http/validation.pipe';
import { AppConfig } from './config/app-config';

/** Routes that live outside /api/v1 (see the contract). */
const UNPREFIXED = [
  { path: 'health/{*path}', method: RequestMethod.ALL },
  { path: 'verify/{*path}', method: RequestMethod.ALL },
  { path: 'respond/{*path}', method: RequestMethod.ALL },
  { path: '.well-known/{*path}', method: RequestMethod.ALL },
];

/** Everything an application needs around its modules; shared by main.ts, tests and the OpenAPI export. */
export function configureApp(app: NestExpressApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(
    helmet({
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
    }),
  );
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
