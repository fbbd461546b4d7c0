import { Injectable } from '@nestjs/common';
import { SignedLinks } from '../pages/signed-links';
import { DocumentErrors } from './document.errors';
import { IssuedDocumentsRepository } from './issued-documents.repository';

export type LinkedDocument = NonNullable<Awaited<ReturnType<IssuedDocumentsRepository['findForLink']>>>;

/**
 * Documents opened from the "document issued" e-mail without signing in: its link carries a token signed for the
 * serial and the holder (SignedLinks, 7 days). A forged token, or one for another document or person, finds nothing.
 */
@Injectable()
export class DocumentLinksService {
  constructor(
    private readonly documents: IssuedDocumentsRepository,
    private readonly links: SignedLinks,
  ) {}

  /** The token for the e-mail about a newly issued document. */
  downloadToken(serial: string, ownerId: string): string {
    return this.links.sign('document-download', serial, ownerId);
  }

  /** The document behind a link, and whether the link has expired (then the page offers to sign in). */
  async byLink(serial: string, token: string): Promise<{ document: LinkedDocument; expired: boolean }> {
    const document = await this.documents.findForLink(serial.toUpperCase());
    const check = document ? this.links.check('document-download', document.serial, document.ownerId, token) : 'invalid';
    if (!document || check === 'invalid') throw DocumentErrors.documentNotFound.exception();
    return { document, expired: check === 'expired' };
  }

  /** The PDF, byte for byte as issued, behind a checked link that has not expired. */
  async pdfByLink(serial: string, token: string): Promise<{ pdf: Buffer; document: LinkedDocument } | { expired: true; document: LinkedDocument }> {
    const { document, expired } = await this.byLink(serial, token);
    if (expired) return { expired: true, document };
    const pdf = await this.documents.pdfForLink(document.serial, document.ownerId);
    if (!pdf) throw DocumentErrors.documentNotFound.exception();
    return { pdf, document };
  }
}
