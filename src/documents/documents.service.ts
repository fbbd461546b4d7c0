import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { API_PREFIX } from '../app.setup';
import { AuditService } from '../audit/audit.service';
import { AuthUser, Role } from '../common/auth/auth-user';
import { DomainException, Forbidden, InvalidTransition, NotFound, Unprocessable } from '../common/http/domain.exception';
import { Page, toPage } from '../common/http/pagination';
import { AppConfig } from '../config/app-config';
import { inLanguage, type LocalizedText } from '../config/issuing-state';
import { MissionsRepository } from '../missions/missions.repository';
import { MailService } from '../notifications/mail.service';
import { bilingual, BilingualText } from '../signing/pdf-renderer.service';
import { DocumentIssuer } from './document-issuer.service';
import { DocumentRequest } from './document-request.entity';
import { DocumentRequestsRepository, DocumentRequestWithSerial, QueueFilter } from './document-requests.repository';
import { DocumentType, DocumentTypeRegistry } from './document-type.registry';
import { CreateDocumentRequestDto } from './dto/create-document-request.dto';
import { DocumentRequestResponse } from './dto/document-request.response';
import { DocumentTypeResponse } from './dto/document-type.response';
import { IssuedDocumentResponse } from './dto/issued-document.response';
import { IssuedDocumentsRepository } from './issued-documents.repository';

/** How the issuing officer's rank is printed beside their name. */
const RANKS: Record<string, LocalizedText> = {
  officer: { en: 'consular officer', ru: 'сотрудник консульского отдела', uz: 'konsullik boʻlimi xodimi' },
  consul: { en: 'consul', ru: 'консул', uz: 'konsul' },
};

/** The people and the mission an approval needs, read in one query inside the approving transaction. */
interface ApprovalParties {
  owner: { email: string; fullName: string; locale: string };
  officerName: string;
  mission: { name: LocalizedText; timezone: string };
}

const requestCursor = (r: DocumentRequest) => [r.createdAt.toISOString(), r.id];

