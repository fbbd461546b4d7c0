import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { prefersJson } from '../common/http/content-negotiation';
import { AlertErrors } from './alert.errors';
import { PageRenderer, type PageReply } from '../pages/page-renderer';
import { AlertPageQuery } from './dto/public-alert.dto';
import { PublicAlertsService } from './public-alerts.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The public page of an alert on the portal's own address (outside /api/v1), where every e-mail says to check it. */
@ApiTags('alerts')
@Controller('alerts')
export class AlertPagesController {
  constructor(
    private readonly alerts: PublicAlertsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'The alert as an HTML page: text in the reader’s language, mission, time, status and whether its signature is valid' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page; a 404 page for an id no approved alert has' })
  @ApiErrors(CommonErrors.validationFailed, AlertErrors.notFound)
  async page(
    @Param('id') id: string,
    @Query() query: AlertPageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: PageReply,
  ): Promise<void> {
    const page = await this.alerts.page(UUID.test(id) ? id : null, query.lang, acceptLanguage);
    // A client that asks for JSON gets the refusal as problem+json; the JSON of an alert is /api/v1/public/alerts/:id.
    if (page.status >= 400 && prefersJson(accept)) throw AlertErrors.notFound.exception();
    this.pages.send(reply, page);
  }
}
