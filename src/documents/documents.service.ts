import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/auth/auth-user';
import { UnitOfWork } from '../common/database/unit-of-work';
import { mapPage, Page, PageQuery } from '../common/http/pagination';
import { FieldCipher } from '../common/crypto/field-cipher';
import { sameName } from '../common/person-names';
import type { Mission } from '../missions/mission.entity';
import { servingMission } from '../missions/mission-serving';
import { MissionsRepository } from '../missions/missions.repository';
import type { Registration } from '../registrations/registration.entity';
import { RegistrationsRepository } from '../registrations/registrations.repository';
import { DocumentErrors } from './document.errors';
import { DocumentDraftsService } from './document-drafts.service';
import { DocumentRequestsRepository } from './document-requests.repository';
import type { DocumentRequestFlag } from './document-request.entity';
import { DocumentType, DocumentTypeRegistry, RegistrationSource } from './document-type.registry';
import { documentRequestView, documentTypeView, issuedDocumentView, registrationPrefill } from './document-views';
import { CreateDocumentRequestDto } from './dto/create-document-request.dto';
import { DocumentRequestResponse } from './dto/document-request.response';
import { DocumentPrefillResponse } from './dto/document-prefill.response';
import { DocumentTypeResponse } from './dto/document-type.response';
import { IssuedDocumentResponse } from './dto/issued-document.response';
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
    private readonly registrations: RegistrationsRepository,
    private readonly cipher: FieldCipher,
    private readonly drafts: DocumentDraftsService,
  ) {}

  listTypes(): DocumentTypeResponse[] {
    return this.registry.list().map(documentTypeView);
  }

  /**
   * What the citizen already told the mission, for the fields the type fills from a registration: their active
   * registration there, or null values when they have none (and, for a type that needs one, 422 on submit).
   */
  /** A request about someone living abroad goes to the mission serving their country; the 422 names that one. */
  private async assertServes(mission: Mission, country: unknown): Promise<void> {
    if (typeof country !== 'string' || mission.jurisdiction.includes(country)) return;
    const serving = servingMission(await this.missions.servingCountry(this.uow.reader, country), country);
    throw DocumentErrors.missionNotServing.withFields(
      [{ field: 'missionCode', message: serving ? `submit to ${serving.code}, which serves ${country}` : `no mission serves ${country}` }],
      mission.code,
      country,
      serving?.code ?? null,
    );
  }

  async prefill(user: AuthUser, typeCode: string, missionCode: string): Promise<DocumentPrefillResponse> {
    const type = this.typeOrFail(typeCode);
    const mission = await this.activeMissionOrFail(missionCode);
    const registration = await this.registrations.findActive(this.uow.reader, user.id, mission.code);
    return registrationPrefill(type, mission.code, registration && { id: registration.id, facts: this.facts(registration) });
  }

  /**
   * Creates the request: `submitted` (in the staff queue) when the type asks for nothing more, otherwise a `draft`
   * whose answer lists what it still needs (its fee paid online, its required files) before the citizen submits it.
   */
  async submit(user: AuthUser, dto: CreateDocumentRequestDto): Promise<DocumentRequestResponse> {
    const type = this.typeOrFail(dto.type);
    const mission = await this.activeMissionOrFail(dto.missionCode);
    const errors = this.registry.validateFields(type, dto.fields);
    if (errors.length > 0) throw DocumentErrors.fieldsInvalid.withFields(errors);
    await this.assertServes(mission, dto.fields.countryOfResidence);
    const fields = Object.fromEntries(
      Object.entries(dto.fields)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
        .map(([name, value]) => [name, value.trim()]),
    );
    return this.uow.run(async (tx) => {
      const registration = await this.registrations.findActive(tx.manager, user.id, mission.code);
      if (type.requiresRegistration && !registration) throw DocumentErrors.registrationRequired.exception(mission.code);
      const status = this.registry.startsAsDraft(type) ? 'draft' : 'submitted';
      const request = await this.requests.create(tx.manager, {
        status,
        ownerId: user.id,
        missionCode: mission.code,
        type: type.code,
        fields,
        locale: user.locale,
        registrationId: registration?.id ?? null,
        flags: registration ? flagsAgainst(registration, fields) : [],
      });
      tx.audit({
        actor: user,
        action: status === 'draft' ? 'document_request.drafted' : 'document_request.submitted',
        entityType: 'document_request',
        entityId: request.id,
        missionCode: mission.code,
        details: { type: type.code },
      });
      return status === 'draft' ? this.drafts.view(tx.manager, request) : documentRequestView(request);
    });
  }

  private typeOrFail(code: string): DocumentType {
    const type = this.registry.get(code);
    if (type) return type;
    const codes = this.registry.list().map((t) => t.code);
    throw DocumentErrors.unknownType.withFields([{ field: 'type', message: `must be one of ${codes.join(', ')}` }], code);
  }

  /** A registration's answers, in the words document types fill fields from. */
  private facts(registration: Registration): Record<RegistrationSource, string> {
    const r = registration;
    return {
      fullName: r.fullName,
      dateOfBirth: r.dateOfBirth,
      passportNumber: this.cipher.decrypt(r.passportNumberEnc),
      country: r.country,
      address: [r.addressLine1, [r.addressPostalCode, r.addressCity].filter(Boolean).join(' ')].join(', '),
      phone: r.phone,
    };
  }

  private async activeMissionOrFail(code: string): Promise<Mission> {
    const mission = await this.missions.findByCode(this.uow.reader, code);
    if (!mission?.active) throw DocumentErrors.unknownMission.withFields([{ field: 'missionCode', message: 'unknown mission' }], code);
    return mission;
  }

  async listOwn(user: AuthUser, page: PageQuery): Promise<Page<DocumentRequestResponse>> {
    return mapPage(await this.requests.listOwn(this.uow.reader, user, page), documentRequestView);
  }

  async get(user: AuthUser, id: string): Promise<DocumentRequestResponse> {
    const request = await this.requests.findScoped(this.uow.reader, user, id);
    if (!request) throw DocumentErrors.requestNotFound.exception();
    return request.status === 'draft' ? this.drafts.view(this.uow.reader, request) : documentRequestView(request);
  }

  /** The caller's issued documents: a revoked one says so, with the reason. */
  async listDocuments(user: AuthUser, page: PageQuery): Promise<Page<IssuedDocumentResponse>> {
    return mapPage(await this.documents.listOwn(this.uow.reader, user, page), issuedDocumentView);
  }

  /** The stored PDF, byte for byte as issued, for its holder and the staff of its mission. */
  async pdf(user: AuthUser, serial: string): Promise<Buffer> {
    const pdf = await this.documents.findPdf(user, serial.toUpperCase());
    if (!pdf) throw DocumentErrors.documentNotFound.exception();
    return pdf;
  }
}

/** What staff should check: a holder's name that is not the one the mission registered. */
function flagsAgainst(registration: Registration, fields: Record<string, string>): DocumentRequestFlag[] {
  if (fields.fullName === undefined || sameName(fields.fullName, registration.fullName)) return [];
  return [{ code: 'name_differs_from_registration', detail: `The consular registration is in the name of ${registration.fullName}` }];
}
