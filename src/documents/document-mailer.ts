import { Injectable } from '@nestjs/common';
import { Transaction } from '../common/database/unit-of-work';
import { AppConfig } from '../config/app-config';
import { inLanguage, LocalizedText } from '../config/issuing-state';
import type { Mission } from '../missions/mission.entity';
import { SIGNED_LINK_VALIDITY_SECONDS, SignedLinks } from '../pages/signed-links';
import { DocumentIssuer } from './document-issuer.service';

/** Who an e-mail about a document goes to: the holder, in the language of their account. */
export interface DocumentRecipient {
  /** The holder's account: links in the e-mails are signed for it. */
  id: string;
  email: string;
  fullName: string;
  locale: string | null;
}

/** The document a message is about. */
export interface DocumentSubject {
  /** The document type's name (for a type no longer issued, the English title printed on it). */
  name: LocalizedText;
  mission: Mission;
}

/**
 * The e-mails a document's holder receives (templates/email/document-*), in their language, through the outbox in
 * the caller's unit of work. Every one names the holder, the document and the mission the same way.
 */
@Injectable()
export class DocumentMailer {
  constructor(
    private readonly config: AppConfig,
    private readonly issuer: DocumentIssuer,
    private readonly links: SignedLinks,
  ) {}

  issued(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, document: { serial: string; validUntil: Date }): void {
    this.send(tx, 'document-issued', to, about, {
      serial: document.serial,
      validUntil: localDate(document.validUntil, about.mission.timezone),
      // A page with the Download button, opened without signing in for 7 days (the token is bound to serial and holder).
      downloadLink: this.links.emailLink(`documents/${document.serial}`, {
        token: this.links.sign('document-download', document.serial, to.id),
        lang: this.config.state.languageFor(to.locale),
      }),
      linkDays: SIGNED_LINK_VALIDITY_SECONDS['document-download'] / 86_400,
      verifyLink: this.issuer.verificationUrl(document.serial),
    });
  }

  rejected(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, reason: string, requestId: string): void {
    this.send(tx, 'document-request-rejected', to, about, {
      reason,
      statusLink: this.links.statusLink('document-request-view', requestId, to.id, this.config.state.languageFor(to.locale)),
    });
  }

  /** The fee of a draft request is paid: the receipt, and a reminder that the request is submitted only by the citizen. */
  paid(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, requestId: string, payment: { amount: number; currency: string; providerReference: string }): void {
    const language = this.config.state.languageFor(to.locale);
    this.send(tx, 'document-request-paid', to, about, {
      amount: new Intl.NumberFormat([language, 'en'], { style: 'currency', currency: payment.currency }).format(payment.amount / 100),
      receipt: payment.providerReference,
      statusLink: this.links.statusLink('document-request-view', requestId, to.id, language),
    });
  }

  revoked(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, serial: string, reason: string): void {
    this.send(tx, 'document-revoked', to, about, { serial, reason, verifyLink: this.issuer.verificationUrl(serial) });
  }

  private send(tx: Transaction, template: string, to: DocumentRecipient, about: DocumentSubject, context: Record<string, unknown>): void {
    const language = this.config.state.languageFor(to.locale);
    tx.email({
      to: to.email,
      template,
      locale: to.locale,
      context: {
        fullName: to.fullName,
        documentName: inLanguage(about.name, language),
        missionName: inLanguage(about.mission.name, language),
        ...context,
      },
    });
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** YYYY-MM-DD in a time zone, as printed on documents. */
function localDate(date: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(date);
}
