import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { DocumentsService } from './documents.service';
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
}
