import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../http/api-errors';
import { CommonErrors } from '../http/common.errors';
import { Role } from './auth-user';

export const ACCESS_RULE = 'consular:access';

export interface AccessRule {
  /** Anyone may call the route, without a token. */
  public?: boolean;
  /** Roles allowed to call the route; every signed-in role when empty and not public. */
  roles?: Role[];
  /**
   * Whether an account with an unverified e-mail may call this route although it changes something
   * (by default only reading routes are open to unverified accounts).
   */
  allowUnverified?: boolean;
  /**
   * Without a bearer token, the route also opens for a request carrying `?token=` (a signed link from an e-mail);
   * the handler checks that token, and a request with neither is 401 as usual.
   */
  orSignedLink?: boolean;
}

/** Marks a route (or controller) as callable without signing in. */
export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);

/**
 * The one access decorator: who may call this route. Without it (or @Public) the global guard refuses the route.
 * `@Access('citizen')`, `@Access('officer', 'consul')`, `@Access({ roles: [], allowUnverified: true })` (any signed-in role).
 * It also lists the guard's answers (401, 403) in OpenAPI.
 */
export function Access(...args: [AccessRule] | Role[]) {
  const rule: AccessRule = typeof args[0] === 'object' ? args[0] : { roles: args as Role[] };
  const allowUnverified = rule.allowUnverified ?? false;
  return applyDecorators(
    SetMetadata(ACCESS_RULE, { roles: rule.roles ?? [], allowUnverified, orSignedLink: rule.orSignedLink ?? false }),
    ApiBearerAuth(),
    ApiErrors(CommonErrors.unauthenticated, CommonErrors.forbidden, ...(allowUnverified ? [] : [CommonErrors.emailNotVerified])),
  );
}

/** Staff roles: officers, consuls and admins. */
export const StaffAccess = (...extra: Role[]) => Access('officer', 'consul', 'admin', ...extra);
