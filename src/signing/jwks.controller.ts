import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: JwkSetResponse, description: 'Public keys that sign documents and alerts' })
  jwks(): JwkSetResponse {
    return this.keys.jwks();
  }
}
