import { HttpStatus } from '@nestjs/common';
import { DomainError, invalidTransitionError, notFoundError } from '../common/http/domain.exception';

/** What the registration routes answer when they refuse. */
export const RegistrationErrors = {
  notFound: notFoundError('Registration'),
  exists: new DomainError(
    'registration_exists',
    HttpStatus.CONFLICT,
    'The caller has a pending or active registration with this mission',
    (mission: string) => `You already have a pending or active registration with ${mission}; update or end it instead`,
  ),
  closed: new DomainError(
    'registration_closed',
    HttpStatus.CONFLICT,
    'The registration is rejected or ended and can no longer be changed',
    (status: string) => `A registration in state '${status}' can no longer be changed`,
  ),
  invalid: new DomainError(
    'registration_invalid',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'Unknown or inactive mission, an address outside its jurisdiction, a passport number of the wrong format, or dates out of order (listed in `errors`)',
    () => 'The registration cannot be accepted as it is',
  ),
  invalidTransition: invalidTransitionError('registration'),
} as const;
