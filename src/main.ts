import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), { bodyParser: false, bufferLogs: true });
  configureApp(app);
  const config = app.get(AppConfig);
  if (config.runsApi) {
    await app.listen(config.port, config.host);
    new NestLogger('Bootstrap').log(`Consular portal (${config.role}) listening on ${config.publicBaseUrl}; API docs at /docs`);
  } else {
    await app.init();
    new NestLogger('Bootstrap').log('Consular portal worker started');
  }
}

bootstrap().catch((error: Error) => {
  // Configuration errors are one clear line; anything else keeps its stack.
  process.stderr.write(error.message.startsWith('Invalid configuration') ? `${error.message}\n` : `${error.stack ?? error.message}\n`);
  process.exit(1);
});
