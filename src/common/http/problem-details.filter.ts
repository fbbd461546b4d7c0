import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainException, FieldError } from './domain.exception';
import { PROBLEM_CONTENT_TYPE, problem, ProblemDetails } from './problem-details';

/** Errors the HTTP server raises itself (body too large, unsupported type, malformed URL) carry a status. */
interface TransportError {
  status?: number;
  statusCode?: number;
}

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
/** SQLSTATE class 22, data exception: a value PostgreSQL cannot hold (out of range, bad format, NUL in text). */
const PG_DATA_EXCEPTION_CLASS = '22';
const PG_CHECK_VIOLATION = '23514';

/**
 * The one place errors become responses: every error is an RFC 9457 problem document.
 * Unexpected errors answer 500 with only the request id; the details go to the log.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const response = http.getResponse<FastifyReply>();
    const requestId = request.id;
    const body = { ...this.toProblem(exception, requestId), instance: request.url.split('?')[0], requestId };
    if (response.sent) return;
    if (exception instanceof ThrottlerException) setRetryAfter(response);
    if (exception instanceof DomainException && typeof exception.extensions?.retryAfterSeconds === 'number') {
      response.header('Retry-After', String(exception.extensions.retryAfterSeconds));
    }
    if (exception instanceof HttpException) {
      const headers = (exception.getResponse() as { headers?: Record<string, string> })?.headers;
      if (headers) for (const [name, value] of Object.entries(headers)) response.header(name, value);
    }
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, requestId: string): ProblemDetails {
    if (exception instanceof DomainException) {
      return problem(exception.status, exception.code, exception.detail, {
        ...(exception.errors ? { errors: exception.errors } : {}),
        ...exception.extensions,
      });
    }
    if (exception instanceof ThrottlerException) {
      return problem(HttpStatus.TOO_MANY_REQUESTS, 'too_many_requests', 'Too many requests: wait before trying again');
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception);
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string })?.code;
      if (code === PG_UNIQUE_VIOLATION) return problem(HttpStatus.CONFLICT, 'duplicate', 'A record with the same unique value already exists');
      if (code === PG_FOREIGN_KEY_VIOLATION) return problem(HttpStatus.CONFLICT, 'reference_conflict', 'The record refers to, or is referred to by, another record');
      // A backstop: values are validated before SQL, and whatever slips through is the client's value, not a fault.
      if (code?.startsWith(PG_DATA_EXCEPTION_CLASS)) return problem(HttpStatus.BAD_REQUEST, 'invalid_value', 'A value has the wrong format or is out of range');
      if (code === PG_CHECK_VIOLATION) return problem(HttpStatus.UNPROCESSABLE_ENTITY, 'constraint_violation', 'A value breaks a rule of the record');
    }
    const transport = exception as TransportError;
    const status = transport?.status ?? transport?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return this.fromTransportError(status);
    this.logger.error({ err: exception, requestId }, 'Unhandled error');
    return problem(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', `An unexpected error occurred; quote request id ${requestId} when reporting it`);
  }

  private fromHttpException(exception: HttpException): ProblemDetails {
    const status = exception.getStatus();
    const payload = exception.getResponse() as string | { message?: string | string[]; errors?: FieldError[]; code?: string };
    const message = typeof payload === 'string' ? payload : Array.isArray(payload.message) ? payload.message.join('; ') : payload.message;
    const code = (typeof payload === 'object' && payload.code) || defaultCode(status);
    const errors = typeof payload === 'object' ? payload.errors : undefined;
    return problem(status, code, message ?? exception.message, errors ? { errors } : {});
  }

  private fromTransportError(status: number): ProblemDetails {
    if (status === 413) return problem(HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', 'The request body is larger than allowed');
    if (status === 415) return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported_media_type', 'The request body has an unsupported type or encoding');
    return problem(status, defaultCode(status), 'The request could not be read');
  }
}

function defaultCode(status: number): string {
  switch (status) {
    case 400: return 'bad_request';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 422: return 'unprocessable';
    case 429: return 'too_many_requests';
    default: return status >= 500 ? 'server_error' : 'request_error';
  }
}

/** The throttler names its header per limit (Retry-After-auth-ip); clients read the standard one. */
function setRetryAfter(response: FastifyReply): void {
  const waits = Object.entries(response.getHeaders())
    .filter(([name]) => name.toLowerCase().startsWith('retry-after'))
    .map(([, value]) => Number(value))
    .filter((value) => Number.isFinite(value));
  response.header('Retry-After', String(Math.max(1, ...waits)));
}
