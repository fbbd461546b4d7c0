import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { FieldError } from '../common/http/domain.exception';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { inLanguage } from '../config/issuing-state';
import { JobQueue } from '../jobs/job-queue.service';
import { MissionsRepository } from '../missions/missions.repository';
import { StaffVisaApplicationResponse, StaffVisaQueueItem } from './dto/staff-visa-application.response';
import { VisaRefusalDto } from './dto/staff-visa-applications.dto';
import { EvisasService } from './evisas.service';
import { staffVisaApplicationView, visaQueueItemView } from './staff-visa-views';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication } from './visa-application.entity';
import { assertMayTakeVisaAction, VISA_APPLICATION_TRANSITIONS, VisaApplicationAction } from './visa-application-transitions';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaMailer, visaRecipient, VisaRecipient } from './visa-mailer';
import { claimNextAudit, VisaQueueFilter, VisaQueueRepository } from './visa-queue.repository';
import { VisaRulesService } from './visa-rules.service';
import { VisaErrors } from './visa.errors';

/** Recorded with the e-visas when the consul gives no reason. */
const REVOKED_WITHOUT_REASON = 'Revoked by the processing mission';

/**
 * The missions' side of e-visa applications: the deadline-ordered queue, claims, and the decisions (request for
 * information, approval — of everyone or of part of a group —, rejection, revocation). Each decision is one unit of
 * work: the transition and its history row, the people's decisions, the issuance job, the audit entry and the
 * applicant's e-mail commit together or not at all.
 */
