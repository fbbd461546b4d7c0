import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { DocumentErrors } from './document.errors';
import { DocumentsService } from './documents.service';
import { CreateDocumentRequestDto } from './dto/create-document-request.dto';
import { DocumentRequestResponse } from './dto/document-request.response';

@ApiTags('documents')
@Controller('document-requests')
export class DocumentRequestsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Access('citizen')
  @Idempotent()
  @ApiOperation({ summary: 'Request a document (status submitted)' })
  @ApiCreatedResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.fieldsInvalid, DocumentErrors.unknownType, DocumentErrors.unknownMission, DocumentErrors.missionNotServing)
  submit(@CurrentUser() user: AuthUser, @Body() dto: CreateDocumentRequestDto): Promise<DocumentRequestResponse> {
    return this.documents.submit(user, dto);
  }

  @Get()
  @Access('citizen')
  @ApiOperation({ summary: 'My document requests, newest first' })
  @ApiPage(DocumentRequestResponse)
  @ApiErrors(CommonErrors.validationFailed)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<DocumentRequestResponse>> {
    return this.documents.listOwn(user, query);
  }

  @Get(':id')
  @Access('citizen')
  @ApiOperation({ summary: 'One of my document requests, with the serial once the document is issued' })
  @ApiOkResponse({ type: DocumentRequestResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.requestNotFound)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.get(user, id);
  }
}
