import type { VisaApplicantResponse, VisaApplicationResponse, VisaHistoryResponse } from './dto/visa-application.response';
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
    applicants: parts.people.map((p) => applicantView(p, parts.files.get(p.id))),
    ...(parts.history ? { history: parts.history.map(historyView) } : {}),
  };
}

function applicantView(p: VisaApplicant, files: Set<VisaFileKind> | undefined): VisaApplicantResponse {
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
  };
}

function historyView(h: VisaApplicationHistory): VisaHistoryResponse {
  return { fromStatus: h.fromStatus, toStatus: h.toStatus, action: h.action, note: h.note, at: h.at };
}
