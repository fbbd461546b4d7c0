import { HttpStatus } from '@nestjs/common';
import { DomainError } from './domain.exception';

/** Errors any route may answer, raised by the shared pieces (access guard, validation, pagination, idempotency). */
export const CommonErrors = {
  validationFailed: new DomainError('validation_failed', HttpStatus.BAD_REQUEST, 'A field of the body, query or path is missing or malformed (listed in `errors`)', () => 'The request has invalid fields'),
  invalidCursor: new DomainError('invalid_cursor', HttpStatus.BAD_REQUEST, 'The cursor is not one this list gave out (or it was edited)'),
  unauthenticated: new DomainError('unauthenticated', HttpStatus.UNAUTHORIZED, 'No access token, or an invalid or expired one', () => 'Sign in: the access token is missing, invalid or expired'),
  forbidden: new DomainError('forbidden', HttpStatus.FORBIDDEN, 'The caller’s role may not call this route', (why: string) => why),
  emailNotVerified: new DomainError('email_not_verified', HttpStatus.FORBIDDEN, 'The account’s e-mail address is not confirmed yet (only reading is open)', () => 'Confirm your e-mail address before submitting anything'),
  tooManyRequests: new DomainError('too_many_requests', HttpStatus.TOO_MANY_REQUESTS, 'Too many requests from this address (or for this account): wait for Retry-After seconds'),
  invalidIdempotencyKey: new DomainError('invalid_idempotency_key', HttpStatus.BAD_REQUEST, 'The Idempotency-Key header is not 1 to 255 visible ASCII characters'),
  idempotencyKeyReused: new DomainError('idempotency_key_reused', HttpStatus.UNPROCESSABLE_ENTITY, 'The Idempotency-Key was used for a request with another body', () => 'This Idempotency-Key was already used with a different request body'),
  idempotencyKeyInProgress: new DomainError('idempotency_key_in_progress', HttpStatus.CONFLICT, 'A request with the same Idempotency-Key is still being processed', () => 'A request with this Idempotency-Key is still being processed; retry shortly'),
} as const;
