import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { inLanguage } from '../config/issuing-state';
import { MissionsRepository } from '../missions/missions.repository';
import { longDate } from '../pages/page-dates';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
import { SignedLinks } from '../pages/signed-links';
import type { RegistrationStatus } from '../registrations/registration.entity';
import { RegistrationsRepository } from './registrations.repository';

const STATUS: Record<RegistrationStatus, { caption: string; className: string }> = {
  pending: { caption: 'registrationPending', className: 'info' },
  active: { caption: 'registrationActive', className: 'ok' },
  rejected: { caption: 'registrationRejected', className: 'bad' },
  ended: { caption: 'registrationEnded', className: 'warn' },
};

/**
 * The registration's status page behind the link of every registration e-mail (`/registrations/:id/status?view=`):
 * the status, mission and dates, and a rejection's reason, only with a view token signed for that registration and
 * its owner; otherwise only "sign in". No address, phone or passport is ever on it.
 */
@Injectable()
export class RegistrationPagesService {
  constructor(
    private readonly registrations: RegistrationsRepository,
    private readonly missions: MissionsRepository,
    private readonly pages: PageRenderer,
    private readonly links: SignedLinks,
    private readonly uow: UnitOfWork,
  ) {}

  async statusPage(lang: string, id: string, view: string | undefined): Promise<RenderedPage> {
    const t = this.pages.captions('status', lang);
    const registration = await this.registrations.findForLink(this.uow.reader, id);
    const check = registration ? this.links.check('registration-view', registration.id, registration.ownerId, view) : 'invalid';
    if (!registration || check !== 'valid') {
      return this.pages.render('status-sign-in', lang, { heading: t.registrationSignIn, expired: check === 'expired', signInLink: this.links.emailLink('sign-in', { lang }) });
    }
    const mission = await this.missions.findByCode(this.uow.reader, registration.missionCode);
    const date = (value: Date) => longDate(value, lang, mission?.timezone);
    const status = STATUS[registration.status];
    return this.pages.render(
      'status',
      lang,
      {
        heading: t.registrationHeading,
        statusLabel: t[status.caption],
        statusText: t[`${status.caption}Text`],
        statusClass: status.className,
        rows: [
          { label: t.mission, value: mission ? inLanguage(mission.name, lang) : registration.missionCode },
          { label: t.submittedOn, value: date(registration.createdAt) },
          ...(registration.verifiedAt ? [{ label: t.decidedOn, value: date(registration.verifiedAt) }] : []),
          ...(registration.status === 'rejected' && registration.rejectionReason ? [{ label: t.reason, value: registration.rejectionReason }] : []),
        ],
        action: null,
        signInLink: this.links.emailLink('sign-in', { lang }),
      },
      { here: { path: `/registrations/${registration.id}/status`, query: { view } } },
    );
  }
}
