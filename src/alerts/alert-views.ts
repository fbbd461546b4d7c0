import type { FieldCipher } from '../common/crypto/field-cipher';
import { openFamilyMembers } from '../registrations/registration-sealing';
import type { Alert } from './alert.entity';
import type { AlertRecipient } from './alert-recipient.entity';
import type { ResponseRow } from './alert-recipients.repository';
import { recipientLanguage } from './alert-rules';
import type { AlertAnswerResponse, AlertPersonResponse, CitizenAlertResponse, MyAnswerResponse, StaffAlertResponse } from './dto/alert.response';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function staffAlertView(a: Alert): StaffAlertResponse {
  return {
    id: a.id,
    missionCode: a.missionCode,
    kind: a.kind,
    severity: a.severity,
    status: a.status,
    area: a.area,
    content: a.content,
    languages: a.languages,
    expiresAt: iso(a.expiresAt),
    supersedes: a.supersedesId,
    followUp: a.followUpEveryMinutes && a.followUpMaxRounds ? { everyMinutes: a.followUpEveryMinutes, maxRounds: a.followUpMaxRounds } : null,
    roundsSent: a.roundsSent,
    nextRoundAt: iso(a.nextRoundAt),
    authorId: a.authorId,
    approvedBy: a.approvedBy,
    emergencyPhone: a.emergencyPhone,
    canonical: a.canonical,
    signature: a.signature,
    kid: a.kid,
    targeted: a.targeted,
    createdAt: a.createdAt.toISOString(),
    submittedAt: iso(a.submittedAt),
    approvedAt: iso(a.approvedAt),
    sentAt: iso(a.sentAt),
    cancelledAt: iso(a.cancelledAt),
  };
}

export function myAnswerView(r: AlertRecipient): MyAnswerResponse | null {
  if (!r.responseStatus || !r.respondedAt) return null;
  return { status: r.responseStatus, message: r.responseMessage, location: r.responseLocation, respondedAt: r.respondedAt.toISOString() };
}

export function answerView(r: AlertRecipient): AlertAnswerResponse {
  return { alertId: r.alertId, ...(myAnswerView(r) as MyAnswerResponse) };
}

/** An alert as delivered to a citizen: in their language (or the alert's first), with their latest answer. */
export function citizenAlertView(a: Alert, r: AlertRecipient): CitizenAlertResponse {
  const language = a.content[r.language] ? r.language : recipientLanguage(a.languages, r.language);
  const text = a.content[language];
  return {
    id: a.id,
    missionCode: a.missionCode,
    kind: a.kind,
    severity: a.severity,
    status: a.status,
    language,
    title: text.title,
    body: text.body,
    ...(text.instructions ? { instructions: text.instructions } : {}),
    emergencyPhone: a.emergencyPhone,
    approvedAt: iso(a.approvedAt),
    expiresAt: iso(a.expiresAt),
    supersedes: a.supersedesId,
    deliveredAt: r.createdAt.toISOString(),
    myResponse: myAnswerView(r),
  };
}

/** A line of the staff responses list, its sealed registration values opened (only for the page returned). */
export function personResponseView(row: ResponseRow, cipher: FieldCipher): AlertPersonResponse {
  const registered = row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null;
  return {
    personId: row.personId,
    fullName: row.fullName,
    email: row.email,
    phone: cipher.open(row.phone),
    address: {
      line1: cipher.open(row.addressLine1),
      city: row.addressCity,
      postalCode: row.addressPostalCode ? cipher.open(row.addressPostalCode) : null,
      country: row.country.trim(),
      region: row.region,
    },
    location: row.responseLocation ?? registered,
    familyMembers: openFamilyMembers(cipher, row.familyMembers).map(({ name, relation, dateOfBirth }) => ({ name, relation, dateOfBirth })),
    language: row.language,
    status: row.responseStatus,
    message: row.responseMessage,
    respondedAt: iso(row.respondedAt),
    assisted: row.assistedAt !== null,
    assistedAt: iso(row.assistedAt),
  };
}
