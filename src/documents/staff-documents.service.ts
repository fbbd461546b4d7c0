import { Injectable } from '@nestjs/common';
import { UsersRepository } from '../auth/users.repository';
import { AuthUser } from '../common/auth/auth-user';
import { Transaction, UnitOfWork } from '../common/database/unit-of-work';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { bilingual, BilingualText, LocalizedText } from '../config/issuing-state';
import type { Mission } from '../missions/mission.entity';
import { MissionsRepository } from '../missions/missions.repository';
import { DocumentErrors } from './document.errors';
import { DocumentIssuer } from './document-issuer.service';
import { DocumentMailer, DocumentRecipient } from './document-mailer';
import { assertMayTake, DOCUMENT_REQUEST_TRANSITIONS, ISSUED_DOCUMENT_TRANSITIONS } from './document-request-transitions';
import { DocumentRequest } from './document-request.entity';
import { DocumentRequestsRepository, DocumentRequestWithSerial, QueueFilter } from './document-requests.repository';
import { DocumentType, DocumentTypeRegistry } from './document-type.registry';
import { documentRequestView, issuedDocumentView } from './document-views';
import { DocumentRequestResponse } from './dto/document-request.response';
import { IssuedDocumentResponse } from './dto/issued-document.response';
import { IssuedDocumentsRepository } from './issued-documents.repository';

/** How the issuing officer's rank is printed beside their name. */
const RANKS: Record<string, LocalizedText> = {
  officer: { en: 'consular officer', ru: 'сотрудник консульского отдела', uz: 'konsullik boʻlimi xodimi' },
  consul: { en: 'consul', ru: 'консул', uz: 'konsul' },
};

