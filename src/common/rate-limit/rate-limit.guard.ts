import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import { CommonErrors } from '../http/common.errors';
import { ROUTE_RATE_LIMITS, RouteRateLimit } from './rate-limit.decorator';
import { SharedHit, SharedRateLimitsRepository } from './shared-rate-limits.repository';
import { SlidingWindowCounter, Verdict } from './sliding-window-counter';

interface RateLimitedRequest {
  ip?: string;
  body?: { email?: unknown };
}

interface RoutePlan {
  route: string;
  limits: (Omit<RouteRateLimit, 'limit'> & { limit: number })[];
}

/**
 * The global rate limit: every route counts each client address in memory (O(1), per process; volumetric abuse is
 * stopped at the load balancer), and routes marked with @RateLimit()/@AuthThrottle() also count in PostgreSQL, so
 * their limits hold across processes. Over a limit: 429 problem+json with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly perAddress: SlidingWindowCounter;
  private readonly plans = new WeakMap<object, RoutePlan>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly shared: SharedRateLimitsRepository,
  ) {
    this.perAddress = new SlidingWindowCounter(config.rateLimitPerMinute, 60_000);
  }

  /** Synchronous unless the route has shared limits: most routes cost one map lookup, not a promise. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<RateLimitedRequest>();
    const address = request.ip ?? 'unknown';
    refuseUnlessAllowed(this.perAddress.hit(address));
    const plan = this.planOf(context);
    if (plan.limits.length === 0) return true;
    const account = accountOf(request);
    const hits: SharedHit[] = [];
    for (const limit of plan.limits) {
      if (limit.per === 'account' && account === null) continue;
      hits.push({ name: limit.name, key: `${plan.route}:${limit.per === 'ip' ? address : account}`, limit: limit.limit, windowSeconds: limit.windowSeconds });
    }
    if (hits.length === 0) return true;
    return this.shared.hit(hits).then((verdict) => {
      refuseUnlessAllowed(verdict);
      return true;
    });
  }

  /** A route's shared limits, resolved against the configuration once per handler. */
  private planOf(context: ExecutionContext): RoutePlan {
    const handler = context.getHandler();
    let plan = this.plans.get(handler);
    if (!plan) {
      const limits = this.reflector.get<RouteRateLimit[] | undefined>(ROUTE_RATE_LIMITS, handler) ?? [];
      plan = {
        route: `${context.getClass().name}.${handler.name}`,
        limits: limits.map((l) => ({ ...l, limit: typeof l.limit === 'function' ? l.limit(this.config) : l.limit })),
      };
      this.plans.set(handler, plan);
    }
    return plan;
  }
}

function refuseUnlessAllowed(verdict: Verdict): void {
  if (verdict.allowed) return;
  throw CommonErrors.tooManyRequests.withExtensions({ retryAfterSeconds: verdict.retryAfterSeconds });
}

function accountOf(request: RateLimitedRequest): string | null {
  const email = request.body?.email;
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null;
}
