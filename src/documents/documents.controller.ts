import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { DocumentsService } from './documents.service';

@ApiTags('documents')
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':serial/pdf')
  @Access('citizen', 'officer', 'consul', 'admin')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The signed PDF exactly as issued (holder or staff of the mission)' })
  async pdf(@CurrentUser() user: AuthUser, @Param('serial') serial: string): Promise<StreamableFile> {
    const pdf = await this.documents.pdf(user, serial);
    return new StreamableFile(pdf, { type: 'application/pdf', length: pdf.length, disposition: `attachment; filename="${serial.toUpperCase()}.pdf"` });
  }
}
