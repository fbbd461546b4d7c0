import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { DocumentsService } from './documents.service';
import { DocumentTypeResponse } from './dto/document-type.response';

@ApiTags('documents')
@Controller('document-types')
export class DocumentTypesController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: [DocumentTypeResponse], description: 'The kinds of documents, with their fields, fee, validity and approving roles' })
  list(): DocumentTypeResponse[] {
    return this.documents.listTypes();
  }
}
