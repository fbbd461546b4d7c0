import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { scopeQuery } from '../common/auth/record-scope';
import { FieldCipher, SEALED_TOKEN_PATTERN } from '../common/crypto/field-cipher';
import { nextGaplessValue } from '../common/database/gapless-counter';
import { keyset, Page, PageQuery, Paginator } from '../common/http/pagination';
import type { LocalizedText } from '../config/issuing-state';
import { IssuedDocument, VerificationStatus } from './issued-document.entity';

/** Who may see an issued document: its holder, staff of its mission, admins. */
const DOCUMENT_SCOPE = { owner: 'ownerId', mission: 'missionCode' };
/** A holder's documents, newest first (GET /documents). */
const OWN_DOCUMENTS = keyset<IssuedDocument>('documents', 'DESC', [
  { property: 'd.issuedAt', type: 'timestamp', of: (d) => d.issuedAt },
  { property: 'd.serial', type: 'text', of: (d) => d.serial },
]);

/** What GET /verify needs about a document, in one row. */
export interface DocumentForVerification {
  serial: string;
  type: string;
  title: { local: string; en: string };
  holderName: string;
  language: string;
  issuedAt: Date;
  validUntil: Date;
  pdfSha256: string;
  kid: string;
  qrSignature: string;
  status: VerificationStatus;
  revokedAt: Date | null;
  mission: { code: string; name: LocalizedText; timezone: string };
}

/** Documents sealed per transaction by the start-up step. */
const SEAL_BATCH = 500;

