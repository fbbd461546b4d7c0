import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refusal the portal means to give, with a stable code clients can rely on (`type` in the problem document is
 * derived from it). Thrown only through an entry of an error catalogue (`DomainError`), never built by hand.
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

/** What OpenAPI says of an error: its code, status and meaning. */
export interface ErrorSpec {
  readonly code: string;
  readonly status: HttpStatus;
  readonly description: string;
}

/**
 * One entry of a module's error catalogue (`<module>/<module>.errors.ts`): a stable code, its status, what it means
 * (for OpenAPI), and how its detail reads. `throw DocumentErrors.notFound.exception()`.
 */
export class DomainError<A extends unknown[] = []> implements ErrorSpec {
  constructor(
    readonly code: string,
    readonly status: HttpStatus,
    /** When it is answered, for the route's OpenAPI entry. */
    readonly description: string,
    private readonly detail: (...args: A) => string = () => description,
  ) {}

  exception(...args: A): DomainException {
    return new DomainException(this.code, this.status, this.detail(...args));
  }

  /** The exception with the fields at fault (`errors` in the problem document). */
  withFields(errors: FieldError[], ...args: A): DomainException {
    return new DomainException(this.code, this.status, this.detail(...args), errors);
  }

  /** The exception with extension members of the problem document (e.g. `retryAfterSeconds`). */
  withExtensions(extensions: Record<string, unknown>, ...args: A): DomainException {
    return new DomainException(this.code, this.status, this.detail(...args), undefined, extensions);
  }
}

/** `<What> was not found`: the one 404 of every module (someone else's record is not found either). */
export const notFoundError = (what: string) => new DomainError('not_found', HttpStatus.NOT_FOUND, `No ${what.toLowerCase()} with this key that the caller may see`, () => `${what} was not found`);

/** A state-machine transition the record's current state does not allow (409), per aggregate. */
export const invalidTransitionError = (entity: string) =>
  new DomainError(
    'invalid_transition',
    HttpStatus.CONFLICT,
    `The ${entity} is not in a state that allows this`,
    (from: string, done: string) => `A ${entity} in state '${from}' cannot be ${done}`,
  );

