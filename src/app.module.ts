import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AccessGuard } from './common/auth/access.guard';
import { CommonModule } from './common/common.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { ProblemDetailsFilter } from './common/http/problem-details.filter';
import { throttlerOptions } from './common/http/throttling';
import { LoggingModule } from './common/logging/logging.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { JobsModule } from './jobs/jobs.module';
import { MissionsModule } from './missions/missions.module';
import { NotificationsModule } from './notifications/notifications.module';
import { SigningModule } from './signing/signing.module';
import { RegistrationsModule } from './registrations/registrations.module';

@Module({})
export class AppModule {
  /** The whole portal. Overrides replace environment variables (tests start apps side by side this way). */
  static forRoot(overrides: Record<string, string | undefined> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(overrides),
        LoggingModule,
        DatabaseModule,
        JobsModule,
        NotificationsModule,
        AuditModule,
        CryptoModule,
        CommonModule,
        ThrottlerModule.forRootAsync({ inject: [AppConfig], useFactory: throttlerOptions }),
        HealthModule,
        AuthModule,
        MissionsModule,
        RegistrationsModule,
        SigningModule,
        DocumentsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
      ],
    };
  }
}
