import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { AccountPagesController } from './account-pages.controller';
import { AccountPagesService } from './account-pages.service';
import { AccountToken } from './account-token.entity';
import { AccountTokensRepository } from './account-tokens.repository';
import { AdminStaffController } from './admin-staff.controller';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { accessTokenKey, JWT_ISSUER, JwtStrategy } from './jwt.strategy';
import { MeController } from './me.controller';
import { LoginFailuresRepository } from './login-failures.repository';
import { PasswordService } from './password.service';
import { RefreshToken } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { StaffService } from './staff.service';
import { User, UserMission } from './user.entity';
import { UsersRepository } from './users.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([User, UserMission, RefreshToken, AccountToken]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: accessTokenKey(config),
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.accessTokenTtlSeconds, issuer: JWT_ISSUER },
        verifyOptions: { algorithms: ['HS256'], issuer: JWT_ISSUER },
      }),
    }),
  ],
  controllers: [AuthController, MeController, AdminStaffController, AccountPagesController],
  providers: [AuthService, AccountPagesService, StaffService, PasswordService, UsersRepository, RefreshTokensRepository, AccountTokensRepository, LoginFailuresRepository, JwtStrategy],
  exports: [UsersRepository],
})
export class AuthModule {}
