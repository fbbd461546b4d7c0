import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { UsersRepository } from '../auth/users.repository';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { FieldError } from '../common/http/domain.exception';
import { UploadedFileContent } from '../common/http/uploads';
import { sanitiseUpload } from '../common/uploads/upload-sanitiser';
import { MissionsRepository } from '../missions/missions.repository';
import { PaymentProvider, settleFee } from '../payments/payment-provider';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { DocumentErrors } from './document.errors';
import { DocumentMailer } from './document-mailer';
import { assertMayTake, DOCUMENT_REQUEST_TRANSITIONS } from './document-request-transitions';
import { DocumentRequestsRepository, DocumentRequestWithSerial } from './document-requests.repository';
import { DocumentAttachmentDefinition, DocumentType, DocumentTypeRegistry } from './document-type.registry';
import { documentRequestView } from './document-views';
import { DocumentRequestResponse } from './dto/document-request.response';

/** The fee in minor units of its currency, as the payment provider charges it. */
const MINOR_UNITS = 100;

/**
 * A draft request made complete by its owner: the type's files uploaded (checked by their bytes, stored encrypted
 * through FileStorage), its fee paid through the PaymentProvider (the receipt e-mailed), then submitted into the staff queue.
 */
@Injectable()
export class DocumentDraftsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly registry: DocumentTypeRegistry,
    private readonly requests: DocumentRequestsRepository,
    private readonly payments: PaymentProvider,
    private readonly users: UsersRepository,
    private readonly missions: MissionsRepository,
    private readonly mailer: DocumentMailer,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /** The attachment rule a route reads the upload with (404 for a name the type does not take). */
  attachmentRule(type: DocumentType, name: string): DocumentAttachmentDefinition {
    const rule = type.attachments?.find((a) => a.name === name);
    if (!rule) throw DocumentErrors.unknownAttachment.exception(type.code, (type.attachments ?? []).map((a) => a.name).join(', '));
    return rule;
  }

  /** What a request still needs before it can enter the queue: `payment`, `attachments.<name>`; none once submitted. */
  async missing(manager: EntityManager, request: DocumentRequestWithSerial): Promise<FieldError[]> {
    const type = this.registry.get(request.type);
    if (request.status !== 'draft' || !type) return [];
    const missing: FieldError[] = [];
    if (type.payBeforeQueue && type.fee.amount > 0 && !(await this.requests.payment(manager, request.id))) {
      missing.push({ field: 'payment', message: `the fee of ${type.fee.amount} ${type.fee.currency} is not paid` });
    }
    const stored = new Set((await this.requests.attachments(manager, request.id)).map((a) => a.name));
    for (const attachment of type.attachments ?? []) {
      if (attachment.required && !stored.has(attachment.name)) missing.push({ field: `attachments.${attachment.name}`, message: `${attachment.label.en} is required` });
    }
    return missing;
  }

  async view(manager: EntityManager, request: DocumentRequestWithSerial): Promise<DocumentRequestResponse> {
    return { ...documentRequestView(request), missing: (await this.missing(manager, request)).map((m) => m.field) };
  }

  /** Stores (or replaces) one of the draft's files; the bytes are checked and re-encoded before anything is stored. */
  async uploadAttachment(user: AuthUser, id: string, name: string, file: UploadedFileContent): Promise<DocumentRequestResponse> {
    const request = await this.requests.findOwn(this.uow.reader, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    const type = this.typeOf(request);
    const rule = this.attachmentRule(type, name);
    if (request.status !== 'draft') throw DocumentErrors.notDraft.exception(request.status);
    const sanitised = await sanitiseUpload({ label: rule.label.en.toLowerCase(), maxBytes: rule.maxBytes, types: rule.types, typesInWords: inWords(rule.types) }, file.bytes);
    const { key } = await this.storage.put(sanitised.bytes);
    let replacedKey: string | null = null;
    try {
      const response = await this.uow.run(async (tx) => {
        const current = await this.requests.findOwn(tx.manager, user, id, true);
        if (!current) throw DocumentErrors.requestNotFound.exception();
        if (current.status !== 'draft') throw DocumentErrors.notDraft.exception(current.status);
        const stored = await this.requests.putAttachment(tx.manager, {
          requestId: id,
          name,
          storageKey: key,
          sha256: sanitised.sha256,
          contentType: sanitised.contentType,
          sizeBytes: sanitised.bytes.length,
        });
        replacedKey = stored.replacedKey;
        tx.audit({
          actor: user,
          action: 'document_request.attachment_added',
          entityType: 'document_request',
          entityId: id,
          missionCode: current.missionCode,
          details: { name, sha256: sanitised.sha256, contentType: sanitised.contentType, sizeBytes: sanitised.bytes.length, replaced: replacedKey !== null },
        });
        return this.view(tx.manager, current);
      });
      if (replacedKey) await this.storage.delete(replacedKey);
      return response;
    } catch (error) {
      await this.storage.delete(key);
      throw error;
    }
  }

  /** Pays the draft's fee through the payment provider, once; the settlement is the receipt. */
  async pay(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.requests.findOwn(tx.manager, user, id, true);
      if (!current) throw DocumentErrors.requestNotFound.exception();
      const type = this.typeOf(current);
      if (current.status !== 'draft') throw DocumentErrors.notDraft.exception(current.status);
      if (!type.payBeforeQueue || type.fee.amount <= 0) throw DocumentErrors.noFeeToPay.exception();
      if (await this.requests.payment(tx.manager, id)) throw DocumentErrors.alreadyPaid.exception();
      const settlement = await settleFee(
        this.payments,
        { reference: current.id, description: `${type.name.en}, request ${current.id}`, amount: Math.round(type.fee.amount * MINOR_UNITS), currency: type.fee.currency, payerEmail: user.email },
        (reason) => DocumentErrors.paymentFailed.exception(reason),
      );
      await this.requests.insertPayment(tx.manager, { requestId: id, ...settlement });
      tx.audit({
        actor: user,
        action: 'document_request.paid',
        entityType: 'document_request',
        entityId: id,
        missionCode: current.missionCode,
        details: { provider: this.payments.name, providerReference: settlement.providerReference, amount: settlement.amount, currency: settlement.currency },
      });
      const owner = await this.users.findWithMissions(user.id, tx.manager);
      const mission = await this.missions.findByCode(tx.manager, current.missionCode);
      // Both are referenced by foreign keys of the request: they exist.
      if (!owner || !mission) throw new Error(`Document request of ${current.missionCode} without its owner or mission`);
      this.mailer.paid(tx, { id: owner.id, email: owner.email, fullName: owner.fullName, locale: owner.locale }, { name: type.name, mission }, id, settlement);
      return this.view(tx.manager, current);
    });
  }

  /** A complete draft enters the staff queue; an incomplete one is a 422 listing every missing item. */
  async submit(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    return this.uow.run(async (tx) => {
      const current = await this.requests.findOwn(tx.manager, user, id, true);
      if (!current) throw DocumentErrors.requestNotFound.exception();
      assertMayTake(DOCUMENT_REQUEST_TRANSITIONS.submit, user.role);
      if (current.status !== 'draft') throw DocumentErrors.requestInvalidTransition.exception(current.status, DOCUMENT_REQUEST_TRANSITIONS.submit.done);
      const missing = await this.missing(tx.manager, current);
      if (missing.length > 0) throw DocumentErrors.incomplete.withFields(missing);
      const submitted = await this.requests.submitDraft(tx.manager, current, user.id);
      tx.audit({
        actor: user,
        action: DOCUMENT_REQUEST_TRANSITIONS.submit.auditAction,
        entityType: 'document_request',
        entityId: id,
        missionCode: current.missionCode,
        details: { type: current.type },
      });
      return this.view(tx.manager, submitted);
    });
  }

  /** An attachment of a request of the caller's missions, decrypted, for download. */
  async downloadForStaff(user: AuthUser, id: string, name: string): Promise<{ bytes: Buffer; contentType: string; filename: string }> {
    const request = await this.requests.findScoped(this.uow.reader, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    const attachment = await this.requests.attachment(this.uow.reader, id, name);
    if (!attachment) throw DocumentErrors.attachmentNotFound.exception();
    const extension = attachment.contentType === 'application/pdf' ? 'pdf' : 'jpg';
    return { bytes: await this.storage.get(attachment.storageKey), contentType: attachment.contentType, filename: `${name}.${extension}` };
  }

  private typeOf(request: DocumentRequestWithSerial): DocumentType {
    const type = this.registry.get(request.type);
    if (!type) throw DocumentErrors.typeWithdrawn.exception(request.type);
    return type;
  }
}

function inWords(types: readonly string[]): string {
  const names = types.map((t) => ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' })[t] ?? t);
  return `a ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0]} file`;
}
