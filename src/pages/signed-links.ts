import { Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';

/** What a signed link lets its holder do; a token for one purpose is worthless for another. */
export type SignedLinkPurpose = 'registration-view' | 'document-request-view' | 'document-download' | 'visa-application-view';

/** The purposes that open a record's status page, and that page's path. */
export type StatusViewPurpose = Exclude<SignedLinkPurpose, 'document-download'>;
const STATUS_PAGES: Record<StatusViewPurpose, (id: string) => string> = {
  'registration-view': (id) => `registrations/${id}/status`,
  'document-request-view': (id) => `document-requests/${id}/status`,
  'visa-application-view': (id) => `visa-applications/${id}/status`,
};

export type SignedLinkCheck = 'valid' | 'expired' | 'invalid';

const MAC_BYTES = 16;
const DAY_SECONDS = 86_400;

/** How long each kind of e-mailed link works. */
export const SIGNED_LINK_VALIDITY_SECONDS: Record<SignedLinkPurpose, number> = {
  'registration-view': 30 * DAY_SECONDS,
  'document-request-view': 30 * DAY_SECONDS,
  'document-download': 7 * DAY_SECONDS,
  'visa-application-view': 30 * DAY_SECONDS,
};

/**
 * Links in e-mails. A signed link token (`<expiry, base36 seconds>.<HMAC-SHA256, 16 bytes, base64url>`) is bound to its
 * purpose, one record and its owner, and expires: it lets the person who received the e-mail see a status or download
 * a document without signing in, and nothing else. The key is derived from DATA_ENCRYPTION_KEY, so it needs no new
 * secret and no table; changing that key ends every link.
 */
@Injectable()
export class SignedLinks {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.dataEncryptionKey, 'consular-portal/signed-link', 'hmac-sha256 e-mailed link v1', 32));
  }

  sign(purpose: SignedLinkPurpose, subject: string, ownerId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + SIGNED_LINK_VALIDITY_SECONDS[purpose];
    return `${expires.toString(36)}.${this.mac(purpose, subject, ownerId, expires).toString('base64url')}`;
  }

  /** `invalid` for anything not made by sign() for this purpose, record and owner; `expired` only for a genuine token. */
  check(purpose: SignedLinkPurpose, subject: string, ownerId: string, token: unknown, now = Date.now()): SignedLinkCheck {
    if (typeof token !== 'string') return 'invalid';
    const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
    if (!match) return 'invalid';
    const expires = parseInt(match[1], 36);
    const given = Buffer.from(match[2], 'base64url');
    const expected = this.mac(purpose, subject, ownerId, expires);
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 <= now ? 'expired' : 'valid';
  }

  /**
   * The address of a page a person opens from an e-mail (`verify-email`, `documents/<serial>`, …): on the state's own
   * front end when WEB_BASE_URL is set, else on the portal's pages.
   */
  emailLink(path: string, query: Record<string, string> = {}): string {
    const search = new URLSearchParams(query).toString();
    return `${this.config.webBaseUrl}/${path}${search ? `?${search}` : ''}`;
  }

  /**
   * The e-mailed link to a record's status page, readable without signing in by the person the e-mail went to: a view
   * token for that record and owner, and the page's language.
   */
  statusLink(purpose: StatusViewPurpose, subject: string, ownerId: string, lang: string): string {
    return this.emailLink(STATUS_PAGES[purpose](subject), { view: this.sign(purpose, subject, ownerId), lang });
  }

  private mac(purpose: SignedLinkPurpose, subject: string, ownerId: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`${purpose}\n${subject}\n${ownerId}\n${expires}`).digest().subarray(0, MAC_BYTES);
  }
}
