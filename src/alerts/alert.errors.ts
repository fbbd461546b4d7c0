import { HttpStatus } from '@nestjs/common';
import { DomainError, invalidTransitionError, notFoundError } from '../common/http/domain.exception';

/** What the alert routes answer when they refuse. */
export const AlertErrors = {
  notFound: notFoundError('Alert'),
  missionNotFound: notFoundError('Mission'),
  personNotFound: notFoundError('Alert recipient'),
  invalidTransition: invalidTransitionError('alert'),
  roleNotAllowed: new DomainError(
    'role_not_allowed',
    HttpStatus.FORBIDDEN,
    'The caller’s role may not take this step (approval: a consul of the mission; submission: an officer or consul)',
    (step: string, roles: readonly string[]) => (roles.length > 0 ? `Only ${roles.join(' or ')} may ${step} this alert` : `No one may ${step} this alert by hand`),
  ),
  ownApproval: new DomainError(
    'own_alert_approval',
    HttpStatus.FORBIDDEN,
    'Four eyes: the author of an alert may not approve it, whatever their role',
    () => 'An alert must be approved by a consul other than its author',
  ),
  invalid: new DomainError(
    'alert_invalid',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'Unknown or inactive mission, an area outside its jurisdiction, an expiry in the past, or a superseded alert that is not a sent alert of the mission (listed in `errors`)',
    () => 'The alert cannot be accepted as it is',
  ),
  notBroadcast: new DomainError(
    'alert_not_broadcast',
    HttpStatus.CONFLICT,
    'Reminders and answers need an approved alert (broadcasting or sent)',
    (status: string) => `An alert in state '${status}' has not been broadcast`,
  ),
  notNeedingHelp: new DomainError(
    'recipient_not_needing_help',
    HttpStatus.CONFLICT,
    'Only a person whose latest answer is "I need help" and who was not yet assisted can be marked assisted',
    () => 'This person has not asked for help, or was already marked assisted',
  ),
  noEmergencyPhone: new DomainError(
    'mission_without_emergency_phone',
    HttpStatus.CONFLICT,
    'The mission has neither an emergency phone nor a phone, one of which every alert carries; an administrator sets it first',
    (mission: string) => `Mission ${mission} has no phone to put in the alert; an administrator adds it to the mission's contacts`,
  ),
} as const;
