import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { Public } from '../common/auth/access.decorator';
import { ApiErrors } from '../common/http/api-errors';
import { CommonErrors } from '../common/http/common.errors';
import { DocumentErrors } from './document.errors';
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
  @ApiOperation({ summary: 'Whether a document is genuine and valid (HTML page, or JSON; a 404 page for an unknown serial)' })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: VerificationResponse, description: 'JSON for `Accept: application/json`, otherwise an HTML page' })
  @ApiErrors(DocumentErrors.documentNotFound, CommonErrors.tooManyRequests)
  async verify(@Param('serial') serial: string, @Query() query: VerifyQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const verification = await this.verification.verify(serial, query.s);
    // A revocation must show at once: nothing on the way may keep an answer.
    response.setHeader('Cache-Control', 'no-store').vary('Accept');
    if (request.accepts(['html', 'json']) === 'json') {
      if (!verification) throw DocumentErrors.documentNotFound.exception();
      response.json(this.verification.toResponse(verification));
      return;
    }
    if (!verification) {
      response.status(404).type('html').send(this.page.notFound(serial));
      return;
    }
    response.type('html').send(this.page.render(verification));
  }
}
