import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { DocumentErrors } from './document.errors';
import { DocumentsService } from './documents.service';

@ApiTags('documents')
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':serial/pdf')
  @Access('citizen', 'officer', 'consul', 'admin')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: 'The signed PDF exactly as issued (its holder, or staff of its mission)' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The signed PDF' })
  @ApiErrors(DocumentErrors.documentNotFound)
  async pdf(@CurrentUser() user: AuthUser, @Param('serial') serial: string): Promise<StreamableFile> {
    const pdf = await this.documents.pdf(user, serial);
    return new StreamableFile(pdf, { type: 'application/pdf', length: pdf.length, disposition: `attachment; filename="${serial.toUpperCase()}.pdf"` });
  }
}
