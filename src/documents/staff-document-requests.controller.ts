import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page } from '../common/http/pagination';
import { DocumentErrors } from './document.errors';
import { DocumentQueueQuery, ReasonDto } from './dto/document-decision.dto';
import { DocumentRequestResponse } from './dto/document-request.response';
import { StaffDocumentsService } from './staff-documents.service';

@ApiTags('staff')
@Controller('staff/document-requests')
export class StaffDocumentRequestsController {
  constructor(private readonly documents: StaffDocumentsService) {}

  @Get()
  @StaffAccess()
  @ApiOperation({ summary: 'Document requests of my missions, oldest first' })
  @ApiPage(DocumentRequestResponse)
  @ApiErrors(CommonErrors.validationFailed)
  queue(@CurrentUser() user: AuthUser, @Query() query: DocumentQueueQuery): Promise<Page<DocumentRequestResponse>> {
    return this.documents.queue(user, { status: query.status, missionCode: query.missionCode, type: query.type }, query);
  }

  @Get(':id')
  @StaffAccess()
  @ApiOperation({ summary: 'One document request of my missions' })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.get(user, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOperation({ summary: "submitted → approved: issues the signed document (the response carries its serial) and e-mails the holder" })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound, DocumentErrors.roleNotAllowed, DocumentErrors.requestInvalidTransition, DocumentErrors.typeWithdrawn)
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.approve(user, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'submitted → rejected, with the reason e-mailed to the citizen' })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound, DocumentErrors.requestInvalidTransition, DocumentErrors.typeWithdrawn)
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto): Promise<DocumentRequestResponse> {
    return this.documents.reject(user, id, dto.reason);
  }
}
