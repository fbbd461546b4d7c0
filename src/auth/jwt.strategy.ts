import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createSecretKey, KeyObject } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthUser } from '../common/auth/auth-user';
import { AppConfig } from '../config/app-config';
import type { AccessClaims } from './auth.service';
import { UsersRepository } from './users.repository';

export const JWT_ISSUER = 'consular-portal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The access-token secret as a KeyObject: handed a string, jsonwebtoken first tries to parse it as a PEM key and
 * throws on every call (about 350 µs per verification against 9 µs with a KeyObject).
 */
export function accessTokenKey(config: AppConfig): KeyObject {
  return createSecretKey(config.jwtSecret, 'utf8');
}

/** Bearer access tokens: HS256 only (so `alg: none` and other algorithms are refused), checked against the live session. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands the key to jsonwebtoken as it is; its types predate KeyObject.
      secretOrKey: accessTokenKey(config) as unknown as Buffer,
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessClaims): Promise<AuthUser | false> {
    if (typeof claims.sub !== 'string' || typeof claims.sv !== 'number' || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return false;
    return (await this.users.resolveSession(claims.sub, claims.sv, claims.sid)) ?? false;
  }
}