@Injectable()
export class StaffVisasService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queueRepository: VisaQueueRepository,
    private readonly applications: VisaApplicationsRepository,
    private readonly rules: VisaRulesService,
    private readonly missions: MissionsRepository,
    private readonly mailer: VisaMailer,
    private readonly jobs: JobQueue,
    private readonly evisas: EvisasService,
  ) {}

  async queue(user: AuthUser, filter: VisaQueueFilter, page: PageQuery): Promise<Page<StaffVisaQueueItem>> {
    return mapPage(await this.queueRepository.queue(this.uow.reader, user, filter, page), visaQueueItemView);
  }

  /** One application of the caller's missions, with its people and history. */
  async get(user: AuthUser, id: string): Promise<StaffVisaApplicationResponse> {
    const application = await this.applications.findForStaff(this.uow.reader, user, id);
    if (!application) throw VisaErrors.notFound.exception();
    const [people, history] = await Promise.all([
      this.applications.applicants(this.uow.reader, id),
      this.applications.history(this.uow.reader, id),
    ]);
    return staffVisaApplicationView(application, people, history);
  }

  /** The earliest-due unclaimed application of the caller's missions, now in review and theirs; null when none is left. */
  async claimNext(user: AuthUser): Promise<StaffVisaApplicationResponse | null> {
    // Officers claim all day, many at once: one statement claims, writes the history and the audit entry, and commits.
    const { entry, rowDetails } = claimNextAudit(user);
    const audit = this.uow.rowAudit(entry, rowDetails);
    const claimed = await this.uow.statement((db) => this.queueRepository.claimNext(db, user, audit));
    if (!claimed) return null;
    const { application, people } = this.applications.fromRows(this.uow.reader, claimed);
    return staffVisaApplicationView(application, people);
  }

  /**
   * A specific submitted application, now in review and the caller's. Claiming one the caller already holds
   * starts its claim time again; one another officer holds is a 409.
   */
  async claim(user: AuthUser, id: string): Promise<StaffVisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.find(tx, user, id);
      assertMayTakeVisaAction('claim', user.role);
      if (current.status === 'in_review') {
        if (current.assignedTo !== user.id) throw VisaErrors.claimedByOther.exception();
        await this.queueRepository.touchClaim(tx.manager, id, user.id);
        return this.view(tx, await this.applications.reload(tx.manager, id));
      }
      const application = await this.applications.transition(tx.manager, current, 'claim', user.id, { assignedTo: user.id, claimedAt: () => 'now()' }, null);
      this.audit(tx, user, 'claim', application);
      return this.view(tx, application);
    }, { waitForFlush: false });
  }

  /** in_review → info_requested: the applicant is e-mailed what to add or correct; their resubmission re-enters the queue. */
  async requestInfo(user: AuthUser, id: string, reason: string): Promise<StaffVisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.findForDecision(tx, user, id, 'requestInfo');
      const application = await this.applications.transition(tx.manager, current, 'requestInfo', user.id, { assignedTo: null, claimedAt: null }, reason);
      const { people, to, missionName } = await this.parties(tx, application);
      this.mailer.infoRequested(tx, to, missionName, reason);
      this.audit(tx, user, 'requestInfo', application, { reason });
      return staffVisaApplicationView(application, people);
    });
  }

  /**
   * in_review → approved, for everyone on the application except the people in `refuse` (each with a reason code);
   * the issuance job is enqueued in the same transaction. A flagged application needs a consul; an officer decides
   * only what they claimed.
   */
  async approve(user: AuthUser, id: string, refuse: VisaRefusalDto[] = []): Promise<StaffVisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.findForDecision(tx, user, id, 'approve');
      if (current.flagged && user.role !== 'consul') throw VisaErrors.consulApprovalRequired.exception();
      const before = await this.applications.applicants(tx.manager, id);
      this.checkRefusals(before, refuse);
      const note = refuse.length > 0 ? `refused: ${refuse.map((r) => `${r.applicantId} (${r.reason})`).join(', ')}` : null;
      const application = await this.applications.transition(
        tx.manager,
        current,
        'approve',
        user.id,
        { decidedAt: () => 'now()', decidedBy: user.id, assignedTo: null, claimedAt: null },
        note,
      );
      await this.queueRepository.recordDecisions(tx.manager, id, refuse.map((r) => ({ applicantId: r.applicantId, reasonCode: r.reason })));
      await this.jobs.send('visas.issue', { applicationId: id }, { manager: tx.manager, singletonKey: id });
      const { people, to, missionName } = await this.parties(tx, application);
      const language = this.mailer.language(to);
      const refused = people.filter((p) => p.decision === 'refused');
      this.mailer.approved(
        tx,
        to,
        missionName,
        people.filter((p) => p.decision === 'approved').map(personName),
        refused.map((p) => ({ name: personName(p), reason: this.rules.rejectionReasonText(p.refusalReasonCode as string, language) })),
      );
      this.audit(tx, user, 'approve', application, {
        approved: people.length - refused.length,
        refused: refused.map((p) => ({ applicantId: p.id, reason: p.refusalReasonCode })),
      });
      return staffVisaApplicationView(application, people);
    });
  }

  /** in_review → rejected with a reason code of the visa rules; the applicant reads its text in their language. */
  async reject(user: AuthUser, id: string, reasonCode: string, note: string | null = null): Promise<StaffVisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.findForDecision(tx, user, id, 'reject');
      this.checkReasonCode('reason', reasonCode);
      const application = await this.applications.transition(
        tx.manager,
        current,
        'reject',
        user.id,
        { decisionReasonCode: reasonCode, decidedAt: () => 'now()', decidedBy: user.id, assignedTo: null, claimedAt: null },
        note ?? reasonCode,
      );
      await this.queueRepository.refuseEveryone(tx.manager, id, reasonCode);
      const { people, to, missionName } = await this.parties(tx, application);
      this.mailer.rejected(tx, to, missionName, this.rules.rejectionReasonText(reasonCode, this.mailer.language(to)));
      this.audit(tx, user, 'reject', application, { reason: reasonCode });
      return staffVisaApplicationView(application, people);
    });
  }

  /** issued → revoked, by a consul of the processing mission; the issued e-visas are marked revoked with it. */
  async revoke(user: AuthUser, id: string, reason: string | null = null): Promise<StaffVisaApplicationResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.find(tx, user, id);
      assertMayTakeVisaAction('revoke', user.role);
      const application = await this.applications.transition(tx.manager, current, 'revoke', user.id, {}, reason);
      const revokedVisas = await this.evisas.revokeForApplication(tx, id, user, reason ?? REVOKED_WITHOUT_REASON, application.processingMissionCode);
      const { people, to, missionName } = await this.parties(tx, application);
      this.mailer.revoked(tx, to, missionName, reason);
      this.audit(tx, user, 'revoke', application, { reason, revokedVisas });
      return staffVisaApplicationView(application, people);
    });
  }

  private async find(tx: Transaction, user: AuthUser, id: string): Promise<VisaApplication> {
    const application = await this.applications.findForStaff(tx.manager, user, id, { lock: true });
    if (!application) throw VisaErrors.notFound.exception();
    return application;
  }

  /**
   * An application the caller may decide now: in a status the action leaves from (else 409), and claimed by the
   * caller unless they are a consul (else 403). Locked until the decision commits.
   */
  private async findForDecision(tx: Transaction, user: AuthUser, id: string, action: VisaApplicationAction): Promise<VisaApplication> {
    const application = await this.find(tx, user, id);
    assertMayTakeVisaAction(action, user.role);
    const rule = VISA_APPLICATION_TRANSITIONS[action];
    if (!(rule.from as readonly string[]).includes(application.status)) throw VisaErrors.invalidTransition.exception(application.status, rule.done);
    if (user.role !== 'consul' && application.assignedTo !== user.id) throw VisaErrors.notAssigned.exception();
    return application;
  }

  private checkReasonCode(field: string, code: string): void {
    if (!this.rules.isRejectionReason(code)) {
      throw VisaErrors.unknownReason.withFields([{ field, message: `must be one of ${Object.keys(this.rules.rules.rejectionReasons).join(', ')}` }], code);
    }
  }

  /** Refusals name people on the application, once each, with a known reason, and leave someone approved. */
  private checkRefusals(people: VisaApplicant[], refuse: VisaRefusalDto[]): void {
    const errors: FieldError[] = [];
    const ids = new Set(people.map((p) => p.id));
    const seen = new Set<string>();
    refuse.forEach((r, i) => {
      if (!ids.has(r.applicantId)) errors.push({ field: `refuse.${i}.applicantId`, message: 'is not a person on this application' });
      else if (seen.has(r.applicantId)) errors.push({ field: `refuse.${i}.applicantId`, message: 'is listed twice' });
      seen.add(r.applicantId);
      if (!this.rules.isRejectionReason(r.reason)) {
        errors.push({ field: `refuse.${i}.reason`, message: `must be one of ${Object.keys(this.rules.rules.rejectionReasons).join(', ')}` });
      }
    });
    if (errors.length === 0 && seen.size >= people.length) errors.push({ field: 'refuse', message: 'refuses everyone: reject the application instead' });
    if (errors.length > 0) throw VisaErrors.refusalInvalid.withFields(errors);
  }

  /** The people (as decided now), the applicant an e-mail goes to, and the processing mission's name in their language. */
  private async parties(tx: Transaction, application: VisaApplication): Promise<{ people: VisaApplicant[]; to: VisaRecipient; missionName: string }> {
    const people = await this.applications.applicants(tx.manager, application.id);
    const to = visaRecipient(application, people[0]);
    const mission = await this.missions.findByCode(tx.manager, application.processingMissionCode);
    // The mission is referenced by a foreign key of the application: it exists.
    if (!mission) throw new Error(`Visa application ${application.id} without its processing mission`);
    return { people, to, missionName: inLanguage(mission.name, this.mailer.language(to)) };
  }

  private async view(tx: Transaction, application: VisaApplication): Promise<StaffVisaApplicationResponse> {
    return staffVisaApplicationView(application, await this.applications.applicants(tx.manager, application.id));
  }

  private audit(tx: Transaction, user: AuthUser, action: VisaApplicationAction, application: VisaApplication, details: Record<string, unknown> = {}): void {
    tx.audit({
      actor: user,
      action: VISA_APPLICATION_TRANSITIONS[action].auditAction,
      entityType: 'visa_application',
      entityId: application.id,
      missionCode: application.processingMissionCode,
      details: { reference: application.reference, ...details },
    });
  }
}

function personName(p: Pick<VisaApplicant, 'givenNames' | 'surname'>): string {
  return `${p.givenNames} ${p.surname}`.trim();
}
