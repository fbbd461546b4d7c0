import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { DocumentErrors } from './document.errors';
import { ReasonDto } from './dto/document-decision.dto';
import { IssuedDocumentResponse } from './dto/issued-document.response';
import { StaffDocumentsService } from './staff-documents.service';

@ApiTags('staff')
@Controller('staff/documents')
export class StaffDocumentsController {
  constructor(private readonly documents: StaffDocumentsService) {}

  // Officers pass the guard so that a document outside their missions is 404 for them, as for anyone.
  @Post(':serial/revoke')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOperation({ summary: 'valid → revoked, by a consul of the mission; /verify says so at once and the holder is e-mailed' })
  @ApiOkResponse({ type: IssuedDocumentResponse })
  @ApiErrors(CommonErrors.validationFailed, DocumentErrors.documentNotFound, DocumentErrors.roleNotAllowed, DocumentErrors.documentInvalidTransition)
  revoke(@CurrentUser() user: AuthUser, @Param('serial') serial: string, @Body() dto: ReasonDto): Promise<IssuedDocumentResponse> {
    return this.documents.revoke(user, serial, dto.reason);
  }
}
