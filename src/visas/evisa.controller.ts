import { Controller, Get, Header, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { EvisaPdfQuery } from './dto/evisa-pdf.query';
import { EvisaErrors } from './evisa.errors';
import { EvisasService } from './evisas.service';

@ApiTags('e-visa')
@Controller('visa-applications')
export class EvisaController {
  constructor(private readonly evisas: EvisasService) {}

  @Get(':id/evisa.pdf')
  @Access('citizen')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: "The issued e-visa's signed PDF, exactly as issued: the lead applicant's, or a group member's with `applicantId`" })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The signed PDF' })
  @ApiErrors(CommonErrors.validationFailed, EvisaErrors.notFound)
  async pdf(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Query() query: EvisaPdfQuery): Promise<StreamableFile> {
    const { visaNumber, pdf } = await this.evisas.pdf(user, id, query.applicantId);
    return new StreamableFile(pdf, { type: 'application/pdf', length: pdf.length, disposition: `attachment; filename="evisa-${visaNumber}.pdf"` });
  }
}
