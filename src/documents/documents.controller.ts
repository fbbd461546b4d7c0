import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../common/auth/access.decorator';
import { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { prefersJson } from '../common/http/content-negotiation';
import { ApiPage, Page, PageQuery } from '../common/http/pagination';
import { PageRenderer, PageReply } from '../pages/page-renderer';
import { DocumentLinksService } from './document-links.service';
import { DocumentPagesService } from './document-pages.service';
import { DocumentLinkQuery } from './dto/document-link.dto';
import { IssuedDocumentResponse } from './dto/issued-document.response';
import { DocumentErrors } from './document.errors';
import { DocumentsService } from './documents.service';

@ApiTags('documents')
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly links: DocumentLinksService,
    private readonly documentPages: DocumentPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('citizen')
  @ApiOperation({ summary: 'The caller’s issued documents, newest first; a revoked one says so, with the reason' })
  @ApiPage(IssuedDocumentResponse)
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<IssuedDocumentResponse>> {
    return this.documents.listDocuments(user, query);
  }

  @Get(':serial/pdf')
  @Access({ roles: ['citizen', 'officer', 'consul', 'admin'], orSignedLink: true })
  @ApiOperation({
    summary: 'The signed PDF exactly as issued (its holder, or staff of its mission); or, without a bearer token, with the e-mailed link’s `?token=`',
    description: 'An expired link answers 410: an HTML page offering to sign in when the browser asks for HTML, else problem+json.',
  })
  @ApiProduces('application/pdf', 'text/html')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The signed PDF' })
  @ApiErrors(DocumentErrors.documentNotFound, DocumentErrors.downloadLinkExpired)
  async pdf(
    @CurrentUser() user: AuthUser | undefined,
    @Param('serial') serial: string,
    @Query() query: DocumentLinkQuery,
    @Headers('accept') accept: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: PageReply,
  ): Promise<void> {
    let pdf: Buffer;
    if (user) {
      pdf = await this.documents.pdf(user, serial);
    } else {
      const found = await this.links.pdfByLink(serial, query.token ?? '');
      if ('expired' in found) {
        if (prefersJson(accept) || !accept?.includes('text/html')) throw DocumentErrors.downloadLinkExpired.exception();
        this.pages.send(reply, this.documentPages.expired(this.pages.language(query.lang, acceptLanguage), found.document));
        return;
      }
      pdf = found.pdf;
    }
    reply
      .status(200)
      .header('Content-Type', 'application/pdf')
      .header('Content-Length', String(pdf.length))
      .header('Content-Disposition', `attachment; filename="${serial.toUpperCase()}.pdf"`)
      .header('Cache-Control', 'private, no-store')
      .send(pdf);
  }
}
