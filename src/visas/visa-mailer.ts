import { Injectable } from '@nestjs/common';
import { Transaction } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { inLanguage, LocalizedText } from '../config/issuing-state';
import type { EmailAttachmentRef } from '../notifications/mail.service';
import { SignedLinks } from '../pages/signed-links';
import type { VisaApplicant } from './visa-applicant.entity';
import type { VisaApplication, VisaApplicationStatus } from './visa-application.entity';

/** Statuses as the deadline digest names them. */
const VISA_STATUS_NAMES: Record<VisaApplicationStatus, LocalizedText> = {
  draft: { en: 'draft', ru: 'черновик', uz: 'qoralama' },
  submitted: { en: 'waiting', ru: 'ожидает', uz: 'kutmoqda' },
  in_review: { en: 'in review', ru: 'на рассмотрении', uz: 'koʻrib chiqilmoqda' },
  info_requested: { en: 'information requested', ru: 'запрошены сведения', uz: 'maʼlumot soʻralgan' },
  approved: { en: 'approved', ru: 'одобрена', uz: 'maʼqullangan' },
  issued: { en: 'issued', ru: 'выдана', uz: 'berilgan' },
  rejected: { en: 'refused', ru: 'отказано', uz: 'rad etilgan' },
  withdrawn: { en: 'withdrawn', ru: 'отозвана заявителем', uz: 'qaytarib olingan' },
  revoked: { en: 'revoked', ru: 'аннулирована', uz: 'bekor qilingan' },
};

/** Who an e-mail about an application goes to (the address on it, in the applicant's language) and which one. */
export interface VisaRecipient {
  applicationId: string;
  /** The applicant's account: the status link in every e-mail is signed for it. */
  ownerId: string;
  reference: string;
  email: string;
  /** The lead applicant's name. */
  fullName: string;
  locale: string;
}

export function visaRecipient(application: VisaApplication, lead: Pick<VisaApplicant, 'givenNames' | 'surname'>): VisaRecipient {
  return {
    applicationId: application.id,
    ownerId: application.ownerId,
    reference: application.reference,
    email: application.email,
    fullName: `${lead.givenNames} ${lead.surname}`.trim(),
    locale: application.locale,
  };
}

/**
 * Every e-mail about an e-visa application (templates/email/visa-*), in the applicant's language, through the outbox
 * in the caller's unit of work: one method per message; `send()` adds what they all share (name, reference, link).
 * Contexts carry no passport or personal numbers: they are stored until the message is sent.
 */
@Injectable()
export class VisaMailer {
  constructor(
    private readonly config: AppConfig,
    private readonly links: SignedLinks,
  ) {}

  created(tx: Transaction, to: VisaRecipient, fee: { amount: number; currency: string }): void {
    this.send(tx, 'visa-created', to, { fee: this.money(to, fee.amount, fee.currency) });
  }

  paid(tx: Transaction, to: VisaRecipient, payment: { amount: number; currency: string; providerReference: string }): void {
    this.send(tx, 'visa-paid', to, { amount: this.money(to, payment.amount, payment.currency), receipt: payment.providerReference });
  }

  submitted(tx: Transaction, to: VisaRecipient, dueAt: Date, timeZone: string, people: number): void {
    this.send(tx, 'visa-submitted', to, { dueDate: this.dateTime(to, dueAt, timeZone), people });
  }

  /** A person's e-visa is issued: one e-mail per e-visa, to the application's address, the PDF attached by reference. */
  evisaIssued(tx: Transaction, to: VisaRecipient, evisa: EvisaIssuedMessage): void {
    // The PDF rides along; the link is the application's status page (works in a phone browser), not the JSON download.
    this.send(
      tx,
      'visa-issued',
      to,
      {
        holderName: evisa.holderName,
        visaNumber: evisa.visaNumber,
        validFrom: evisa.validFrom,
        validUntil: evisa.validUntil,
        stayDays: evisa.stayDays,
        verifyLink: `${this.config.publicBaseUrl}/verify/${evisa.visaNumber}`,
      },
      [{ kind: EVISA_ATTACHMENT, id: evisa.id }],
    );
  }

