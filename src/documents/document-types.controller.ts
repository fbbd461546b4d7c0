import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, Public } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { DocumentErrors } from './document.errors';
import { DocumentsService } from './documents.service';
import { DocumentPrefillQuery } from './dto/document-prefill.query';
import { DocumentPrefillResponse } from './dto/document-prefill.response';
import { DocumentTypeResponse } from './dto/document-type.response';

@ApiTags('documents')
@Controller('document-types')
export class DocumentTypesController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'The kinds of documents, with their fields, fee, validity and approving roles' })
  @ApiOkResponse({ type: [DocumentTypeResponse] })
  list(): DocumentTypeResponse[] {
    return this.documents.listTypes();
  }

  @Get(':code/prefill')
  @Access('citizen')
  @ApiOperation({ summary: 'The fields of a request of this type that the caller’s active registration at the mission fills in' })
  @ApiOkResponse({ type: DocumentPrefillResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.unknownType, DocumentErrors.unknownMission)
  prefill(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() query: DocumentPrefillQuery): Promise<DocumentPrefillResponse> {
    return this.documents.prefill(user, code, query.missionCode);
  }
}