/** The missions' side of documents: the queue, approving (which issues the document), rejecting, revoking. */
@Injectable()
export class StaffDocumentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
    private readonly registry: DocumentTypeRegistry,
    private readonly requests: DocumentRequestsRepository,
    private readonly documents: IssuedDocumentsRepository,
    private readonly issuer: DocumentIssuer,
    private readonly missions: MissionsRepository,
    private readonly users: UsersRepository,
    private readonly mailer: DocumentMailer,
  ) {}

  async queue(user: AuthUser, filter: QueueFilter, page: PageQuery): Promise<Page<DocumentRequestResponse>> {
    return mapPage(await this.requests.queue(this.uow.reader, user, filter, page), documentRequestView);
  }

  async get(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    const request = await this.requests.findScoped(this.uow.reader, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    return documentRequestView(request);
  }

  /**
   * Approves a request and issues its document in the same transaction: the serial, the PDF, its hash and signatures,
   * the audit event and the citizen's e-mail all commit together or not at all.
   */
  async approve(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    return this.uow.run(async (tx) => {
      const request = await this.findRequest(tx, user, id);
      const type = this.typeOf(request);
      const rule = DOCUMENT_REQUEST_TRANSITIONS.approve;
      assertMayTake(rule, user.role, type.approverRoles);
      const approved = await this.requests.transition(tx.manager, request, 'approve', user.id);
      const { owner, mission } = await this.parties(tx, request);
      const officer = await this.users.findWithMissions(user.id, tx.manager);
      const officerName = officer?.fullName ?? user.email;
      const language = this.config.state.languageFor(request.locale);
      const printed = type.fields.filter((field) => field.printed !== false && request.fields[field.name] !== undefined);
      const rank = RANKS[user.role];
      const document = await this.issuer.issue(tx.manager, {
        type: type.code,
        missionCode: request.missionCode,
        ownerId: request.ownerId,
        requestId: request.id,
        holderName: request.fields.fullName ?? owner.fullName,
        holderData: Object.fromEntries(printed.map((field) => [field.name, request.fields[field.name]])),
        validityDays: type.validityDays,
        issuedBy: { id: user.id, name: officerName },
        content: {
          language,
          issuer: { state: bilingual(this.config.state.name, language), mission: bilingual(mission.name, language) },
          title: this.registry.layoutText(type, 'title', request.fields, language) as BilingualText,
          body: this.registry.layoutText(type, 'body', request.fields, language),
          fields: this.registry.printableFields(type, request.fields, language),
          officer: rank ? `${officerName}, ${pair(bilingual(rank, language))}` : officerName,
          timeZone: mission.timezone,
          footerNote: this.registry.layoutText(type, 'footer', request.fields, language),
        },
      });
      this.mailer.issued(tx, owner, { name: type.name, mission }, document);
      tx.audit({
        actor: user,
        action: rule.auditAction,
        entityType: 'document',
        entityId: document.serial,
        missionCode: request.missionCode,
        details: { requestId: request.id, type: type.code, kid: document.kid, pdfSha256: document.pdfSha256 },
      });
      return documentRequestView({
        ...approved,
        serial: document.serial,
        document: { serial: document.serial, status: document.status, validUntil: document.validUntil, revokedAt: null, revocationReason: null },
      });
    });
  }

  async reject(user: AuthUser, id: string, reason: string): Promise<DocumentRequestResponse> {
    return this.uow.run(async (tx) => {
      const request = await this.findRequest(tx, user, id);
      const type = this.typeOf(request);
      const rule = DOCUMENT_REQUEST_TRANSITIONS.reject;
      assertMayTake(rule, user.role);
      const rejected = await this.requests.transition(tx.manager, request, 'reject', user.id, reason);
      const { owner, mission } = await this.parties(tx, request);
      this.mailer.rejected(tx, owner, { name: type.name, mission }, reason, request.id);
      tx.audit({
        actor: user,
        action: rule.auditAction,
        entityType: 'document_request',
        entityId: request.id,
        missionCode: request.missionCode,
        details: { type: type.code, reason },
      });
      return documentRequestView(rejected);
    });
  }

  /** Revocation by a consul of the document's mission; GET /verify says so from the commit on. */
  async revoke(user: AuthUser, serial: string, reason: string): Promise<IssuedDocumentResponse> {
    return this.uow.run(async (tx) => {
      const document = await this.documents.findScoped(user, serial.toUpperCase(), tx.manager);
      if (!document) throw DocumentErrors.documentNotFound.exception();
      const rule = ISSUED_DOCUMENT_TRANSITIONS.revoke;
      assertMayTake(rule, user.role);
      const revokedAt = await this.documents.revoke(tx.manager, document.serial, user.id, reason);
      if (!revokedAt) throw DocumentErrors.documentInvalidTransition.exception(document.status, rule.done);
      const { owner, mission } = await this.parties(tx, document);
      this.mailer.revoked(tx, owner, { name: this.registry.get(document.type)?.name ?? { en: document.title.en }, mission }, document.serial, reason);
      tx.audit({
        actor: user,
        action: rule.auditAction,
        entityType: 'document',
        entityId: document.serial,
        missionCode: document.missionCode,
        details: { type: document.type, reason },
      });
      return issuedDocumentView({ ...document, status: 'revoked', revokedAt, revokedBy: user.id, revocationReason: reason });
    });
  }

  private async findRequest(tx: Transaction, user: AuthUser, id: string): Promise<DocumentRequestWithSerial> {
    const request = await this.requests.findScoped(tx.manager, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    return request;
  }

  private typeOf(request: DocumentRequest): DocumentType {
    const type = this.registry.get(request.type);
    if (!type) throw DocumentErrors.typeWithdrawn.exception(request.type);
    return type;
  }

  /** The holder an e-mail goes to and the mission that acts, read in the deciding transaction. */
  private async parties(tx: Transaction, record: { ownerId: string; missionCode: string }): Promise<{ owner: DocumentRecipient; mission: Mission }> {
    const owner = await this.users.findWithMissions(record.ownerId, tx.manager);
    const mission = await this.missions.findByCode(tx.manager, record.missionCode);
    // Both are referenced by foreign keys of the record: they exist.
    if (!owner || !mission) throw new Error(`Document record of ${record.missionCode} without its owner or mission`);
    return { owner: { id: owner.id, email: owner.email, fullName: owner.fullName, locale: owner.locale }, mission };
  }
}

function pair(text: BilingualText): string {
  return text.local === text.en ? text.en : `${text.local} / ${text.en}`;
}
