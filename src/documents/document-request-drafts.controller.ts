import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { AcceptsUpload, MAX_UPLOAD_BYTES, UPLOAD_REQUEST_ERRORS, UploadedFile, UploadedFileContent } from '../common/http/uploads';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { UploadContentErrors } from '../common/uploads/upload-sanitiser';
import { DocumentErrors } from './document.errors';
import { DocumentDraftsService } from './document-drafts.service';
import { DocumentRequestResponse } from './dto/document-request.response';

/** A draft request completed by its owner: its files, its fee, then into the queue. */
@ApiTags('documents')
@Controller('document-requests')
export class DocumentRequestDraftsController {
  constructor(private readonly drafts: DocumentDraftsService) {}

  @Put(':id/attachments/:name')
  @Access('citizen')
  @AcceptsUpload('PDF, JPEG or PNG (as the document type says), at most the size it names')
  @ApiOperation({ summary: "One of a draft request's files, named by its document type (policeReport); replaces an earlier one" })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(
    ...UPLOAD_REQUEST_ERRORS,
    UploadContentErrors.unsupportedType,
    UploadContentErrors.unreadable,
    UploadContentErrors.tooManyPixels,
    DocumentErrors.requestNotFound,
    DocumentErrors.unknownAttachment,
    DocumentErrors.notDraft,
    DocumentErrors.typeWithdrawn,
  )
  upload(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('name') name: string,
    @UploadedFile(MAX_UPLOAD_BYTES) file: UploadedFileContent,
  ): Promise<DocumentRequestResponse> {
    return this.drafts.uploadAttachment(user, id, name, file);
  }

  @Post(':id/payment')
  @HttpCode(200)
  @Access('citizen')
  @Idempotent()
  @ApiOperation({ summary: "Pays a draft request's fee through the payment provider (types paid before the queue), once" })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(
    CommonErrors.validationFailed,
    DocumentErrors.requestNotFound,
    DocumentErrors.notDraft,
    DocumentErrors.noFeeToPay,
    DocumentErrors.alreadyPaid,
    DocumentErrors.paymentFailed,
    DocumentErrors.typeWithdrawn,
  )
  pay(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.drafts.pay(user, id);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Access('citizen')
  @Idempotent()
  @ApiOperation({ summary: 'draft → submitted: the complete draft enters the staff queue (422 lists every missing item)' })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound, DocumentErrors.incomplete, DocumentErrors.requestInvalidTransition)
  submit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.drafts.submit(user, id);
  }
}

@ApiTags('staff')
@Controller('staff/document-requests')
export class StaffDocumentAttachmentsController {
  constructor(private readonly drafts: DocumentDraftsService) {}

  @Get(':id/attachments/:name')
  @StaffAccess()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A file of a document request of one of my missions, as a download (decrypted, with its stored type)' })
  @ApiProduces('image/jpeg', 'application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound, DocumentErrors.attachmentNotFound)
  async download(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('name') name: string): Promise<StreamableFile> {
    const file = await this.drafts.downloadForStaff(user, id, name);
    return new StreamableFile(file.bytes, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.bytes.length });
  }
}
