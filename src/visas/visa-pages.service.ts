import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { inLanguage } from '../config/issuing-state';
import { MissionsRepository } from '../missions/missions.repository';
import { longDate } from '../pages/page-dates';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
import { SignedLinks } from '../pages/signed-links';
import { EvisasRepository } from './evisas.repository';
import type { VisaApplicationStatus } from './visa-application.entity';
import { VisaApplicationsRepository } from './visa-applications.repository';
import { VisaRulesService } from './visa-rules.service';

const STATUS: Record<VisaApplicationStatus, { caption: string; className: string }> = {
  draft: { caption: 'visaDraft', className: 'info' },
  submitted: { caption: 'visaSubmitted', className: 'info' },
  in_review: { caption: 'visaInReview', className: 'info' },
  info_requested: { caption: 'visaInfoRequested', className: 'warn' },
  approved: { caption: 'visaApproved', className: 'ok' },
  issued: { caption: 'visaIssued', className: 'ok' },
  rejected: { caption: 'visaRejected', className: 'bad' },
  withdrawn: { caption: 'visaWithdrawn', className: 'warn' },
  revoked: { caption: 'visaRevoked', className: 'bad' },
};

/**
 * The e-visa application's status page behind the link of every e-visa e-mail (`/visa-applications/:id/status?view=`):
 * the reference, the status, the deadline, what the officer asked for, a refusal's reason in the reader's language and
 * each issued e-visa's number and validity, only with a view token signed for that application and its owner;
 * otherwise only "sign in". No passport number, date of birth, address or phone is ever on it.
 */
@Injectable()
export class VisaPagesService {
  constructor(
    private readonly applications: VisaApplicationsRepository,
    private readonly evisas: EvisasRepository,
    private readonly missions: MissionsRepository,
    private readonly rules: VisaRulesService,
    private readonly pages: PageRenderer,
    private readonly links: SignedLinks,
    private readonly uow: UnitOfWork,
  ) {}

  async statusPage(lang: string, id: string, view: string | undefined): Promise<RenderedPage> {
    const t = this.pages.captions('status', lang);
    const application = await this.applications.findForLink(this.uow.reader, id);
    const check = application ? this.links.check('visa-application-view', application.id, application.ownerId, view) : 'invalid';
    if (!application || check !== 'valid') {
      return this.pages.render('status-sign-in', lang, { heading: t.visaSignIn, expired: check === 'expired', signInLink: this.links.emailLink('sign-in', { lang }) });
    }
    const mission = await this.missions.findByCode(this.uow.reader, application.processingMissionCode);
    const timeZone = mission?.timezone;
    const status = STATUS[application.status];
    const waiting = application.status === 'submitted' || application.status === 'in_review';
    // What the officer asked for, or why the visas were revoked: the note of the change into the current status.
    const note = application.status === 'info_requested' || application.status === 'revoked' ? await this.lastNote(application.id, application.status) : null;
    const reason = application.status === 'rejected' && application.decisionReasonCode ? this.rules.rejectionReasonText(application.decisionReasonCode, lang) : null;
    const issued = application.status === 'issued' ? await this.evisas.forApplication(this.uow.reader, application.id) : [];
    const day = (isoDate: string) => longDate(new Date(`${isoDate}T00:00:00Z`), lang);
    return this.pages.render(
      'status',
      lang,
      {
        heading: t.visaHeading,
        statusLabel: t[status.caption],
        statusText: t[`${status.caption}Text`],
        statusClass: status.className,
        rows: [
          { label: t.reference, value: application.reference },
          { label: t.mission, value: mission ? inLanguage(mission.name, lang) : application.processingMissionCode },
          ...(application.submittedAt ? [{ label: t.submittedOn, value: longDate(application.submittedAt, lang, timeZone) }] : []),
          ...(waiting && application.dueAt ? [{ label: t.dueOn, value: longDate(application.dueAt, lang, timeZone) }] : []),
          ...(note ? [{ label: application.status === 'info_requested' ? t.missing : t.reason, value: note }] : []),
          ...(application.decidedAt && !waiting && application.status !== 'info_requested' ? [{ label: t.decidedOn, value: longDate(application.decidedAt, lang, timeZone) }] : []),
          ...(reason ? [{ label: t.reason, value: reason }] : []),
          ...issued.map((evisa) => ({
            label: `${t.evisa} · ${evisa.holderName}`,
            value: `${evisa.visaNumber} · ${day(evisa.validFrom)} – ${day(evisa.validUntil)}`,
          })),
        ],
        action: null,
        signInLink: this.links.emailLink('sign-in', { lang }),
      },
      { here: { path: `/visa-applications/${application.id}/status`, query: { view } } },
    );
  }

  private async lastNote(applicationId: string, status: VisaApplicationStatus): Promise<string | null> {
    const history = await this.applications.history(this.uow.reader, applicationId);
    return history.filter((h) => h.toStatus === status).at(-1)?.note ?? null;
  }
}
