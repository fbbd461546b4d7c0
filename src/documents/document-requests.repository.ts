import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuthUser } from '../common/auth/auth-user';
import { scopeQuery } from '../common/auth/record-scope';
import { FieldCipher } from '../common/crypto/field-cipher';
import { byCreation, Page, PageQuery, Paginator } from '../common/http/pagination';
import { DocumentRequest, DocumentRequestStatus } from './document-request.entity';
import { DocumentRequestAttachment, DocumentRequestPayment } from './document-request-extras.entity';
import { DocumentErrors } from './document.errors';
import { DOCUMENT_REQUEST_TRANSITIONS, DocumentRequestAction } from './document-request-transitions';
import { IssuedDocument, IssuedDocumentStatus } from './issued-document.entity';

interface DocumentColumns {
  document_serial: string | null;
  document_status: IssuedDocumentStatus;
  document_valid_until: Date;
  document_revoked_at: Date | null;
  document_revocation_reason: string | null;
}

/** A request with the serial of the document issued for it, if any. */
export type DocumentRequestWithSerial = DocumentRequest & { serial: string | null; document: IssuedDocumentState | null };

/** What became of the document issued for a request: revoked (with why), or still valid. */
export interface IssuedDocumentState {
  serial: string;
  status: IssuedDocumentStatus;
  validUntil: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
}

const REQUEST_SCOPE = { owner: 'ownerId', mission: 'missionCode' };

/** A citizen's list, newest first; the staff queue, oldest first. */
const OWN_LIST = byCreation<DocumentRequestWithSerial>('document-requests', 'DESC', 'r');
const QUEUE = byCreation<DocumentRequestWithSerial>('staff-document-requests', 'ASC', 'r');

export interface QueueFilter {
  status?: DocumentRequestStatus;
  missionCode?: string;
  type?: string;
}