  infoRequested(tx: Transaction, to: VisaRecipient, missionName: string, reason: string): void {
    this.send(tx, 'visa-info-requested', to, { missionName, reason });
  }

  /** The decision on everyone: `approved` names the people approved and `refused` those refused, when some were. */
  approved(tx: Transaction, to: VisaRecipient, missionName: string, approved: string[], refused: { name: string; reason: string }[]): void {
    this.send(tx, 'visa-approved', to, { missionName, approved, refused });
  }

  /** `reason` is the rejection reason's text in the applicant's language. */
  rejected(tx: Transaction, to: VisaRecipient, missionName: string, reason: string): void {
    this.send(tx, 'visa-rejected', to, { missionName, reason });
  }

  revoked(tx: Transaction, to: VisaRecipient, missionName: string, reason: string | null): void {
    this.send(tx, 'visa-revoked', to, { missionName, reason });
  }

  /**
   * A consul's deadline digest: the applications of their missions due by the end of `cutoffDay`, each deadline in
   * its mission's time zone, overdue ones marked as of `now`.
   */
  deadlineDigest(
    tx: Transaction,
    consul: { email: string; fullName: string; locale: string },
    cutoffDay: string,
    items: { reference: string; missionCode: string; status: VisaApplicationStatus; dueAt: Date; flagged: boolean; timeZone: string }[],
    now: Date,
  ): void {
    const language = this.config.state.languageFor(consul.locale);
    const format = (at: Date, timeZone: string) => new Intl.DateTimeFormat([language, 'en'], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
    tx.email({
      to: consul.email,
      template: 'visa-digest',
      locale: consul.locale,
      context: {
        fullName: consul.fullName,
        cutoff: new Intl.DateTimeFormat([language, 'en'], { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${cutoffDay}T00:00:00Z`)),
        count: items.length,
        items: items.map((item) => ({
          reference: item.reference,
          missionCode: item.missionCode,
          status: inLanguage(VISA_STATUS_NAMES[item.status], language),
          dueAt: format(item.dueAt, item.timeZone),
          overdue: item.dueAt.getTime() < now.getTime(),
          flagged: item.flagged,
        })),
      },
    });
  }

  /** The applicant's language as the portal speaks it (the state's fallback otherwise). */
  language(to: VisaRecipient): string {
    return this.config.state.languageFor(to.locale);
  }

  private money(to: VisaRecipient, minorUnits: number, currency: string): string {
    return new Intl.NumberFormat([this.language(to), 'en'], { style: 'currency', currency }).format(minorUnits / 100);
  }

  private dateTime(to: VisaRecipient, at: Date, timeZone: string): string {
    return new Intl.DateTimeFormat([this.language(to), 'en'], { dateStyle: 'long', timeStyle: 'short', timeZone }).format(at);
  }

  private send(tx: Transaction, template: string, to: VisaRecipient, context: Record<string, unknown>, attachments?: EmailAttachmentRef[]): void {
    tx.email({
      to: to.email,
      template,
      locale: to.locale,
      context: {
        fullName: to.fullName,
        reference: to.reference,
        // The status page, readable without signing in from this e-mail only (a view token for this application and person).
        link: this.links.statusLink('visa-application-view', to.applicationId, to.ownerId, this.language(to)),
        ...context,
      },
      attachments,
    });
  }
}

/** The kind of e-mail attachment an issued e-visa's PDF is (loaded by EvisasService when the message is sent). */
export const EVISA_ATTACHMENT = 'evisa';

/** What the e-visa e-mail says about the e-visa it carries. */
export interface EvisaIssuedMessage {
  id: string;
  holderName: string;
  visaNumber: string;
  validFrom: string;
  validUntil: string;
  stayDays: number;
}
