import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { MissionsRepository } from '../missions/missions.repository';
import { DocumentErrors } from './document.errors';
import { DocumentRequestsRepository } from './document-requests.repository';
import { DocumentTypeRegistry } from './document-type.registry';
import { documentRequestView, documentTypeView } from './document-views';
import { CreateDocumentRequestDto } from './dto/create-document-request.dto';
import { DocumentRequestResponse } from './dto/document-request.response';
import { DocumentTypeResponse } from './dto/document-type.response';
import { IssuedDocumentsRepository } from './issued-documents.repository';

/** A citizen's side of documents: the types on offer, their requests, and the PDFs issued to them. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly registry: DocumentTypeRegistry,
    private readonly requests: DocumentRequestsRepository,
    private readonly documents: IssuedDocumentsRepository,
    private readonly missions: MissionsRepository,
  ) {}

  listTypes(): DocumentTypeResponse[] {
    return this.registry.list().map(documentTypeView);
  }

  async submit(user: AuthUser, dto: CreateDocumentRequestDto): Promise<DocumentRequestResponse> {
    const type = this.registry.get(dto.type);
    if (!type) {
      const codes = this.registry.list().map((t) => t.code);
      throw DocumentErrors.unknownType.withFields([{ field: 'type', message: `must be one of ${codes.join(', ')}` }], dto.type);
    }
    const mission = await this.missions.findByCode(this.uow.reader, dto.missionCode);
    if (!mission?.active) throw DocumentErrors.unknownMission.withFields([{ field: 'missionCode', message: 'unknown mission' }], dto.missionCode);
    const errors = this.registry.validateFields(type, dto.fields);
    if (errors.length > 0) throw DocumentErrors.fieldsInvalid.withFields(errors);
    const fields = Object.fromEntries(
      Object.entries(dto.fields)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
        .map(([name, value]) => [name, value.trim()]),
    );
    return this.uow.run(async (tx) => {
      const request = await this.requests.create(tx.manager, { ownerId: user.id, missionCode: mission.code, type: type.code, fields, locale: user.locale });
      tx.audit({
        actor: user,
        action: 'document_request.submitted',
        entityType: 'document_request',
        entityId: request.id,
        missionCode: mission.code,
        details: { type: type.code },
      });
      return documentRequestView(request);
    });
  }

  async listOwn(user: AuthUser, page: PageQuery): Promise<Page<DocumentRequestResponse>> {
    return mapPage(await this.requests.listOwn(this.uow.reader, user, page), documentRequestView);
  }

  async get(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    const request = await this.requests.findScoped(this.uow.reader, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    return documentRequestView(request);
  }

  /** The stored PDF, byte for byte as issued, for its holder and the staff of its mission. */
  async pdf(user: AuthUser, serial: string): Promise<Buffer> {
    const pdf = await this.documents.findPdf(user, serial.toUpperCase());
    if (!pdf) throw DocumentErrors.documentNotFound.exception();
    return pdf;
  }
}
