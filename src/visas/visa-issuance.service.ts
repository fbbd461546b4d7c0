import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { UsersRepository } from '../auth/users.repository';
import { JobQueue } from '../jobs/job-queue.service';
import { MissionsRepository } from '../missions/missions.repository';
import { Evisa } from './evisa.entity';
import { EvisaIssuer } from './evisa-issuer';
import { EvisasRepository } from './evisas.repository';
import { VISA_APPLICATION_TRANSITIONS } from './visa-application-transitions';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaFilesService } from './visa-files.service';
import { VisaMailer, visaRecipient } from './visa-mailer';
import { VisaRulesService } from './visa-rules.service';

/**
 * The `visas.issue` job: issues the e-visas of an approved application, one per approved person, then moves the
 * application to `issued`, audits, and e-mails each e-visa (attached), all in one unit of work. Safe to run twice:
 * the application is locked, an application no longer `approved` is left alone, and a person who holds an e-visa is
 * skipped (applicant_id and visa_number are unique as well).
 */
@Injectable()
export class VisaIssuanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VisaIssuanceService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly applications: VisaApplicationsRepository,
    private readonly evisas: EvisasRepository,
    private readonly issuer: EvisaIssuer,
    private readonly rules: VisaRulesService,
    private readonly missions: MissionsRepository,
    private readonly users: UsersRepository,
    private readonly mailer: VisaMailer,
    private readonly files: VisaFilesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('visas.issue', async ({ applicationId }) => {
      await this.issueApplication(applicationId);
    });
  }

  /** Issues what the application still lacks; returns the e-visas issued now (none when it is not `approved`). */
  issueApplication(applicationId: string): Promise<Evisa[]> {
    return this.uow.run(async (tx) => {
      const application = await this.applications.findById(tx.manager, applicationId, { lock: true });
      if (!application || application.status !== 'approved') return [];
      const type = this.rules.rules.visaTypes[application.visaType];
      const mission = await this.missions.findByCode(tx.manager, application.processingMissionCode);
      if (!type || !mission) throw new Error(`Application ${application.id} names a visa type or mission the portal does not know`);
      const people = await this.applications.applicants(tx.manager, application.id);
      const alreadyIssued = await this.evisas.issuedApplicantIds(tx.manager, application.id);
      const approved = people.filter((person) => person.decision === 'approved');
      if (approved.length === 0) {
        this.logger.warn({ applicationId }, 'An approved application has nobody approved on it: nothing to issue');
        return [];
      }
      const officer = application.decidedBy ? await this.users.findWithMissions(application.decidedBy, tx.manager) : null;

      const issued: Evisa[] = [];
      for (const person of approved.filter((p) => !alreadyIssued.has(p.id))) {
        const photo = await this.files.read(tx.manager, person.id, 'photo');
        issued.push(
          await this.issuer.issue(tx.manager, {
            application,
            person,
            passportNumber: this.applications.passportNumber(person),
            type,
            mission,
            officer: officer?.fullName ?? mission.name.en,
            // Submission requires every person's photo; an application seeded without one prints an empty frame.
            photo: photo?.bytes ?? null,
          }),
        );
      }
      await this.applications.transition(tx.manager, application, 'issue', null, {}, issued.map((e) => e.visaNumber).join(', ') || null);

      const recipient = visaRecipient(application, people[0]);
      tx.audit({
        actor: null,
        action: VISA_APPLICATION_TRANSITIONS.issue.auditAction,
        entityType: 'visa_application',
        entityId: application.id,
        missionCode: application.processingMissionCode,
        details: { visaNumbers: issued.map((e) => e.visaNumber) },
      });
      for (const evisa of issued) {
        tx.audit({
          actor: null,
          action: 'evisa.issued',
          entityType: 'evisa',
          entityId: evisa.visaNumber,
          missionCode: application.processingMissionCode,
          details: { applicationId: application.id, applicantId: evisa.applicantId, kid: evisa.kid, pdfSha256: evisa.pdfSha256 },
        });
        this.mailer.evisaIssued(tx, recipient, {
          id: evisa.id,
          holderName: evisa.holderName,
          visaNumber: evisa.visaNumber,
          validFrom: evisa.validFrom,
          validUntil: evisa.validUntil,
          stayDays: application.stayDays,
        });
      }
      return issued;
    });
  }
}
