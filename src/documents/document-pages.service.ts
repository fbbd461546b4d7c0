import { HttpStatus, Injectable } from '@nestjs/common';
import { UnitOfWork } from '../common/database/unit-of-work';
import { apiLink } from '../common/http/api-prefix';
import { inLanguage } from '../config/issuing-state';
import type { Mission } from '../missions/mission.entity';
import { MissionsRepository } from '../missions/missions.repository';
import { longDate } from '../pages/page-dates';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
import { SignedLinks } from '../pages/signed-links';
import { DocumentIssuer } from './document-issuer.service';
import { DocumentLinksService, LinkedDocument } from './document-links.service';
import { DocumentRequestsRepository } from './document-requests.repository';
import { DocumentTypeRegistry } from './document-type.registry';

/**
 * The pages a document's holder opens from e-mails: the issued document with its Download button
 * (`/documents/:serial?token=`), and a request's status (`/document-requests/:id/status?view=`). Personal data is
 * never on them; the status shows only with a view token signed for that request and its owner.
 */
@Injectable()
export class DocumentPagesService {
  constructor(
    private readonly pages: PageRenderer,
    private readonly links: DocumentLinksService,
    private readonly signed: SignedLinks,
    private readonly requests: DocumentRequestsRepository,
    private readonly missions: MissionsRepository,
    private readonly registry: DocumentTypeRegistry,
    private readonly issuer: DocumentIssuer,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * The download page. A GET of the PDF spends nothing either, but the page says in the holder's language what the
   * document is, whether it is still valid (a revoked one offers no download), and until when the link works.
   */
  async documentPage(lang: string, serial: string, token: string): Promise<RenderedPage> {
    const { document, expired } = await this.links.byLink(serial, token);
    if (expired) return this.expired(lang, document);
    const mission = await this.missions.findByCode(this.uow.reader, document.missionCode);
    const status = document.status === 'revoked' ? 'revoked' : document.validUntil.getTime() < Date.now() ? 'expired' : 'valid';
    const linkExpires = new Date(Number.parseInt(token.split('.')[0], 36) * 1000);
    return this.pages.render(
      'document',
      lang,
      {
        documentName: this.documentName(document.type, document.title, document.language, lang),
        serial: document.serial,
        status: { valid: status === 'valid', revoked: status === 'revoked', expired: status === 'expired' },
        statusClass: status === 'valid' ? 'ok' : status === 'revoked' ? 'bad' : 'warn',
        missionName: mission ? inLanguage(mission.name, lang) : document.missionCode,
        validUntil: longDate(document.validUntil, lang, mission?.timezone),
        revocationReason: document.revocationReason,
        downloadHref: status === 'revoked' ? null : `${apiLink('', `documents/${document.serial}/pdf`)}?${new URLSearchParams({ token, lang })}`,
        linkValidUntil: longDate(linkExpires, lang, mission?.timezone),
        verifyHref: this.issuer.verificationUrl(document.serial),
      },
      { here: { path: `/documents/${document.serial}`, query: { token } } },
    );
  }

  /** An expired download link (the page, and the PDF route when a browser asks for HTML): sign in instead. */
  expired(lang: string, document: LinkedDocument): RenderedPage {
    return this.pages.render('document-expired', lang, { serial: document.serial, signInLink: this.signed.emailLink('sign-in', { lang }) }, { status: HttpStatus.GONE });
  }

  /** A request's status, from the link in the e-mails about it; without a valid view token, only "sign in". */
  async requestStatusPage(lang: string, id: string, view: string | undefined): Promise<RenderedPage> {
    const t = this.pages.captions('status', lang);
    const request = await this.requests.findForLink(this.uow.reader, id);
    const check = request ? this.signed.check('document-request-view', request.id, request.ownerId, view) : 'invalid';
    if (!request || check !== 'valid') {
      return this.pages.render('status-sign-in', lang, { heading: t.documentRequestSignIn, expired: check === 'expired', signInLink: this.signed.emailLink('sign-in', { lang }) });
    }
    const mission = await this.missions.findByCode(this.uow.reader, request.missionCode);
    const state = request.document?.status === 'revoked' ? 'Revoked' : request.status === 'approved' ? 'Approved' : request.status === 'rejected' ? 'Rejected' : 'Submitted';
    const type = this.registry.get(request.type);
    const date = (value: Date) => longDate(value, lang, mission?.timezone);
    const reason = state === 'Revoked' ? request.document?.revocationReason : state === 'Rejected' ? request.rejectionReason : null;
    return this.pages.render(
      'status',
      lang,
      {
        heading: t.documentRequestHeading,
        statusLabel: t[`request${state}`],
        statusText: t[`request${state}Text`],
        statusClass: { Submitted: 'info', Approved: 'ok', Rejected: 'bad', Revoked: 'bad' }[state],
        rows: [
          { label: t.document, value: type ? inLanguage(type.name, lang) : request.type },
          { label: t.mission, value: this.missionName(mission, request.missionCode, lang) },
          { label: t.submittedOn, value: date(request.createdAt) },
          ...(request.decidedAt ? [{ label: t.decidedOn, value: date(request.decidedAt) }] : []),
          ...(request.serial ? [{ label: t.serial, value: request.serial }] : []),
          ...(reason ? [{ label: t.reason, value: reason }] : []),
        ],
        action: request.serial ? { href: this.issuer.verificationUrl(request.serial), label: t.verifyDocument } : null,
        signInLink: this.signed.emailLink('sign-in', { lang }),
      },
      { here: { path: `/document-requests/${request.id}/status`, query: { view } } },
    );
  }

  private documentName(type: string, title: { local: string; en: string }, documentLanguage: string, lang: string): string {
    const named = this.registry.get(type)?.name;
    if (named?.[lang]) return named[lang];
    return lang === documentLanguage ? title.local : title.en;
  }

  private missionName(mission: Mission | null, code: string, lang: string): string {
    return mission ? inLanguage(mission.name, lang) : code;
  }
}
