import { SetMetadata } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';

export const ROUTE_RATE_LIMITS = 'consular:route-rate-limits';

/**
 * A limit of one route, counted in PostgreSQL so that every API process enforces it together. Counted per route
 * and per client address, or per account (the e-mail address in the body; requests without one are not counted).
 */
export interface RouteRateLimit {
  name: string;
  per: 'ip' | 'account';
  windowSeconds: number;
  limit: number | ((config: AppConfig) => number);
}

/** Adds shared limits to a route, on top of the per-address limit every route has. */
export const RateLimit = (...limits: RouteRateLimit[]) => SetMetadata(ROUTE_RATE_LIMITS, limits);

const AUTH_PER_ADDRESS: RouteRateLimit = { name: 'auth-ip', per: 'ip', windowSeconds: 60, limit: (config) => config.auth.rateLimitPerMinute };

/** Registration, reset and verification: stricter limits per IP and per account, shared by all processes. */
export const AuthThrottle = () =>
  RateLimit(
    AUTH_PER_ADDRESS,
    // Mail to one address (registration, reset, verification) stays bounded whoever asks for it.
    { name: 'auth-account', per: 'account', windowSeconds: 15 * 60, limit: 20 },
  );

/** Sign-in: no limit per account, which would let anyone lock the owner out (AuthService slows failures per account and source). */
export const SignInThrottle = () => RateLimit(AUTH_PER_ADDRESS);
