import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refusal the portal means to give, with a stable code clients can rely on
 * (`type` in the problem document is derived from it).
 */
export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'DomainException';
  }
}

export const NotFound = (what: string) => new DomainException('not_found', HttpStatus.NOT_FOUND, `${what} was not found`);
export const Conflict = (code: string, detail: string) => new DomainException(code, HttpStatus.CONFLICT, detail);
export const Forbidden = (code: string, detail: string) => new DomainException(code, HttpStatus.FORBIDDEN, detail);
export const Unprocessable = (code: string, detail: string, errors?: FieldError[]) =>
  new DomainException(code, HttpStatus.UNPROCESSABLE_ENTITY, detail, errors);
/** A state-machine transition that is not allowed from the record's current state. */
export const InvalidTransition = (entity: string, from: string, action: string) =>
  new DomainException('invalid_transition', HttpStatus.CONFLICT, `A ${entity} in state '${from}' cannot be ${action}`);
