import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { VisaFile, VisaFileKind } from './visa-file.entity';

export type VisaFileValues = Pick<VisaFile, 'applicationId' | 'applicantId' | 'kind' | 'storageKey' | 'sha256' | 'contentType' | 'sizeBytes' | 'width' | 'height'>;

/** The uploaded files of visa applications (one per person and kind); every method takes the transaction first. */
@Injectable()
export class VisaFilesRepository {
  /** A person's file of a kind, locked for replacement when asked. */
  findOfPerson(manager: EntityManager, applicantId: string, kind: VisaFileKind, options: { lock?: boolean } = {}): Promise<VisaFile | null> {
    return manager.getRepository(VisaFile).findOne({ where: { applicantId, kind }, ...(options.lock ? { lock: { mode: 'pessimistic_write' } } : {}) });
  }

  /** A file by id, only when it belongs to the application (whose access the caller has checked). */
  findInApplication(manager: EntityManager, applicationId: string, fileId: string): Promise<VisaFile | null> {
    return manager.getRepository(VisaFile).findOne({ where: { id: fileId, applicationId } });
  }

  /** An application's files, by the position of their person, photo before passport scan. */
  listOfApplication(manager: EntityManager, applicationId: string): Promise<VisaFile[]> {
    return manager
      .getRepository(VisaFile)
      .createQueryBuilder('f')
      .innerJoin('visa_applicants', 'p', 'p.id = f.applicant_id')
      .where('f.applicationId = :applicationId', { applicationId })
      .orderBy('p.position')
      .addOrderBy('f.kind', 'DESC')
      .getMany();
  }

  /** Stores a person's file of a kind, replacing the earlier one's row (a trigger records the earlier bytes as discarded). */
  async put(manager: EntityManager, values: VisaFileValues): Promise<VisaFile> {
    const [row] = (await manager.query(
      `INSERT INTO visa_files (application_id, applicant_id, kind, storage_key, sha256, content_type, size_bytes, width, height)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (applicant_id, kind) DO UPDATE SET
         storage_key = EXCLUDED.storage_key, sha256 = EXCLUDED.sha256, content_type = EXCLUDED.content_type,
         size_bytes = EXCLUDED.size_bytes, width = EXCLUDED.width, height = EXCLUDED.height, created_at = now()
       RETURNING id`,
      [values.applicationId, values.applicantId, values.kind, values.storageKey, values.sha256, values.contentType, values.sizeBytes, values.width, values.height],
    )) as { id: string }[];
    return manager.getRepository(VisaFile).findOneByOrFail({ id: row.id });
  }

  /**
   * Storage keys whose row is gone (recorded by the visa_files triggers), oldest first, locked so that two sweeps
   * never take the same ones; all of them when `keys` is null, else only those among `keys`.
   */
  async claimDiscarded(manager: EntityManager, keys: string[] | null, limit: number): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT storage_key FROM visa_file_discards WHERE ($1::text[] IS NULL OR storage_key = ANY($1))
        ORDER BY discarded_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [keys, limit],
    )) as { storage_key: string }[];
    return rows.map((row) => row.storage_key);
  }

  /** Forgets discarded keys whose bytes are deleted. */
  async forgetDiscarded(manager: EntityManager, keys: string[]): Promise<void> {
    if (keys.length > 0) await manager.query(`DELETE FROM visa_file_discards WHERE storage_key = ANY($1)`, [keys]);
  }

  /** Puts discarded keys whose bytes could not be deleted at the back of the queue. */
  async postponeDiscarded(manager: EntityManager, keys: string[]): Promise<void> {
    if (keys.length > 0) await manager.query(`UPDATE visa_file_discards SET discarded_at = now() WHERE storage_key = ANY($1)`, [keys]);
  }
}
