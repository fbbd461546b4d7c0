import { Controller, Get, Headers, Param, ParseUUIDPipe, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { StatusPageQuery } from '../pages/status-page.dto';
import { PageProblemFilter } from '../pages/page-problem.filter';
import { PageRenderer, PageReply } from '../pages/page-renderer';
import { RegistrationPagesService } from './registration-pages.service';

/** The page behind the link of the registration e-mails (outside /api/v1). */
@ApiTags('pages')
@Controller()
@UseFilters(PageProblemFilter)
export class RegistrationPagesController {
  constructor(
    private readonly registrationPages: RegistrationPagesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('registrations/:id/status')
  @Public()
  @ApiOperation({ summary: 'Page: a consular registration’s status from the e-mailed link (`?view=`); without a valid link, "sign in"' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page' })
  async status(@Param('id', ParseUUIDPipe) id: string, @Query() query: StatusPageQuery, @Headers('accept-language') accept: string | undefined, @Res() reply: PageReply): Promise<void> {
    this.pages.send(reply, await this.registrationPages.statusPage(this.pages.language(query.lang, accept), id, query.view));
  }
}
