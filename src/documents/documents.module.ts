import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { MissionsModule } from '../missions/missions.module';
import { RegistrationsModule } from '../registrations/registrations.module';
import { DocumentIssuer } from './document-issuer.service';
import { DocumentLinksService } from './document-links.service';
import { DocumentPagesController } from './document-pages.controller';
import { DocumentPagesService } from './document-pages.service';
import { DocumentMailer } from './document-mailer';
import { DocumentRequest } from './document-request.entity';
import { DocumentRequestAttachment, DocumentRequestPayment } from './document-request-extras.entity';
import { DocumentDraftsService } from './document-drafts.service';
import { DocumentRequestDraftsController, StaffDocumentAttachmentsController } from './document-request-drafts.controller';
import { PaymentsModule } from '../payments/payments.module';
import { DocumentRequestsController } from './document-requests.controller';
import { DocumentRequestsRepository } from './document-requests.repository';
import { DocumentTypeRegistry } from './document-type.registry';
import { DocumentTypesController } from './document-types.controller';
import { DocumentVerificationService } from './document-verification.service';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { IssuedDocument } from './issued-document.entity';
import { IssuedDocumentsRepository } from './issued-documents.repository';
import { StaffDocumentRequestsController } from './staff-document-requests.controller';
import { StaffDocumentsController } from './staff-documents.controller';
import { StaffDocumentsService } from './staff-documents.service';
import { VerificationPage } from './verification-page';
import { VerifyController } from './verify.controller';

/**
 * Consular documents: types, requests, staff decisions, issuance and public verification. DocumentIssuer and
 * DocumentVerificationService are exported for other modules that issue signed documents (e-visas).
 */
@Module({
  imports: [TypeOrmModule.forFeature([DocumentRequest, DocumentRequestAttachment, DocumentRequestPayment, IssuedDocument]), AuthModule, MissionsModule, RegistrationsModule, PaymentsModule],
  controllers: [
    DocumentTypesController,
    DocumentRequestsController,
    StaffDocumentRequestsController,
    DocumentRequestDraftsController,
    StaffDocumentAttachmentsController,
    DocumentsController,
    StaffDocumentsController,
    VerifyController,
    DocumentPagesController,
  ],
  providers: [
    DocumentTypeRegistry,
    DocumentRequestsRepository,
    IssuedDocumentsRepository,
    DocumentIssuer,
    DocumentVerificationService,
    VerificationPage,
    DocumentMailer,
    DocumentLinksService,
    DocumentPagesService,
    DocumentsService,
    DocumentDraftsService,
    StaffDocumentsService,
  ],
  exports: [DocumentIssuer, DocumentVerificationService, DocumentTypeRegistry],
})
export class DocumentsModule {}
