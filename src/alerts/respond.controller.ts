import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConsumes, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { prefersJson } from '../common/http/content-negotiation';
import { RateLimit } from '../common/rate-limit/rate-limit.decorator';
import { PageRenderer, type PageReply, type RenderedPage } from '../pages/page-renderer';
import { RespondFormDto, RespondPageQuery } from './dto/public-alert.dto';
import { RespondErrors } from './respond.errors';
import { RespondService } from './respond.service';

/**
 * Per address: generous, since after a disaster many people may answer from one shelter's or hotel's network, yet
 * bounded for anyone trying tokens.
 */
export const RESPOND_RATE_LIMIT_PER_MINUTE = 120;

/** The one-click answer page an alert e-mail links to (outside /api/v1). A GET shows; only the form's POST records. */
@ApiTags('alerts')
@Controller('respond')
export class RespondController {
  constructor(
    private readonly respond: RespondService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':token')
  @Public()
  @RateLimit({ name: 'respond-page', per: 'ip', windowSeconds: 60, limit: RESPOND_RATE_LIMIT_PER_MINUTE })
  @ApiOperation({ summary: 'The alert and two buttons, "I am safe" and "I need help" (HTML); records nothing, `?answer=` only preselects' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page; a 404 page for a link that is not valid' })
  @ApiErrors(CommonErrors.validationFailed, RespondErrors.linkNotFound, CommonErrors.tooManyRequests)
  async show(
    @Param('token') token: string,
    @Query() query: RespondPageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: PageReply,
  ): Promise<void> {
    this.answer(reply, await this.respond.show(token, query, acceptLanguage), accept);
  }

  @Post(':token')
  @Public()
  @HttpCode(HttpStatus.OK)
  @RateLimit({ name: 'respond', per: 'ip', windowSeconds: 60, limit: RESPOND_RATE_LIMIT_PER_MINUTE })
  @ApiOperation({ summary: 'Records the safety answer of the person the link was sent to (the latest counts) and shows a confirmation (HTML)' })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML confirmation; the form again (400) for a location that is not two numbers; a 404 page for a link that is not valid' })
  @ApiErrors(CommonErrors.validationFailed, RespondErrors.linkNotFound, CommonErrors.tooManyRequests)
  async record(
    @Param('token') token: string,
    @Body() form: RespondFormDto,
    @Query() query: RespondPageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res() reply: PageReply,
  ): Promise<void> {
    this.answer(reply, await this.respond.record(token, form, query, acceptLanguage), accept);
  }

  /** The page; or, to a client that asks for JSON, a refusal as problem+json like every other route's. */
  private answer(reply: PageReply, page: RenderedPage, accept: string | undefined): void {
    if (page.status >= 400 && prefersJson(accept)) throw page.status === 404 ? RespondErrors.linkNotFound.exception() : RespondErrors.invalidLocation();
    this.pages.send(reply, page);
  }
}
