import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppConfig } from './app-config';

/**
 * Validates configuration once at boot (a bad variable stops start-up, naming it) and provides it typed:
 * inject `AppConfig`. Overrides replace environment variables (tests start apps side by side this way); a
 * configuration already read (main.ts reads it before the HTTP server exists) is used as it is.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(settings: AppConfig | Record<string, string | undefined> = {}): DynamicModule {
    const config = settings instanceof AppConfig ? settings : AppConfig.fromEnvironment(settings);
    return {
      module: AppConfigModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ app: config })] })],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
