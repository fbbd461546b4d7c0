import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../http/common.errors';
import { ACCESS_RULE, AccessRule } from './access.decorator';
import { AuthUser } from './auth-user';

const READING_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: a route is refused unless it is @Public() or names, through @Access(), the roles that may call it.
 * Accounts with an unverified e-mail may read but not change anything, unless a route allows it.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (rule?.public) return true;
    if (rule?.orSignedLink && this.carriesSignedLinkOnly(context)) return true;
    await super.canActivate(context);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>();
    const user = request.user;
    // A route nobody marked is open to nobody.
    if (!rule) throw CommonErrors.forbidden.exception('This route is not open to any role');
    if (rule.roles && rule.roles.length > 0 && !rule.roles.includes(user.role)) {
      throw CommonErrors.forbidden.exception('Your role may not do this');
    }
    if (!user.emailVerified && !rule.allowUnverified && !READING_METHODS.has(request.method)) {
      throw CommonErrors.emailNotVerified.exception();
    }
    return true;
  }

  /** No bearer token but a `?token=`: the handler checks the link (a bearer token, when given, decides alone). */
  private carriesSignedLinkOnly(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    return request.headers.authorization === undefined && typeof token === 'string' && token !== '';
  }

  handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw CommonErrors.unauthenticated.exception();
    return user;
  }
}
