import { Global, Module } from '@nestjs/common';
import { PageRenderer } from './page-renderer';
import { SignedLinks } from './signed-links';

/** The server-rendered pages' one renderer (templates/pages/) and the links e-mails carry to them, for every module. */
@Global()
@Module({
  providers: [PageRenderer, SignedLinks],
  exports: [PageRenderer, SignedLinks],
})
export class PagesModule {}
