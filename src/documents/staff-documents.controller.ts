import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { DocumentsService } from './documents.service';
import { ReasonDto } from './dto/document-decision.dto';
import { IssuedDocumentResponse } from './dto/issued-document.response';

@ApiTags('staff')
@Controller('staff/documents')
export class StaffDocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  // Officers pass the guard so that a document outside their missions is 404 for them, as for anyone.
  @Post(':serial/revoke')
  @HttpCode(200)
  @Access('officer', 'consul')
  @ApiOkResponse({ type: IssuedDocumentResponse, description: 'Revoked (consuls of the mission only; officers get 403)' })
  revoke(@CurrentUser() user: AuthUser, @Param('serial') serial: string, @Body() dto: ReasonDto): Promise<IssuedDocumentResponse> {
    return this.documents.revoke(user, serial, dto.reason);
  }
}
