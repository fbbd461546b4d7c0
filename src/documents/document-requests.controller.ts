import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { DocumentsService } from './documents.service';
import { CreateDocumentRequestDto } from './dto/create-document-request.dto';
import { DocumentRequestResponse } from './dto/document-request.response';

@ApiTags('documents')
@Controller('document-requests')
export class DocumentRequestsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @Access('citizen')
  @ApiCreatedResponse({ type: DocumentRequestResponse, description: 'Submitted; 422 for an unknown type or mission, 400 naming fields.<name>' })
  submit(@CurrentUser() user: AuthUser, @Body() dto: CreateDocumentRequestDto): Promise<DocumentRequestResponse> {
    return this.documents.submit(user, dto);
  }

  @Get()
  @Access('citizen')
  @ApiPage(DocumentRequestResponse)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<DocumentRequestResponse>> {
    return this.documents.listOwn(user, query.limit, query.cursor);
  }

  @Get(':id')
  @Access('citizen')
  @ApiOkResponse({ type: DocumentRequestResponse, description: 'With the serial once the document is issued' })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.get(user, id);
  }
}
