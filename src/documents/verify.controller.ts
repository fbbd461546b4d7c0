import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/access.decorator';
import { prefersJson } from '../common/http/content-negotiation';
import { NotFound } from '../common/http/domain.exception';
import { DocumentVerificationService } from './document-verification.service';
import { VerificationResponse, VerifyQuery } from './dto/verification.dto';
import { VerificationPage } from './verification-page';

/** Stricter than the portal's default: a public page that answers about any serial. */
export const VERIFY_RATE_LIMIT_PER_MINUTE = 30;

@ApiTags('verification')
@Controller('verify')
export class VerifyController {
  constructor(
    private readonly verification: DocumentVerificationService,
    private readonly page: VerificationPage,
  ) {}

  @Get(':serial')
  @Public()
  @Throttle({ default: { limit: VERIFY_RATE_LIMIT_PER_MINUTE, ttl: 60_000 } })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerificationResponse, description: 'JSON for `Accept: application/json`, otherwise an HTML page' })
  @ApiNotFoundResponse({ description: 'No document has this serial (problem+json, or an HTML page)' })
  @ApiTooManyRequestsResponse({ description: `More than ${VERIFY_RATE_LIMIT_PER_MINUTE} verifications a minute from one address` })
  async verify(@Param('serial') serial: string, @Query() query: VerifyQuery, @Headers('accept') accept: string | undefined, @Res() response: FastifyReply): Promise<void> {
    const verification = await this.verification.verify(serial, query.s);
    // A revocation must show at once: nothing on the way may keep an answer.
    const vary = response.getHeader('vary');
    response.header('Cache-Control', 'no-store').header('Vary', vary ? `${String(vary)}, Accept` : 'Accept');
    if (prefersJson(accept)) {
      if (!verification) throw NotFound('Document');
      response.send(this.verification.toResponse(verification));
      return;
    }
    const html = 'text/html; charset=utf-8';
    if (!verification) {
      response.status(404).type(html).send(this.page.notFound(serial));
      return;
    }
    response.type(html).send(this.page.render(verification));
  }
}
