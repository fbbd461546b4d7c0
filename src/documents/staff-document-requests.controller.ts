import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access, StaffAccess } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiPage, Page } from '../common/http/pagination';
import { DocumentsService } from './documents.service';
import { DocumentQueueQuery, ReasonDto } from './dto/document-decision.dto';
import { DocumentRequestResponse } from './dto/document-request.response';

@ApiTags('staff')
@Controller('staff/document-requests')
export class StaffDocumentRequestsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @StaffAccess()
  @ApiPage(DocumentRequestResponse)
  queue(@CurrentUser() user: AuthUser, @Query() query: DocumentQueueQuery): Promise<Page<DocumentRequestResponse>> {
    return this.documents.queue(user, { status: query.status, missionCode: query.missionCode, type: query.type }, query.limit, query.cursor);
  }

  @Get(':id')
  @StaffAccess()
  @ApiOkResponse({ type: DocumentRequestResponse })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.get(user, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOkResponse({ type: DocumentRequestResponse, description: "Issued: the response carries the document's serial; 403 unless the type's approverRoles include yours" })
  approve(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DocumentRequestResponse> {
    return this.documents.approve(user, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOkResponse({ type: DocumentRequestResponse, description: 'Rejected; the citizen is e-mailed the reason' })
  reject(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReasonDto): Promise<DocumentRequestResponse> {
    return this.documents.reject(user, id, dto.reason);
  }
}
