import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './app.setup';
import { AppConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  // Read once, before the module graph: the HTTP server is made first and needs TRUST_PROXY.
  const config = AppConfig.fromEnvironment();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createHttpAdapter(config), { bodyParser: false, bufferLogs: true });
  await configureApp(app);
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
