import { Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

/** The id of a request: the caller's X-Request-Id when it looks like one, else a new UUID. */
export function requestIdFor(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

/** Fields that must never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.passportNumber',
  '*.personalNumber',
  '*.secret',
  '*.*.password',
  '*.*.token',
  '*.*.passportNumber',
];

/**
 * Logs through pino: JSON, or readable lines in a developer's terminal (LOG_FORMAT); every line of a request carries its id, which is also returned in X-Request-Id.
 * The HTTP server assigns the id (see createHttpAdapter); pino-http takes the one the request already has.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // nestjs-pino's default route '*' is the legacy wildcard syntax, which Nest 12 warns about at every start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        // Probes are polled every few seconds and never logged: no per-request child logger for them.
        exclude: [{ path: 'health/{*path}', method: RequestMethod.ALL }],
        pinoHttp: {
          level: config.logLevel,
          // pino-pretty runs in pino's transport thread, so formatting never slows a request.
          transport: config.prettyLogs
            ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}', singleLine: true } }
            : undefined,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: request.url?.split('?')[0] }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
