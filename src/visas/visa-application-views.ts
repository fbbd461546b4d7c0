import type { VisaApplicantResponse, VisaApplicationResponse, VisaHistoryResponse, VisaStatusVisaResponse } from './dto/visa-application.response';
import type { EvisaSummary } from './evisas.service';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaApplicationHistory } from './visa-application.entity';
import type { VisaFileKind } from './visa-file.entity';

/** What a view of an application needs beside the row: its people, their uploads, whether it is paid. */
export interface VisaApplicationParts {
  people: VisaApplicant[];
  files: Map<string, Set<VisaFileKind>>;
  paid: boolean;
  /** The refusal reason in the applicant's language, when there is one. */
  decisionReason: string | null;
  history?: VisaApplicationHistory[];
  /** The issued e-visas (the single view only). */
  evisas?: EvisaSummary[];
}

/** An application as its owner sees it: passport numbers masked, no screening flags, no staff notes but history's. */
export function visaApplicationView(a: VisaApplication, parts: VisaApplicationParts): VisaApplicationResponse {
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    visaType: a.visaType,
    entries: a.entries,
    arrivalDate: a.arrivalDate,
    stayDays: a.stayDays,
    purpose: a.purpose,
    addressInCountry: a.addressInCountry,
    email: a.email,
    phone: a.phone,
    countryOfResidence: a.countryOfResidence,
    fee: { amount: a.feeAmount / 100, currency: a.feeCurrency },
    paid: parts.paid,
    processingMissionCode: a.processingMissionCode,
    dueAt: a.dueAt,
    submittedAt: a.submittedAt,
    decisionReason: parts.decisionReason,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    applicants: parts.people.map((p) => applicantView(p, parts.files.get(p.id), parts.evisas?.find((e) => e.applicantId === p.id))),
    ...(parts.history ? { history: parts.history.map(historyView) } : {}),
  };
}

/** An issued e-visa as the applicant and the public status check see it. */
export function evisaSummaryView(e: EvisaSummary): VisaStatusVisaResponse {
  return { number: e.visaNumber, validFrom: e.validFrom, validUntil: e.validUntil, status: e.status };
}

function applicantView(p: VisaApplicant, files: Set<VisaFileKind> | undefined, evisa: EvisaSummary | undefined): VisaApplicantResponse {
  return {
    id: p.id,
    position: p.position,
    surname: p.surname,
    givenNames: p.givenNames,
    sex: p.sex,
    dateOfBirth: p.dateOfBirth,
    placeOfBirth: p.placeOfBirth,
    nationality: p.nationality,
    passport: { number: p.passportNumberMasked, issueDate: p.passportIssueDate, expiryDate: p.passportExpiryDate, mrzGiven: p.mrzEnc !== null },
    photo: files?.has('photo') ?? false,
    passportScan: files?.has('passport_scan') ?? false,
    decision: p.decision,
    ...(evisa ? { visa: evisaSummaryView(evisa) } : {}),
  };
}

function historyView(h: VisaApplicationHistory): VisaHistoryResponse {
  return { fromStatus: h.fromStatus, toStatus: h.toStatus, action: h.action, note: h.note, at: h.at };
}
