import { HttpStatus } from '@nestjs/common';
import { DomainError, invalidTransitionError, notFoundError } from '../common/http/domain.exception';

/** What the e-visa routes answer when they refuse. */
export const VisaErrors = {
  notFound: notFoundError('Visa application'),
  invalid: new DomainError(
    'visa_application_invalid',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The application breaks a visa rule: an ineligible nationality, an unknown visa type or entries, arrival too soon or too far ahead, a stay too long, a passport expiring too early, or an MRZ that is invalid or does not match the form (every problem listed in `errors`)',
    () => 'The application does not meet the visa rules',
  ),
  ineligibleNationality: new DomainError(
    'visa_nationality_ineligible',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'A person on the application holds a passport of a nationality that may not apply for an e-visa (they apply at a mission instead); every problem listed in `errors`',
    (nationalities: string) => `Holders of ${nationalities} passports cannot apply for an e-visa; please apply for a visa at a mission of the issuing state`,
  ),
  incomplete: new DomainError(
    'visa_application_incomplete',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'Something required before submission is missing: the payment, a photo or passport scan of a person, or a field (every missing item listed in `errors`)',
    () => 'The application cannot be submitted yet: something required is missing',
  ),
  notEditable: new DomainError(
    'visa_application_not_editable',
    HttpStatus.CONFLICT,
    'Only a draft, or an application sent back for information, can be changed',
    (status: string) => `A visa application in state '${status}' can no longer be changed`,
  ),
  alreadyPaid: new DomainError('visa_application_paid', HttpStatus.CONFLICT, 'The fee of this application is already paid', () => 'The fee of this application is already paid'),
  feeLocked: new DomainError(
    'visa_fee_locked',
    HttpStatus.CONFLICT,
    'The fee is paid: the visa type, entries and number of people, which set it, can no longer change',
    () => 'The fee is already paid; the visa type, entries and number of people can no longer be changed',
  ),
  paymentFailed: new DomainError(
    'visa_payment_failed',
    HttpStatus.PAYMENT_REQUIRED,
    'The payment provider declined the payment',
    (reason: string) => `The payment was declined: ${reason}`,
  ),
  roleNotAllowed: new DomainError(
    'role_not_allowed',
    HttpStatus.FORBIDDEN,
    'The caller’s role may not take this step (a flagged application: approval by a consul; revocation: a consul)',
    (step: string, roles: readonly string[]) => `Only ${roles.join(' or ')} may ${step} this`,
  ),
  invalidTransition: invalidTransitionError('visa application'),
  claimedByOther: new DomainError(
    'visa_application_claimed',
    HttpStatus.CONFLICT,
    'Another officer has claimed this application and is reviewing it',
    () => 'Another officer is reviewing this application',
  ),
  notAssigned: new DomainError(
    'visa_application_not_assigned',
    HttpStatus.FORBIDDEN,
    'Only the officer who claimed the application, or a consul of its mission, may decide it',
    () => 'Claim the application before deciding it: another officer holds it, or nobody does',
  ),
  consulApprovalRequired: new DomainError(
    'consul_approval_required',
    HttpStatus.FORBIDDEN,
    'Screening flagged the application (a watch-list match or another open application with the same passport): only a consul may approve it',
    () => 'This application is flagged: a consul must approve it',
  ),
  unknownReason: new DomainError(
    'unknown_reason_code',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The reason is not a rejection reason code of the issuing state’s visa rules (the valid codes are listed in `errors`)',
    (code: string) => `'${code}' is not a rejection reason of the visa rules`,
  ),
  refusalInvalid: new DomainError(
    'visa_refusal_invalid',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'A refusal names someone not on the application, names a person twice, gives an unknown reason code, or refuses everyone (a rejection)',
    () => 'The refusals of this approval are invalid',
  ),
} as const;
