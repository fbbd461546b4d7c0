import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { scopeCondition } from '../common/auth/record-scope';
import { FieldCipher } from '../common/crypto/field-cipher';
import { nextGaplessValue } from '../common/database/gapless-counter';
import type { LocalizedText } from '../config/issuing-state';
import type { DocumentForVerification } from '../documents/issued-documents.repository';
import { Evisa } from './evisa.entity';

/** A citizen reaches the e-visas of their own applications. */
const OWNER_SCOPE = { owner: 'owner_id' };

/**
 * Issued e-visas. Every method takes the transaction (or `UnitOfWork.reader`) first; the holder's name is sealed and
 * the PDF encrypted on the way in, opened on the way out.
 */
@Injectable()
export class EvisasRepository {
  constructor(
    @InjectRepository(Evisa) private readonly evisas: Repository<Evisa>,
    private readonly cipher: FieldCipher,
  ) {}

  /** The issuing state's next visa number in a year, from its gapless counter (locked until the transaction ends). */
  nextNumberValue(manager: EntityManager, issuingState: string, year: number): Promise<number> {
    return nextGaplessValue(manager, 'evisa_number_counters', { issuing_state: issuingState, year });
  }

  async insert(manager: EntityManager, evisa: Omit<Evisa, 'id'>): Promise<Evisa> {
    const result = await manager
      .getRepository(Evisa)
      .insert({ ...evisa, holderName: this.cipher.encrypt(evisa.holderName), pdf: this.cipher.encryptBytes(evisa.pdf) });
    return { ...evisa, id: result.identifiers[0].id as string };
  }

  /** The people of an application who already hold an e-visa: issuance skips them, so running it twice issues nothing twice. */
  async issuedApplicantIds(manager: EntityManager, applicationId: string): Promise<Set<string>> {
    const rows = await manager.getRepository(Evisa).find({ select: { applicantId: true }, where: { applicationId } });
    return new Set(rows.map((row) => row.applicantId));
  }

  /** The e-visas of an application, lead applicant's first, without their PDFs. */
  async forApplication(manager: EntityManager, applicationId: string): Promise<Evisa[]> {
    const rows = await manager
      .getRepository(Evisa)
      .createQueryBuilder('e')
      .innerJoin('visa_applicants', 'p', 'p.id = e.applicant_id')
      .where('e.applicationId = :applicationId', { applicationId })
      .orderBy('p.position')
      .getMany();
    return rows.map((row) => Object.assign(row, { holderName: this.cipher.open(row.holderName) }));
  }

  /**
   * The PDF of an e-visa on one of the caller's own applications: the person's given by `applicantId`, else the lead
   * applicant's. Null for anything else (someone else's application, no such person, nothing issued).
   */
  async findOwnPdf(manager: EntityManager, user: AuthUser, applicationId: string, applicantId?: string): Promise<{ visaNumber: string; pdf: Buffer } | null> {
    const scope = scopeCondition(user, OWNER_SCOPE, 'a');
    const qb = manager
      .createQueryBuilder()
      .select(['e.visa_number AS visa_number', 'e.pdf AS pdf'])
      .from('evisas', 'e')
      .innerJoin('visa_applications', 'a', 'a.id = e.application_id')
      .innerJoin('visa_applicants', 'p', 'p.id = e.applicant_id')
      .where('e.application_id = :applicationId', { applicationId })
      .andWhere(scope.sql, scope.params);
    if (applicantId) qb.andWhere('p.id = :applicantId', { applicantId });
    else qb.andWhere('p.position = 0');
    const row = await qb.getRawOne<{ visa_number: string; pdf: Buffer }>();
    return row ? { visaNumber: row.visa_number, pdf: this.cipher.decryptBytes(row.pdf) } : null;
  }

  /** An e-visa's PDF by id, for the e-mail that carries it. */
  async pdfById(manager: EntityManager, id: string): Promise<{ visaNumber: string; pdf: Buffer } | null> {
    const row = await manager.getRepository(Evisa).findOne({ select: { visaNumber: true, pdf: true }, where: { id } });
    return row ? { visaNumber: row.visaNumber, pdf: this.cipher.decryptBytes(row.pdf) } : null;
  }

  /** valid → revoked for every e-visa of an application, in one statement; returns the visa numbers it revoked. */
  async revokeForApplication(manager: EntityManager, applicationId: string, actorId: string, reason: string): Promise<string[]> {
    const rows = (await manager.query(
      `UPDATE evisas SET status = 'revoked', revoked_at = now(), revoked_by = $2, revocation_reason = $3
        WHERE application_id = $1 AND status = 'valid'
       RETURNING visa_number`,
      [applicationId, actorId, reason],
    )) as [Array<{ visa_number: string }>, number];
    return rows[0].map((row) => row.visa_number);
  }

  /**
   * The public facts about an e-visa, in the shape /verify gives every signed document. Its dates are calendar dates,
   * so they are given as UTC midnights and printed in UTC; it is expired once the day after its last day has begun.
   */
  async forVerification(visaNumber: string): Promise<DocumentForVerification | null> {
    const rows = (await this.evisas.query(
      `SELECT e.visa_number, e.visa_type, e.title, e.holder_name, e.language, e.issued_at, e.valid_until::text AS valid_until,
              e.pdf_sha256, e.kid, e.qr_signature, e.revoked_at, m.code AS mission_code, m.name AS mission_name,
              CASE WHEN e.status = 'revoked' THEN 'revoked' WHEN e.valid_until < current_date THEN 'expired' ELSE 'valid' END AS status
         FROM evisas e JOIN missions m ON m.code = e.mission_code
        WHERE e.visa_number = $1`,
      [visaNumber],
    )) as Array<Record<string, unknown>>;
    const row = rows[0];
    if (!row) return null;
    return {
      serial: row.visa_number as string,
      type: `evisa-${row.visa_type as string}`,
      title: row.title as DocumentForVerification['title'],
      holderName: this.cipher.open(row.holder_name as string),
      language: row.language as string,
      issuedAt: row.issued_at as Date,
      validUntil: new Date(`${row.valid_until as string}T00:00:00Z`),
      pdfSha256: row.pdf_sha256 as string,
      kid: row.kid as string,
      qrSignature: row.qr_signature as string,
      status: row.status as DocumentForVerification['status'],
      revokedAt: (row.revoked_at as Date | null) ?? null,
      mission: { code: row.mission_code as string, name: row.mission_name as LocalizedText, timezone: 'UTC' },
    };
  }
}
