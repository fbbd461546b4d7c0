import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { StatusPageQuery } from '../pages/status-page.dto';
import { PageProblemFilter } from '../pages/page-problem.filter';
import { PageRenderer, PageReply } from '../pages/page-renderer';
import { VisaPagesService } from './visa-pages.service';

/** The page behind the link of the e-visa e-mails (outside /api/v1). */
@ApiTags('pages')
@Controller()
@UseFilters(PageProblemFilter)
export class VisaPagesController {
  constructor(
    private readonly visaPages: VisaPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('visa-applications/:id/status')
  @Public()
  @ApiOperation({ summary: 'Page: an e-visa application’s status from the e-mailed link (`?view=`); without a valid link, "sign in"' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page' })
  async status(@Param('id', ParseUUIDPipe) id: string, @Query() query: StatusPageQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.visaPages.statusPage(this.pages.language(query.lang, accept), id, query.view));
  }
}
