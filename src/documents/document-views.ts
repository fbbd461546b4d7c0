import type { DocumentPrefillResponse } from './dto/document-prefill.response';
import type { DocumentRequestResponse } from './dto/document-request.response';
import type { DocumentFieldResponse, DocumentTypeResponse } from './dto/document-type.response';
import type { IssuedDocumentResponse } from './dto/issued-document.response';
import type { DocumentRequestWithSerial } from './document-requests.repository';
import { DEFAULT_MAX_LENGTH, DocumentFieldDefinition, DocumentFieldType, DocumentType, RegistrationSource } from './document-type.registry';
import type { IssuedDocument } from './issued-document.entity';

export function documentRequestView(request: DocumentRequestWithSerial): DocumentRequestResponse {
  return {
    id: request.id,
    ownerId: request.ownerId,
    missionCode: request.missionCode,
    type: request.type,
    status: request.status,
    fields: request.fields,
    registrationId: request.registrationId,
    flags: request.flags,
    locale: request.locale,
    rejectionReason: request.rejectionReason,
    decidedAt: request.decidedAt,
    serial: request.serial,
    document: request.document && {
      serial: request.document.serial,
      status: request.document.status === 'revoked' ? 'revoked' : request.document.validUntil.getTime() < Date.now() ? 'expired' : 'valid',
      validUntil: request.document.validUntil,
      revokedAt: request.document.revokedAt,
      revocationReason: request.document.revocationReason,
    },
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
  };
}

export function issuedDocumentView(document: IssuedDocument): IssuedDocumentResponse {
  return {
    serial: document.serial,
    type: document.type,
    missionCode: document.missionCode,
    status: document.status,
    issuedAt: document.issuedAt,
    validUntil: document.validUntil,
    pdfSha256: document.pdfSha256,
    revokedAt: document.revokedAt,
    revocationReason: document.revocationReason,
  };
}

export function documentTypeView(type: DocumentType): DocumentTypeResponse {
  return {
    code: type.code,
    name: type.name,
    description: type.description,
    fields: type.fields.map(documentFieldView),
    fee: { amount: type.fee.amount, currency: type.fee.currency, payBeforeQueue: type.payBeforeQueue === true },
    attachments: (type.attachments ?? []).map((a) => ({ name: a.name, label: a.label, required: a.required, types: [...a.types], maxBytes: a.maxBytes })),
    validityDays: type.validityDays,
    approverRoles: [...type.approverRoles],
  };
}

const FORMATS: Record<DocumentFieldType, string> = {
  text: 'text without control characters',
  date: 'a real date written YYYY-MM-DD',
  country: 'an ISO 3166-1 alpha-2 country code in capitals, such as DE',
  passportNumber: 'a passport number of the issuing state',
  enum: 'one of the option values',
  email: 'an e-mail address',
  phone: 'a phone number in international (E.164) format, such as +493012345678',
};

function documentFieldView(field: DocumentFieldDefinition): DocumentFieldResponse {
  return {
    name: field.name,
    type: field.type,
    required: field.required,
    maxLength: field.maxLength ?? DEFAULT_MAX_LENGTH,
    ...(field.pattern ? { pattern: field.pattern } : {}),
    printed: field.printed !== false,
    ...(field.options ? { options: field.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    label: field.label,
    format: FORMATS[field.type],
  };
}

/** The fields of a type that the citizen's registration at the mission answers, and the registration they come from. */
export function registrationPrefill(
  type: DocumentType,
  missionCode: string,
  registration: { id: string; facts: Record<RegistrationSource, string> } | null,
): DocumentPrefillResponse {
  const sources = Object.entries(type.fromRegistration ?? {});
  return {
    type: type.code,
    missionCode,
    registrationId: registration?.id ?? null,
    requiresRegistration: type.requiresRegistration === true,
    fields: registration ? Object.fromEntries(sources.map(([field, source]) => [field, registration.facts[source]])) : {},
  };
}
