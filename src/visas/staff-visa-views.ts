import type { StaffVisaApplicant, StaffVisaApplicationResponse, StaffVisaHistoryEntry, StaffVisaQueueItem } from './dto/staff-visa-application.response';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaApplicationHistory, VisaApplicationStatus } from './visa-application.entity';
import { AWAITING_DECISION, VisaQueueRow } from './visa-queue.repository';

/** Still waiting for the mission and past its deadline. */
export function isOverdue(status: VisaApplicationStatus, dueAt: Date | null, now = new Date()): boolean {
  return dueAt !== null && AWAITING_DECISION.includes(status) && dueAt.getTime() < now.getTime();
}

/** A queue line: the lead applicant's name and nationality, no passport data. */
export function visaQueueItemView(r: VisaQueueRow): StaffVisaQueueItem {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    missionCode: r.processingMissionCode,
    visaType: r.visaType,
    entries: r.entries,
    arrivalDate: r.arrivalDate,
    stayDays: r.stayDays,
    dueAt: r.dueAt,
    submittedAt: r.submittedAt,
    overdue: isOverdue(r.status, r.dueAt),
    flagged: r.flagged,
    flagReasons: r.flagReasons,
    assignedTo: r.assignedTo,
    claimedAt: r.claimedAt,
    leadName: `${r.leadGivenNames} ${r.leadSurname}`.trim(),
    nationality: r.leadNationality,
    people: r.people,
  };
}

/** An application with its people (passports masked) and, when given, its history, for the staff who decide it. */
export function staffVisaApplicationView(a: VisaApplication, people: VisaApplicant[], history?: VisaApplicationHistory[]): StaffVisaApplicationResponse {
  return {
    id: a.id,
    reference: a.reference,
    status: a.status,
    missionCode: a.processingMissionCode,
    visaType: a.visaType,
    entries: a.entries,
    arrivalDate: a.arrivalDate,
    stayDays: a.stayDays,
    purpose: a.purpose,
    addressInCountry: a.addressInCountry,
    email: a.email,
    phone: a.phone,
    locale: a.locale,
    countryOfResidence: a.countryOfResidence,
    dueAt: a.dueAt,
    submittedAt: a.submittedAt,
    overdue: isOverdue(a.status, a.dueAt),
    flagged: a.flagged,
    flagReasons: a.flagReasons,
    assignedTo: a.assignedTo,
    claimedAt: a.claimedAt,
    decisionReasonCode: a.decisionReasonCode,
    decidedAt: a.decidedAt,
    decidedBy: a.decidedBy,
    applicants: people.map(applicantView),
    ...(history ? { history: history.map(historyView) } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

function applicantView(p: VisaApplicant): StaffVisaApplicant {
  return {
    id: p.id,
    position: p.position,
    surname: p.surname,
    givenNames: p.givenNames,
    sex: p.sex,
    dateOfBirth: p.dateOfBirth,
    placeOfBirth: p.placeOfBirth,
    nationality: p.nationality,
    passportNumberMasked: p.passportNumberMasked,
    passportIssueDate: p.passportIssueDate,
    passportExpiryDate: p.passportExpiryDate,
    decision: p.decision,
    refusalReasonCode: p.refusalReasonCode,
  };
}

function historyView(h: VisaApplicationHistory): StaffVisaHistoryEntry {
  return { fromStatus: h.fromStatus, toStatus: h.toStatus, action: h.action, actorId: h.actorId, note: h.note, at: h.at };
}
