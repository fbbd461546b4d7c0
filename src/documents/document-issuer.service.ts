import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { canonicalJson } from '../common/canonical-json';
import { AppConfig } from '../config/app-config';
import { OfficialDocumentContent, PdfRendererService } from '../signing/pdf-renderer.service';
import { SigningKeyService } from '../signing/signing-key.service';
import { IssuedDocumentsRepository } from './issued-documents.repository';
import { IssuedDocument, SignedDocumentPayload } from './issued-document.entity';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssueDocumentInput {
  type: string;
  missionCode: string;
  ownerId: string;
  /** The document request it answers; null for documents issued by other modules (e-visas). */
  requestId: string | null;
  holderName: string;
  /** The holder's data the document certifies; its canonical SHA-256 is what the signatures cover. */
  holderData: Record<string, unknown>;
  validityDays: number;
  issuedBy: { id: string; name: string };
  /** Everything printed but the serial, the dates and the verification block, which issuance fills in. */
  content: Omit<OfficialDocumentContent, 'serial' | 'issuedAt' | 'validUntil' | 'qrPayload' | 'verifyUrl'>;
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Issues a signed official document inside the caller's transaction: takes the mission's next serial, renders the
 * PDF, hashes and signs it, and stores the bytes exactly as hashed. Used by document requests now and e-visas later.
 *
 * Two Ed25519 signatures, one key (same kid):
 * - the QR code's `s` signs the claim { serial, type, holderHash, issuedAt, validUntil }. It cannot cover the PDF's
 *   hash, because the QR code is part of the PDF; it is what a scanned document proves;
 * - `signature` seals the record: the same claim plus pdfSha256, so the stored bytes are bound to the claim too.
 * The full payload is kept in signed_payload; the QR claim is that payload without pdfSha256.
 */
@Injectable()
export class DocumentIssuer {
  private readonly years = new Map<string, Intl.DateTimeFormat>();

  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeyService,
    private readonly renderer: PdfRendererService,
    private readonly documents: IssuedDocumentsRepository,
  ) {}

  async issue(manager: EntityManager, input: IssueDocumentInput): Promise<IssuedDocument> {
    const issuedAt = new Date();
    const validUntil = new Date(issuedAt.getTime() + input.validityDays * DAY_MS);
    const year = this.yearIn(issuedAt, input.content.timeZone);
    const serial = formatSerial(this.config.state.code, input.missionCode, year, await this.documents.nextSerialValue(manager, input.missionCode, year));
    const claim = qrClaim({
      serial,
      type: input.type,
      holderHash: sha256Hex(canonicalJson(input.holderData)),
      issuedAt: issuedAt.toISOString(),
      validUntil: validUntil.toISOString(),
    });
    const qr = this.keys.sign(claim);
    const verifyUrl = this.verificationUrl(serial);
    const pdf = await this.renderer.render({ ...input.content, serial, issuedAt, validUntil, verifyUrl, qrPayload: `${verifyUrl}?s=${qr.signature}` });
    const signedPayload: SignedDocumentPayload = { ...claim, pdfSha256: sha256Hex(pdf) };
    const seal = this.keys.sign(signedPayload);
    const document: IssuedDocument = {
      serial,
      requestId: input.requestId,
      ownerId: input.ownerId,
      missionCode: input.missionCode,
      type: input.type,
      title: input.content.title,
      holderName: input.holderName,
      holderHash: claim.holderHash,
      language: input.content.language,
      issuedAt,
      validUntil,
      pdf,
      pdfSha256: signedPayload.pdfSha256,
      kid: seal.kid,
      signedPayload,
      signature: seal.signature,
      qrSignature: qr.signature,
      issuedBy: input.issuedBy.id,
      issuedByName: input.issuedBy.name,
      status: 'valid',
      revokedAt: null,
      revokedBy: null,
      revocationReason: null,
    };
    await this.documents.insert(manager, document);
    return document;
  }

  /** The public verification page of a document (what is printed beside the QR code). */
  verificationUrl(serial: string): string {
    return `${this.config.publicBaseUrl}/verify/${serial}`;
  }

  /** The year of issue where the mission is, so the serial's year matches the printed date. */
  private yearIn(date: Date, timeZone = 'UTC'): number {
    let format = this.years.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' });
      this.years.set(timeZone, format);
    }
    return Number(format.format(date));
  }
}

/** What the QR code's signature covers: the signed payload without the PDF's hash. */
export function qrClaim(payload: Omit<SignedDocumentPayload, 'pdfSha256'>): Omit<SignedDocumentPayload, 'pdfSha256'> {
  return { serial: payload.serial, type: payload.type, holderHash: payload.holderHash, issuedAt: payload.issuedAt, validUntil: payload.validUntil };
}

/** `<STATE>-<MISSION>-<YEAR>-<6 digits>`, e.g. UZ-BER-2026-000123. */
export function formatSerial(stateCode: string, missionCode: string, year: number, value: number): string {
  if (!Number.isInteger(value) || value < 1 || value > 999_999) throw new RangeError(`Serial number ${value} is out of range`);
  return `${stateCode}-${missionCode}-${year}-${String(value).padStart(6, '0')}`;
}

export const SERIAL_PATTERN = /^[A-Z]{2}-[A-Z0-9]{2,8}-\d{4}-\d{6}$/;
