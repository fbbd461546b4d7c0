import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { SERIAL_PATTERN } from './document-issuer.service';
import { VerificationResponse } from './dto/verification.dto';
import { DocumentForVerification, IssuedDocumentsRepository } from './issued-documents.repository';

/** What a verifier learns about a serial: the document's public facts and whether the link's signature is its own. */
export interface DocumentVerification extends DocumentForVerification {
  signature: 'valid' | 'invalid' | 'absent';
}

/**
 * Answers "is this document real and valid?" for any document in the documents table (consular documents now,
 * e-visas later). Without the QR code's signature only the masked name is told, so walking serials reveals nothing.
 */
@Injectable()
export class DocumentVerificationService {
  constructor(private readonly documents: IssuedDocumentsRepository) {}

  /** The verification of a serial, or null when no such document was issued. */
  async verify(serial: string, signature?: string): Promise<DocumentVerification | null> {
    const normalised = serial.trim().toUpperCase();
    if (!SERIAL_PATTERN.test(normalised)) return null;
    const document = await this.documents.forVerification(normalised);
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
      holder: maskName(verification.holderName),
      ...(verification.signature === 'valid' ? { holderName: verification.holderName } : {}),
      signature: verification.signature,
      sha256: verification.pdfSha256,
      kid: verification.kid,
      language: verification.language,
      mission: { code: verification.mission.code, name: verification.mission.name.en ?? verification.mission.code },
    };
  }
}

/** Each word as its first letter and one star per other letter: "Dilshod Karimov" → "D****** K******". */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => {
      const letters = Array.from(word);
      return letters[0] + '*'.repeat(letters.length - 1);
    })
    .join(' ');
}

/** Constant-time comparison, so response times do not tell how much of a guessed signature was right. */
function sameSignature(given: string, issued: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(issued, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
