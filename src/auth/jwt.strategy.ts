import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthUser } from '../common/auth/auth-user';
import { AppConfig } from '../config/app-config';
import type { AccessClaims } from './auth.service';
import { UsersRepository } from './users.repository';

export const JWT_ISSUER = 'consular-portal';

/** Bearer access tokens: HS256 only (so `alg: none` and other algorithms are refused), checked against the session version. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<AuthUser | false> {
    if (typeof claims.sub !== 'string' || typeof claims.sv !== 'number') return false;
    return (await this.users.resolveSession(claims.sub, claims.sv)) ?? false;
  }
}
