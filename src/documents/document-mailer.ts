import { Injectable } from '@nestjs/common';
import { Transaction } from '../common/database/unit-of-work';
import { apiLink } from '../common/http/api-prefix';
import { AppConfig } from '../config/app-config';
import { inLanguage, LocalizedText } from '../config/issuing-state';
import type { Mission } from '../missions/mission.entity';
import { DocumentIssuer } from './document-issuer.service';

/** Who an e-mail about a document goes to: the holder, in the language of their account. */
export interface DocumentRecipient {
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
  ) {}

  issued(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, document: { serial: string; validUntil: Date }): void {
    this.send(tx, 'document-issued', to, about, {
      serial: document.serial,
      validUntil: localDate(document.validUntil, about.mission.timezone),
      downloadLink: apiLink(this.config.publicBaseUrl, `documents/${document.serial}/pdf`),
      verifyLink: this.issuer.verificationUrl(document.serial),
    });
  }

  rejected(tx: Transaction, to: DocumentRecipient, about: DocumentSubject, reason: string): void {
    this.send(tx, 'document-request-rejected', to, about, { reason });
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
