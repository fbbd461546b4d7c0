import { Global, Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { PdfRendererService } from './pdf-renderer.service';
import { SigningKeyService } from './signing-key.service';

/** Signing and rendering of official documents, shared by every module that issues them (documents, e-visas). */
@Global()
@Module({
  controllers: [JwksController],
  providers: [SigningKeyService, PdfRendererService],
  exports: [SigningKeyService, PdfRendererService],
})
export class SigningModule {}