/** Document requests from citizens, the staff decisions on them, and the documents they issue. */
@Injectable()
export class DocumentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly registry: DocumentTypeRegistry,
    private readonly requests: DocumentRequestsRepository,
    private readonly documents: IssuedDocumentsRepository,
    private readonly issuer: DocumentIssuer,
    private readonly missions: MissionsRepository,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  listTypes(): DocumentTypeResponse[] {
    return this.registry.list().map((type) => DocumentTypeResponse.of(type));
  }

  async submit(user: AuthUser, dto: CreateDocumentRequestDto): Promise<DocumentRequestResponse> {
    const type = this.registry.get(dto.type);
    if (!type) {
      const codes = this.registry.list().map((t) => t.code);
      throw Unprocessable('unknown_document_type', `There is no document type ${dto.type}`, [{ field: 'type', message: `must be one of ${codes.join(', ')}` }]);
    }
    const mission = await this.missions.findByCode(dto.missionCode);
    if (!mission?.active) {
      throw Unprocessable('unknown_mission', `There is no mission ${dto.missionCode} taking requests`, [{ field: 'missionCode', message: 'unknown mission' }]);
    }
    const errors = this.registry.validateFields(type, dto.fields);
    if (errors.length > 0) throw new DomainException('validation_failed', HttpStatus.BAD_REQUEST, 'The document fields are invalid', errors);
    const fields = Object.fromEntries(
      Object.entries(dto.fields)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
        .map(([name, value]) => [name, value.trim()]),
    );
    return this.dataSource.transaction(async (manager) => {
      const request = await this.requests.create(manager, { ownerId: user.id, missionCode: mission.code, type: type.code, fields, locale: user.locale });
      await this.audit.record(manager, {
        actor: user,
        action: 'document_request.submitted',
        entityType: 'document_request',
        entityId: request.id,
        missionCode: mission.code,
        details: { type: type.code },
      });
      return DocumentRequestResponse.of({ ...request, serial: null });
    });
  }

  async listOwn(user: AuthUser, limit: number, cursor?: string): Promise<Page<DocumentRequestResponse>> {
    return toPage(await this.requests.listOwn(user, limit, cursor), limit, requestCursor, DocumentRequestResponse.of);
  }

  async queue(user: AuthUser, filter: QueueFilter, limit: number, cursor?: string): Promise<Page<DocumentRequestResponse>> {
    return toPage(await this.requests.queue(user, filter, limit, cursor), limit, requestCursor, DocumentRequestResponse.of);
  }

  async get(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    return DocumentRequestResponse.of(await this.findRequest(user, id));
  }

  /**
   * Approves a request and issues its document in the same transaction: the serial, the PDF, its hash and signatures,
   * the audit event and the citizen's e-mail all commit together or not at all.
   */
  async approve(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.findRequest(user, id, manager);
      const type = this.typeOf(request);
      if (!(type.approverRoles as readonly Role[]).includes(user.role)) {
        throw Forbidden('approver_role_required', `A ${type.code} is approved by: ${type.approverRoles.join(', ')}`);
      }
      const approved = await this.requests.transition(manager, request, 'approve', user.id);
      const parties = await this.approvalParties(manager, request, user.id);
      const language = this.config.state.languageFor(request.locale);
      const printed = type.fields.filter((field) => field.printed !== false && request.fields[field.name] !== undefined);
      const rank = RANKS[user.role];
      const document = await this.issuer.issue(manager, {
        type: type.code,
        missionCode: request.missionCode,
        ownerId: request.ownerId,
        requestId: request.id,
        holderName: request.fields.fullName ?? parties.owner.fullName,
        holderData: Object.fromEntries(printed.map((field) => [field.name, request.fields[field.name]])),
        validityDays: type.validityDays,
        issuedBy: { id: user.id, name: parties.officerName },
        content: {
          language,
          issuer: { state: bilingual(this.config.state.name, language), mission: bilingual(parties.mission.name, language) },
          title: this.registry.layoutText(type, 'title', request.fields, language) as BilingualText,
          body: this.registry.layoutText(type, 'body', request.fields, language),
          fields: this.registry.printableFields(type, request.fields, language),
          officer: rank ? `${parties.officerName}, ${pair(bilingual(rank, language))}` : parties.officerName,
          timeZone: parties.mission.timezone,
          footerNote: this.registry.layoutText(type, 'footer', request.fields, language),
        },
      });
      const mailLanguage = this.config.state.languageFor(parties.owner.locale);
      await this.mail.enqueue(manager, {
        to: parties.owner.email,
        template: 'document-issued',
        locale: parties.owner.locale,
        context: {
          fullName: parties.owner.fullName,
          documentName: inLanguage(type.name, mailLanguage),
          missionName: inLanguage(parties.mission.name, mailLanguage),
          serial: document.serial,
          validUntil: localDate(document.validUntil, parties.mission.timezone),
          downloadLink: `${this.config.publicBaseUrl}/${API_PREFIX}/documents/${document.serial}/pdf`,
          verifyLink: this.issuer.verificationUrl(document.serial),
        },
      });
      // Last, because it holds the audit chain's lock until the commit.
      await this.audit.record(manager, {
        actor: user,
        action: 'document.issued',
        entityType: 'document',
        entityId: document.serial,
        missionCode: request.missionCode,
        details: { requestId: request.id, type: type.code, kid: document.kid, pdfSha256: document.pdfSha256 },
      });
      return DocumentRequestResponse.of({ ...approved, serial: document.serial });
    });
  }

  async reject(user: AuthUser, id: string, reason: string): Promise<DocumentRequestResponse> {
    return this.dataSource.transaction(async (manager) => {
      const request = await this.findRequest(user, id, manager);
      const type = this.typeOf(request);
      const rejected = await this.requests.transition(manager, request, 'reject', user.id, reason);
      const parties = await this.approvalParties(manager, request, user.id);
      const language = this.config.state.languageFor(parties.owner.locale);
      await this.mail.enqueue(manager, {
        to: parties.owner.email,
        template: 'document-request-rejected',
        locale: parties.owner.locale,
        context: {
          fullName: parties.owner.fullName,
          documentName: inLanguage(type.name, language),
          missionName: inLanguage(parties.mission.name, language),
          reason,
        },
      });
      // Last, because it holds the audit chain's lock until the commit.
      await this.audit.record(manager, {
        actor: user,
        action: 'document_request.rejected',
        entityType: 'document_request',
        entityId: request.id,
        missionCode: request.missionCode,
        details: { type: type.code, reason },
      });
      return DocumentRequestResponse.of({ ...rejected, serial: null });
    });
  }

  /** The stored PDF, byte for byte as issued, for its holder and the staff of its mission. */
  async pdf(user: AuthUser, serial: string): Promise<Buffer> {
    const pdf = await this.documents.findPdf(user, serial.toUpperCase());
    if (!pdf) throw NotFound('Document');
    return pdf;
  }

  /** Revocation by a consul of the document's mission; GET /verify says so from the commit on. */
  async revoke(user: AuthUser, serial: string, reason: string): Promise<IssuedDocumentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const document = await this.documents.findScoped(user, serial.toUpperCase(), manager);
      if (!document) throw NotFound('Document');
      if (user.role !== 'consul') throw Forbidden('consul_required', 'Only a consul may revoke a document');
      const revokedAt = await this.documents.revoke(manager, document.serial, user.id, reason);
      if (!revokedAt) throw InvalidTransition('document', document.status, 'revoked');
      const [owner] = (await manager.query(
        `SELECT u.email, u.full_name, u.locale, m.name AS mission_name FROM users u, missions m WHERE u.id = $1 AND m.code = $2`,
        [document.ownerId, document.missionCode],
      )) as { email: string; full_name: string; locale: string; mission_name: LocalizedText }[];
      const language = this.config.state.languageFor(owner.locale);
      const typeName = this.registry.get(document.type)?.name;
      await this.mail.enqueue(manager, {
        to: owner.email,
        template: 'document-revoked',
        locale: owner.locale,
        context: {
          fullName: owner.full_name,
          documentName: typeName ? inLanguage(typeName, language) : document.title.en,
          missionName: inLanguage(owner.mission_name, language),
          serial: document.serial,
          reason,
          verifyLink: this.issuer.verificationUrl(document.serial),
        },
      });
      // Last, because it holds the audit chain's lock until the commit.
      await this.audit.record(manager, {
        actor: user,
        action: 'document.revoked',
        entityType: 'document',
        entityId: document.serial,
        missionCode: document.missionCode,
        details: { type: document.type, reason },
      });
      return IssuedDocumentResponse.of({ ...document, status: 'revoked', revokedAt, revokedBy: user.id, revocationReason: reason });
    });
  }

  private async findRequest(user: AuthUser, id: string, manager?: EntityManager): Promise<DocumentRequestWithSerial> {
    const request = await this.requests.findScoped(user, id, manager);
    if (!request) throw NotFound('Document request');
    return request;
  }

  private typeOf(request: DocumentRequest): DocumentType {
    const type = this.registry.get(request.type);
    if (!type) throw new DomainException('document_type_withdrawn', HttpStatus.CONFLICT, `Document type ${request.type} is no longer issued`);
    return type;
  }

  private async approvalParties(manager: EntityManager, request: DocumentRequest, officerId: string): Promise<ApprovalParties> {
    const [row] = (await manager.query(
      `SELECT o.email, o.full_name, o.locale, s.full_name AS officer_name, m.name AS mission_name, m.timezone
         FROM users o, users s, missions m
        WHERE o.id = $1 AND s.id = $2 AND m.code = $3`,
      [request.ownerId, officerId, request.missionCode],
    )) as { email: string; full_name: string; locale: string; officer_name: string; mission_name: LocalizedText; timezone: string }[];
    return {
      owner: { email: row.email, fullName: row.full_name, locale: row.locale },
      officerName: row.officer_name,
      mission: { name: row.mission_name, timezone: row.timezone },
    };
  }
}

function pair(text: BilingualText): string {
  return text.local === text.en ? text.en : `${text.local} / ${text.en}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** YYYY-MM-DD in a time zone, as printed on documents. */
function localDate(date: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(date);
}