@Injectable()
export class IssuedDocumentsRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger(IssuedDocumentsRepository.name);

  constructor(
    @InjectRepository(IssuedDocument) private readonly documents: Repository<IssuedDocument>,
    private readonly cipher: FieldCipher,
    private readonly pages: Paginator,
  ) {}

  /**
   * Seals holder names stored before they were encrypted. Not a migration: migrations run without the app's
   * configuration and cannot reach the data key. Idempotent and safe in processes starting together.
   */
  async onApplicationBootstrap(): Promise<void> {
    let sealed = 0;
    for (;;) {
      const done = await this.documents.manager.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT serial, holder_name FROM documents WHERE holder_name !~ $1 LIMIT ${SEAL_BATCH} FOR UPDATE SKIP LOCKED`,
          [SEALED_TOKEN_PATTERN],
        )) as { serial: string; holder_name: string }[];
        for (const row of rows) {
          await manager.query(`UPDATE documents SET holder_name = $2 WHERE serial = $1`, [row.serial, this.cipher.encrypt(row.holder_name)]);
        }
        return rows.length;
      });
      sealed += done;
      if (done < SEAL_BATCH) break;
    }
    if (sealed > 0) this.logger.log({ sealed }, 'Sealed the holder names of documents stored in clear');
  }

  /** The next serial number of a mission in a year, from its gapless counter (locked until the transaction ends). */
  nextSerialValue(manager: EntityManager, missionCode: string, year: number): Promise<number> {
    return nextGaplessValue(manager, 'document_serials', { mission_code: missionCode, year });
  }

  /** Stores the document; its PDF (which prints the holder's data) and the holder's name are encrypted at rest. */
  async insert(manager: EntityManager, document: IssuedDocument): Promise<void> {
    await manager
      .getRepository(IssuedDocument)
      .insert({ ...document, holderName: this.cipher.encrypt(document.holderName), pdf: this.cipher.encryptBytes(document.pdf) });
  }

  /** A document the caller may see, without its PDF. */
  async findScoped(user: AuthUser, serial: string, manager?: EntityManager): Promise<IssuedDocument | null> {
    const qb = (manager?.getRepository(IssuedDocument) ?? this.documents).createQueryBuilder('d').where('d.serial = :serial', { serial });
    const document = await scopeQuery(qb, user, DOCUMENT_SCOPE).getOne();
    return document && Object.assign(document, { holderName: this.cipher.open(document.holderName) });
  }

  /** The caller's own documents (as holder), newest first. */
  listOwn(manager: EntityManager, user: AuthUser, page: PageQuery): Promise<Page<IssuedDocument>> {
    return this.pages.page(manager.getRepository(IssuedDocument).createQueryBuilder('d').where('d.ownerId = :ownerId', { ownerId: user.id }), OWN_DOCUMENTS, page);
  }

  /**
   * A document by serial alone, for an e-mailed link: the caller is not known, so the link's signature (bound to the
   * serial and this owner) is what lets it through. Without the holder's name and the PDF.
   */
  async findForLink(serial: string): Promise<Pick<IssuedDocument, 'serial' | 'ownerId' | 'missionCode' | 'type' | 'title' | 'language' | 'status' | 'issuedAt' | 'validUntil' | 'revokedAt' | 'revocationReason'> | null> {
    return this.documents.findOne({
      where: { serial },
      select: { serial: true, ownerId: true, missionCode: true, type: true, title: true, language: true, status: true, issuedAt: true, validUntil: true, revokedAt: true, revocationReason: true },
    });
  }

  /** The stored PDF bytes of a document, for a holder's checked e-mailed link. */
  async pdfForLink(serial: string, ownerId: string): Promise<Buffer | null> {
    const document = await this.documents.createQueryBuilder('d').select(['d.serial', 'd.pdf']).where('d.serial = :serial AND d.ownerId = :ownerId', { serial, ownerId }).getOne();
    return document ? this.cipher.decryptBytes(document.pdf) : null;
  }

  /** The stored PDF bytes of a document the caller may see. */
  async findPdf(user: AuthUser, serial: string): Promise<Buffer | null> {
    const qb = this.documents.createQueryBuilder('d').select(['d.serial', 'd.pdf']).where('d.serial = :serial', { serial });
    const document = await scopeQuery(qb, user, DOCUMENT_SCOPE).getOne();
    return document ? this.cipher.decryptBytes(document.pdf) : null;
  }

  /** valid → revoked, returning when; null when the document was not valid any more (already revoked). */
  async revoke(manager: EntityManager, serial: string, actorId: string, reason: string): Promise<Date | null> {
    const result = await manager
      .createQueryBuilder()
      .update(IssuedDocument)
      .set({ status: 'revoked', revokedAt: () => 'now()', revokedBy: actorId, revocationReason: reason })
      .where('serial = :serial AND status = :from', { serial, from: 'valid' })
      .returning(['revokedAt'])
      .execute();
    return result.affected ? (result.raw as { revoked_at: Date }[])[0].revoked_at : null;
  }

  /** The public facts about a document; expiry is decided by the database clock, like everything else. */
  async forVerification(serial: string): Promise<DocumentForVerification | null> {
    const rows = (await this.documents.query(
      `SELECT d.serial, d.type, d.title, d.holder_name, d.language, d.issued_at, d.valid_until, d.pdf_sha256, d.kid,
              d.qr_signature, d.revoked_at, m.code AS mission_code, m.name AS mission_name, m.timezone AS mission_timezone,
              CASE WHEN d.status = 'revoked' THEN 'revoked' WHEN d.valid_until < now() THEN 'expired' ELSE 'valid' END AS status
         FROM documents d JOIN missions m ON m.code = d.mission_code
        WHERE d.serial = $1`,
      [serial],
    )) as Array<Record<string, unknown>>;
    const row = rows[0];
    if (!row) return null;
    return {
      serial: row.serial as string,
      type: row.type as string,
      title: row.title as DocumentForVerification['title'],
      holderName: this.cipher.open(row.holder_name as string),
      language: row.language as string,
      issuedAt: row.issued_at as Date,
      validUntil: row.valid_until as Date,
      pdfSha256: row.pdf_sha256 as string,
      kid: row.kid as string,
      qrSignature: row.qr_signature as string,
      status: row.status as VerificationStatus,
      revokedAt: (row.revoked_at as Date | null) ?? null,
      mission: { code: row.mission_code as string, name: row.mission_name as LocalizedText, timezone: row.mission_timezone as string },
    };
  }
}
