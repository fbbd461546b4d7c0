import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { AppConfig, projectPath } from '../config/app-config';
import type { LocalizedText } from '../config/issuing-state';
import { DocumentVerification } from './document-verification.service';

type Caption =
  | 'heading'
  | 'valid'
  | 'revoked'
  | 'expired'
  | 'validExplanation'
  | 'revokedExplanation'
  | 'expiredExplanation'
  | 'serial'
  | 'document'
  | 'holder'
  | 'issuedAt'
  | 'validUntil'
  | 'revokedAt'
  | 'issuer'
  | 'sha256'
  | 'signatureValid'
  | 'signatureInvalid'
  | 'signatureAbsent'
  | 'compare'
  | 'notFound'
  | 'notFoundExplanation';

/** English, and the document's language beside it (null when that is English or has no captions). */
interface Pair {
  en: string;
  local: string | null;
}

const pagePath = (name: string) => projectPath('templates', 'pages', name);

/**
 * The server-rendered verification pages (templates/pages/verify*.html.hbs): plain HTML and CSS, no JavaScript, readable
 * on a phone. Everything is said in English and in the document's language.
 */
@Injectable()
export class VerificationPage {
  private readonly page = Handlebars.compile(readFileSync(pagePath('verify.html.hbs'), 'utf8'), { strict: true });
  private readonly notFoundPage = Handlebars.compile(readFileSync(pagePath('verify-not-found.html.hbs'), 'utf8'), { strict: true });
  private readonly captions = JSON.parse(readFileSync(pagePath('verify.captions.json'), 'utf8')) as Record<string, Record<Caption, string>>;
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(private readonly config: AppConfig) {}

  render(verification: DocumentVerification): string {
    const lang = verification.language;
    const caption = (key: Caption): Pair => this.pair(key, lang);
    const localText = (text: LocalizedText | { local: string; en: string }, en: string): string | null => {
      const local = 'local' in text ? text.local : text[lang];
      return local && local !== en ? local : null;
    };
    const date = (value: Date) => this.formatDate(value, verification.mission.timezone);
    const missionEn = verification.mission.name.en ?? verification.mission.code;
    const rows = [
      { label: caption('serial'), value: verification.serial, valueLocal: null, mono: false },
      { label: caption('document'), value: verification.title.en, valueLocal: localText(verification.title, verification.title.en), mono: false },
      // Without the QR code's signature the row is left out: the note below says why.
      ...(verification.signature === 'valid' ? [{ label: caption('holder'), value: verification.holderName, valueLocal: null, mono: false }] : []),
      { label: caption('issuedAt'), value: date(verification.issuedAt), valueLocal: null, mono: false },
      { label: caption('validUntil'), value: date(verification.validUntil), valueLocal: null, mono: false },
      ...(verification.revokedAt ? [{ label: caption('revokedAt'), value: date(verification.revokedAt), valueLocal: null, mono: false }] : []),
      { label: caption('issuer'), value: missionEn, valueLocal: localText(verification.mission.name, missionEn), mono: false },
      { label: caption('sha256'), value: verification.pdfSha256, valueLocal: null, mono: true },
    ];
    const signatureNote = { valid: 'signatureValid', invalid: 'signatureInvalid', absent: 'signatureAbsent' } as const;
    return this.page({
      lang,
      serial: verification.serial,
      stateName: { en: this.config.state.name.en, local: localText(this.config.state.name, this.config.state.name.en) },
      heading: caption('heading'),
      status: verification.status,
      statusLabel: caption(verification.status),
      statusExplanation: caption(`${verification.status}Explanation`),
      rows,
      signatureNote: caption(signatureNote[verification.signature]),
      compare: caption('compare'),
    });
  }

  /** The page for a serial no document has: in English and the issuing state's languages. */
  notFound(serial: string): string {
    const languages = ['en', ...this.config.state.languages.filter((l) => l !== 'en' && this.captions[l])];
    return this.notFoundPage({
      serial,
      title: this.captions.en.notFound,
      stateName: this.config.state.name.en,
      messages: languages.map((lang) => ({ lang, heading: this.captions[lang].notFound, explanation: this.captions[lang].notFoundExplanation })),
    });
  }

  private pair(key: Caption, lang: string): Pair {
    const en = this.captions.en[key];
    const local = this.captions[lang]?.[key];
    return { en, local: local && local !== en ? local : null };
  }

  private formatDate(date: Date, timeZone: string): string {
    let format = this.dates.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      this.dates.set(timeZone, format);
    }
    return format.format(date);
  }
}
