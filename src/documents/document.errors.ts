import { HttpStatus } from '@nestjs/common';
import { DomainError, invalidTransitionError, notFoundError } from '../common/http/domain.exception';

/** What the document routes answer when they refuse. */
export const DocumentErrors = {
  requestNotFound: notFoundError('Document request'),
  documentNotFound: notFoundError('Document'),
  downloadLinkExpired: new DomainError('link_expired', HttpStatus.GONE, 'The e-mailed download link has expired (7 days): sign in to download the document', () => 'This download link has expired; sign in to download the document'),
  unknownType: new DomainError('unknown_document_type', HttpStatus.UNPROCESSABLE_ENTITY, 'No document type has this code', (type: string) => `There is no document type ${type}`),
  unknownMission: new DomainError(
    'unknown_mission',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'No active mission has this code',
    (code: string) => `There is no mission ${code} taking requests`,
  ),
  fieldsInvalid: new DomainError(
    'validation_failed',
    HttpStatus.BAD_REQUEST,
    'A field of the document type is missing or malformed (listed as `fields.<name>`)',
    () => 'The document fields are invalid',
  ),
  missionNotServing: new DomainError(
    'mission_not_serving',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The mission does not serve the country of residence given; `errors` names the mission that does',
    (mission: string, country: string, serving: string | null) =>
      serving ? `${mission} does not serve ${country}: submit the request to ${serving}, which serves it` : `${mission} does not serve ${country}, and no mission does`,
  ),
  registrationRequired: new DomainError(
    'registration_required',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The document type needs an active consular registration with the mission, and the caller has none',
    (mission: string) => `This document needs an active consular registration with ${mission}: register with the mission first, or wait until it verifies your registration`,
  ),
  typeWithdrawn: new DomainError('document_type_withdrawn', HttpStatus.CONFLICT, 'The request’s document type is no longer issued', (type: string) => `Document type ${type} is no longer issued`),
  roleNotAllowed: new DomainError(
    'role_not_allowed',
    HttpStatus.FORBIDDEN,
    'The caller’s role may not take this step (approval: the type’s approverRoles; revocation: a consul)',
    (step: string, roles: readonly string[]) => `Only ${roles.join(' or ')} may ${step} this`,
  ),
  attachmentNotFound: notFoundError('Attachment'),
  unknownAttachment: new DomainError(
    'unknown_attachment',
    HttpStatus.NOT_FOUND,
    'The request’s document type takes no attachment of this name',
    (type: string, names: string) => `A ${type} request takes ${names || 'no attachments'}`,
  ),
  notDraft: new DomainError(
    'request_not_draft',
    HttpStatus.CONFLICT,
    'Files are added and the fee paid only while the request is a draft (before it enters the queue)',
    (status: string) => `The request is ${status}: files and payment are taken only while it is a draft`,
  ),
  noFeeToPay: new DomainError('no_fee_to_pay', HttpStatus.CONFLICT, 'The request’s type is not paid online (free, or paid at the mission)', () => 'This request has no fee to pay online'),
  alreadyPaid: new DomainError('already_paid', HttpStatus.CONFLICT, 'The request’s fee is already paid', () => 'The fee of this request is already paid'),
  paymentFailed: new DomainError('payment_failed', HttpStatus.PAYMENT_REQUIRED, 'The payment provider declined the payment', (reason: string) => `The payment was declined: ${reason}`),
  incomplete: new DomainError(
    'request_incomplete',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The draft cannot enter the queue: every missing item is listed (`payment`, `attachments.<name>`)',
    () => 'The request is not complete: pay the fee and add the required files first',
  ),
  requestInvalidTransition: invalidTransitionError('document request'),
  documentInvalidTransition: invalidTransitionError('document'),
} as const;
