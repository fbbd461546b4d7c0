import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorator';
import { JwkSetResponse } from './dto/jwk-set.response';
import { SigningKeyService } from './signing-key.service';

@ApiTags('verification')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyService) {}

  @Get('jwks.json')
  @Public()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys that sign documents and alerts (current and retired)' })
  @ApiOkResponse({ type: JwkSetResponse })
  jwks(): JwkSetResponse {
    return this.keys.jwks();
  }
}
