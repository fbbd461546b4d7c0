import { applyDecorators, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';

const AUTH_THROTTLED = 'consular:auth-throttled';

/** Sign-in, registration, reset and verification: stricter limits per IP and per account. */
export const AuthThrottle = () => SetMetadata(AUTH_THROTTLED, true);

const NO_ACCOUNT_LIMIT = 'consular:no-account-throttle';

/** Sign-in: no limit per account, which would let anyone lock the owner out (AuthService slows failures per account and source). */
export const SignInThrottle = () => applyDecorators(AuthThrottle(), SetMetadata(NO_ACCOUNT_LIMIT, true));

const isAuthRoute = (context: ExecutionContext) => Reflect.getMetadata(AUTH_THROTTLED, context.getHandler()) === true;
const hasAccountLimit = (context: ExecutionContext) => isAuthRoute(context) && Reflect.getMetadata(NO_ACCOUNT_LIMIT, context.getHandler()) !== true;

function accountOf(request: { body?: { email?: unknown } }): string | null {
  const email = request.body?.email;
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null;
}

/** Limits per IP on every route, and per IP and per account on the authentication routes. */
export function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute },
      { name: 'auth-ip', ttl: 60_000, limit: config.auth.rateLimitPerMinute, skipIf: (context) => !isAuthRoute(context) },
      {
        name: 'auth-account',
        ttl: 15 * 60_000,
        // Mail to one address (registration, reset, verification) stays bounded whoever asks for it.
        limit: 20,
        skipIf: (context) => !hasAccountLimit(context) || accountOf(context.switchToHttp().getRequest()) === null,
        getTracker: (request) => `account:${accountOf(request)}`,
      },
    ],
  };
}
