import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { SERIAL_PATTERN } from './document-issuer.service';
import { VerificationResponse } from './dto/verification.dto';
import { DocumentForVerification, IssuedDocumentsRepository } from './issued-documents.repository';

/** What a verifier learns about a serial: the document's public facts and whether the link's signature is its own. */
export interface DocumentVerification extends DocumentForVerification {
  signature: 'valid' | 'invalid' | 'absent';
}

/** Signed documents another module keeps (e-visas), found by their own serial format, verified the same way. */
export interface VerificationSource {
  pattern: RegExp;
  find(serial: string): Promise<DocumentForVerification | null>;
}

/** What `holder` says without the QR code's signature: the same for every document, so it tells nothing. */
export const HIDDEN_HOLDER = '*****';

/**
 * Answers "is this document real and valid?" for any document in the documents table (consular documents now,
 * e-visas later). Without the QR code's signature no part of the holder's name is told (no initials, no lengths),
 * so walking serials collects nothing about anyone.
 */
@Injectable()
export class DocumentVerificationService {
  private readonly sources: VerificationSource[] = [];

  constructor(private readonly documents: IssuedDocumentsRepository) {}

  /** A module whose signed documents /verify answers for registers them at start-up. */
  registerSource(source: VerificationSource): void {
    this.sources.push(source);
  }

  /** The verification of a serial, or null when no such document was issued. */
  async verify(serial: string, signature?: string): Promise<DocumentVerification | null> {
    const normalised = serial.trim().toUpperCase();
    const source = SERIAL_PATTERN.test(normalised)
      ? { find: (value: string) => this.documents.forVerification(value) }
      : this.sources.find(({ pattern }) => pattern.test(normalised));
    if (!source) return null;
    const document = await source.find(normalised);
    if (!document) return null;
    return { ...document, signature: !signature ? 'absent' : sameSignature(signature, document.qrSignature) ? 'valid' : 'invalid' };
  }

  /** The JSON answer: the holder's full name only with the right signature. */
  toResponse(verification: DocumentVerification): VerificationResponse {
    return {
      serial: verification.serial,
      type: verification.type,
      title: verification.title,
      status: verification.status,
      issuedAt: verification.issuedAt,
      validUntil: verification.validUntil,
      revokedAt: verification.revokedAt,
      holder: shownHolder(verification),
      ...(verification.signature === 'valid' ? { holderName: verification.holderName } : {}),
      signature: verification.signature,
      sha256: verification.pdfSha256,
      kid: verification.kid,
      language: verification.language,
      mission: { code: verification.mission.code, name: verification.mission.name.en ?? verification.mission.code },
    };
  }
}

/** The holder's name for a verifier holding the QR code's signature; nothing of it for anyone else. */
export function shownHolder(verification: DocumentVerification): string {
  return verification.signature === 'valid' ? verification.holderName : HIDDEN_HOLDER;
}

/** Constant-time comparison, so response times do not tell how much of a guessed signature was right. */
function sameSignature(given: string, issued: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(issued, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
