import { Global, Module } from '@nestjs/common';
import { PageRenderer } from './page-renderer';

/** The server-rendered pages' one renderer (templates/pages/), for every module that answers a browser. */
@Global()
@Module({
  providers: [PageRenderer],
  exports: [PageRenderer],
})
export class PagesModule {}
