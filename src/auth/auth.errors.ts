import { HttpStatus } from '@nestjs/common';
import { DomainError, notFoundError } from '../common/http/domain.exception';

/** What the identity routes answer when they refuse. */
export const AuthErrors = {
  invalidCredentials: new DomainError('invalid_credentials', HttpStatus.UNAUTHORIZED, 'The e-mail or password is wrong (the same answer for an unknown e-mail)', () => 'The e-mail or password is wrong'),
  invalidRefreshToken: new DomainError('invalid_refresh_token', HttpStatus.UNAUTHORIZED, 'The refresh token is not valid; sign in again'),
  refreshTokenReused: new DomainError('refresh_token_reused', HttpStatus.UNAUTHORIZED, 'The refresh token was already used; every session from it is ended', () => 'This refresh token was already used; every session from it is ended'),
  invalidToken: new DomainError('invalid_token', HttpStatus.BAD_REQUEST, 'The link’s token is unknown, used or expired', () => 'The link is not valid any more; ask for a new one'),
  weakPassword: new DomainError('weak_password', HttpStatus.BAD_REQUEST, 'The password does not meet the policy'),
  loginSlowedDown: new DomainError(
    'login_slowed_down',
    HttpStatus.TOO_MANY_REQUESTS,
    'Too many failed sign-ins for this account: wait for Retry-After seconds',
    (seconds: number) => `Too many failed sign-ins: try again in ${seconds} seconds`,
  ),
  currentPasswordRequired: new DomainError('current_password_required', HttpStatus.UNPROCESSABLE_ENTITY, 'A new password needs the current one', () => 'Give your current password to change it'),
  wrongCurrentPassword: new DomainError('wrong_current_password', HttpStatus.UNPROCESSABLE_ENTITY, 'The current password is wrong'),
  emailTaken: new DomainError('email_taken', HttpStatus.CONFLICT, 'An account with this e-mail address already exists'),
  staffNotFound: notFoundError('Staff member'),
  unknownMission: new DomainError('unknown_mission', HttpStatus.UNPROCESSABLE_ENTITY, 'A mission named in `missions` does not exist', (codes: string) => `No such mission: ${codes}`),
} as const;
