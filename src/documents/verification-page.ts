import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { LocalizedText } from '../config/issuing-state';
import { PageRenderer, RenderedPage } from '../pages/page-renderer';
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

/**
 * The verification pages (templates/pages/verify*.html.hbs, through the shared PageRenderer). Everything is said in
 * English and in the document's language, for whoever holds the document up to a border guard or an employer.
 */
@Injectable()
export class VerificationPage {
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly config: AppConfig,
    private readonly pages: PageRenderer,
  ) {}

  render(verification: DocumentVerification): RenderedPage {
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
    return this.pages.render(
      'verify',
      'en',
      {
        local: lang,
        serial: verification.serial,
        heading: caption('heading'),
        status: verification.status,
        statusLabel: caption(verification.status),
        statusExplanation: caption(`${verification.status}Explanation`),
        rows,
        signatureNote: caption(signatureNote[verification.signature]),
        compare: caption('compare'),
      },
      { alsoIn: lang },
    );
  }

  /** The page for a serial no document has: in English and the issuing state's languages. */
  notFound(serial: string): RenderedPage {
    const languages = ['en', ...this.config.state.languages.filter((l) => l !== 'en')];
    return this.pages.render(
      'verify-not-found',
      'en',
      {
        serial,
        messages: languages.map((lang) => ({ lang, heading: this.pages.captions('verify', lang).notFound, explanation: this.pages.captions('verify', lang).notFoundExplanation })),
      },
      { status: HttpStatus.NOT_FOUND },
    );
  }

  private pair(key: Caption, lang: string): Pair {
    const en = this.pages.captions('verify', 'en')[key];
    const local = this.config.state.languages.includes(lang) ? this.pages.captions('verify', lang)[key] : undefined;
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
