import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { PageProblemFilter } from '../pages/page-problem.filter';
import { PageRenderer, PageReply } from '../pages/page-renderer';
import { DocumentPagesService } from './document-pages.service';
import { DocumentLinkQuery } from './dto/document-link.dto';
import { StatusPageQuery } from '../pages/status-page.dto';

const HTML = { description: 'An HTML page' };

/** The pages behind the links of the document e-mails (outside /api/v1). */
@ApiTags('pages')
@Controller()
@UseFilters(PageProblemFilter)
export class DocumentPagesController {
  constructor(
    private readonly documentPages: DocumentPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('documents/:serial')
  @Public()
  @ApiOperation({ summary: 'Page: an issued document with its Download button, from the e-mailed link (`?token=`); 410 page once the link has expired' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async document(@Param('serial') serial: string, @Query() query: DocumentLinkQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.documentPages.documentPage(this.pages.language(query.lang, accept), serial, query.token ?? ''));
  }

  @Get('document-requests/:id/status')
  @Public()
  @ApiOperation({ summary: 'Page: a document request’s status from the e-mailed link (`?view=`); without a valid link, "sign in"' })
  @ApiProduces('text/html')
  @ApiOkResponse(HTML)
  async requestStatus(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: StatusPageQuery,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: PageReply,
  ): Promise<void> {
    this.pages.send(reply, await this.documentPages.requestStatusPage(this.pages.language(query.lang, accept), id, query.view));
  }
}