/** Document requests and their history. Every method takes the transaction (or `UnitOfWork.reader`) first. */
@Injectable()
export class DocumentRequestsRepository {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly pages: Paginator,
  ) {}

  /** Stores the request with every field value encrypted (they hold names, dates of birth, passport numbers). */
  async create(
    manager: EntityManager,
    values: Pick<DocumentRequest, 'ownerId' | 'missionCode' | 'type' | 'fields' | 'locale' | 'registrationId' | 'flags' | 'status'>,
  ): Promise<DocumentRequestWithSerial> {
    const repository = manager.getRepository(DocumentRequest);
    const sealed = Object.fromEntries(Object.entries(values.fields).map(([name, value]) => [name, this.cipher.encrypt(value)]));
    const request = await repository.save(repository.create({ ...values, fields: sealed }));
    await this.recordHistory(manager, request.id, null, values.status, values.ownerId, null);
    return Object.assign(request, { fields: values.fields, serial: null, document: null });
  }

  /** A request the caller may see (their own, or their missions'), with its document's serial. */
  async findScoped(manager: EntityManager, user: AuthUser, id: string): Promise<DocumentRequestWithSerial | null> {
    const [request] = await this.withSerial(scopeQuery(this.query(manager).where('r.id = :id', { id }), user, REQUEST_SCOPE));
    return request ?? null;
  }

  /** A request by id alone, for a page opened from an e-mailed link whose signature (bound to the owner) is checked next. */
  async findForLink(manager: EntityManager, id: string): Promise<DocumentRequestWithSerial | null> {
    const [request] = await this.withSerial(this.query(manager).where('r.id = :id', { id }));
    return request ?? null;
  }

  /** The caller's own requests, newest first. */
  listOwn(manager: EntityManager, user: AuthUser, page: PageQuery): Promise<Page<DocumentRequestWithSerial>> {
    const qb = scopeQuery(this.query(manager).where('r.ownerId = :ownerId', { ownerId: user.id }), user, REQUEST_SCOPE);
    return this.pages.page(qb, OWN_LIST, page, (q) => this.withSerial(q));
  }

  /** The caller's own request, locked for a change when `lock` (a draft being completed). */
  async findOwn(manager: EntityManager, user: AuthUser, id: string, lock = false): Promise<DocumentRequestWithSerial | null> {
    const qb = this.query(manager).where('r.id = :id AND r.ownerId = :ownerId', { id, ownerId: user.id });
    if (lock) qb.setLock('pessimistic_write');
    const request = await qb.getOne();
    return request && Object.assign(request, { fields: this.openFields(request.fields), serial: null, document: null });
  }

  /** The staff queue over the caller's missions, oldest first; drafts are the citizen's until submitted and never in it. */
  queue(manager: EntityManager, user: AuthUser, filter: QueueFilter, page: PageQuery): Promise<Page<DocumentRequestWithSerial>> {
    const qb = scopeQuery(this.query(manager).where(`r.status <> 'draft'`), user, REQUEST_SCOPE);
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.missionCode) qb.andWhere('r.missionCode = :missionCode', { missionCode: filter.missionCode });
    if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    return this.pages.page(qb, QUEUE, page, (q) => this.withSerial(q));
  }

  /**
   * Applies one transition of the table: `UPDATE … WHERE status = from`, so of two concurrent decisions only one
   * changes the row; the other finds 0 rows and answers 409. Records the history row in the same transaction.
   */
  async transition(
    manager: EntityManager,
    request: DocumentRequestWithSerial,
    action: DocumentRequestAction,
    actorId: string,
    reason: string | null = null,
  ): Promise<DocumentRequestWithSerial> {
    const { from, to, done } = DOCUMENT_REQUEST_TRANSITIONS[action];
    const rejectionReason = to === 'rejected' ? reason : null;
    const result = await manager
      .createQueryBuilder()
      .update(DocumentRequest)
      .set({ status: to, decidedBy: actorId, decidedAt: () => 'now()', rejectionReason })
      .where('id = :id AND status IN (:...from)', { id: request.id, from })
      .returning(['decidedAt', 'updatedAt'])
      .execute();
    if (!result.affected) {
      const current = await manager.getRepository(DocumentRequest).findOne({ select: { status: true }, where: { id: request.id } });
      throw DocumentErrors.requestInvalidTransition.exception(current?.status ?? request.status, done);
    }
    await this.recordHistory(manager, request.id, request.status, to, actorId, reason);
    const [changed] = result.raw as { decided_at: Date; updated_at: Date }[];
    return { ...request, status: to, decidedBy: actorId, decidedAt: changed.decided_at, updatedAt: changed.updated_at, rejectionReason };
  }

  /** A complete draft enters the queue (`UPDATE … WHERE status = 'draft'`: of two concurrent submits one wins, the other is a 409). */
  async submitDraft(manager: EntityManager, request: DocumentRequestWithSerial, actorId: string): Promise<DocumentRequestWithSerial> {
    const { from, to, done } = DOCUMENT_REQUEST_TRANSITIONS.submit;
    const result = await manager
      .createQueryBuilder()
      .update(DocumentRequest)
      .set({ status: to })
      .where('id = :id AND status IN (:...from)', { id: request.id, from })
      .returning(['updatedAt'])
      .execute();
    if (!result.affected) throw DocumentErrors.requestInvalidTransition.exception(request.status, done);
    await this.recordHistory(manager, request.id, request.status, to, actorId, null);
    const [changed] = result.raw as { updated_at: Date }[];
    return { ...request, status: to, updatedAt: changed.updated_at };
  }

  attachments(manager: EntityManager, requestId: string): Promise<DocumentRequestAttachment[]> {
    return manager.getRepository(DocumentRequestAttachment).find({ where: { requestId }, order: { name: 'ASC' } });
  }

  attachment(manager: EntityManager, requestId: string, name: string): Promise<DocumentRequestAttachment | null> {
    return manager.getRepository(DocumentRequestAttachment).findOne({ where: { requestId, name } });
  }

  /** Stores the attachment row, replacing the one of the same name; returns the storage key it replaced, if any. */
  async putAttachment(manager: EntityManager, values: Omit<DocumentRequestAttachment, 'id' | 'createdAt'>): Promise<{ attachment: DocumentRequestAttachment; replacedKey: string | null }> {
    const previous = await this.attachment(manager, values.requestId, values.name);
    const repository = manager.getRepository(DocumentRequestAttachment);
    if (previous) await repository.delete({ id: previous.id });
    const attachment = await repository.save(repository.create(values));
    return { attachment, replacedKey: previous?.storageKey ?? null };
  }

  payment(manager: EntityManager, requestId: string): Promise<DocumentRequestPayment | null> {
    return manager.getRepository(DocumentRequestPayment).findOne({ where: { requestId } });
  }

  async insertPayment(manager: EntityManager, values: Omit<DocumentRequestPayment, 'id'>): Promise<DocumentRequestPayment> {
    const repository = manager.getRepository(DocumentRequestPayment);
    return repository.save(repository.create(values));
  }

  private async recordHistory(
    manager: EntityManager,
    requestId: string,
    from: DocumentRequestStatus | null,
    to: DocumentRequestStatus,
    actorId: string,
    reason: string | null,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO document_request_history (request_id, from_status, to_status, actor_id, reason) VALUES ($1, $2, $3, $4, $5)`,
      [requestId, from, to, actorId, reason],
    );
  }

  private query(manager: EntityManager): SelectQueryBuilder<DocumentRequest> {
    return manager.getRepository(DocumentRequest).createQueryBuilder('r');
  }

  private async withSerial(qb: SelectQueryBuilder<DocumentRequest>): Promise<DocumentRequestWithSerial[]> {
    const { entities, raw } = await qb
      .leftJoin(IssuedDocument, 'd', 'd.requestId = r.id')
      .addSelect('d.serial', 'document_serial')
      .addSelect('d.status', 'document_status')
      .addSelect('d.validUntil', 'document_valid_until')
      .addSelect('d.revokedAt', 'document_revoked_at')
      .addSelect('d.revocationReason', 'document_revocation_reason')
      .getRawAndEntities<DocumentColumns>();
    return entities.map((request, index) => {
      const row = raw[index];
      const document: IssuedDocumentState | null = row?.document_serial
        ? { serial: row.document_serial, status: row.document_status, validUntil: row.document_valid_until, revokedAt: row.document_revoked_at, revocationReason: row.document_revocation_reason }
        : null;
      return Object.assign(request, { fields: this.openFields(request.fields), serial: document?.serial ?? null, document });
    });
  }

  private openFields(fields: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, typeof value === 'string' ? this.cipher.open(value) : value]));
  }
}
