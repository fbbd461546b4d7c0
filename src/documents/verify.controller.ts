import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { prefersJson } from '../common/http/content-negotiation';
import { RateLimit } from '../common/rate-limit/rate-limit.decorator';
import { DocumentErrors } from './document.errors';
import { DocumentVerificationService } from './document-verification.service';
import { VerificationResponse, VerifyQuery } from './dto/verification.dto';
import { PageRenderer } from '../pages/page-renderer';
import { VerificationPage } from './verification-page';

/** Stricter than the portal's default: a public page that answers about any serial. */
export const VERIFY_RATE_LIMIT_PER_MINUTE = 30;

@ApiTags('verification')
@Controller('verify')
export class VerifyController {
  constructor(
    private readonly verification: DocumentVerificationService,
    private readonly page: VerificationPage,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':serial')
  @Public()
  @RateLimit({ name: 'verify', per: 'ip', windowSeconds: 60, limit: VERIFY_RATE_LIMIT_PER_MINUTE })
  @ApiOperation({ summary: 'Whether a document is genuine and valid (HTML page, or JSON; a 404 page for an unknown serial)' })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerificationResponse, description: 'JSON for `Accept: application/json`, otherwise an HTML page' })
  @ApiErrors(DocumentErrors.documentNotFound, CommonErrors.tooManyRequests)
  async verify(@Param('serial') serial: string, @Query() query: VerifyQuery, @Headers('accept') accept: string | undefined, @Res() response: FastifyReply): Promise<void> {
    const verification = await this.verification.verify(serial, query.s);
    // A revocation must show at once: nothing on the way may keep an answer.
    const vary = response.getHeader('vary');
    response.header('Cache-Control', 'no-store').header('Vary', vary ? `${String(vary)}, Accept` : 'Accept');
    if (prefersJson(accept)) {
      if (!verification) throw DocumentErrors.documentNotFound.exception();
      response.send(this.verification.toResponse(verification));
      return;
    }
    this.pages.send(response, verification ? this.page.render(verification) : this.page.notFound(serial));
  }
}
