import { createAccount, startTestApp, TestApp } from './support/test-app';

/**
 * Walks every route the application registers. A new route that forgets its access marking fails here:
 * without a token it would not answer 401, or a citizen could reach a staff or admin route.
 */
describe('Route table: deny by default', () => {
  let t: TestApp;
  let routes: { method: string; path: string }[];

  /** Routes anyone may call without signing in. Adding one is a decision: name it here. */
  const PUBLIC_ROUTES = [
    'GET /health/live',
    'GET /health/ready',
    'GET /api/v1/missions',
    'GET /api/v1/missions/:code',
    'GET /api/v1/missions/serving',
    'POST /api/v1/auth/register',
    'POST /api/v1/auth/verify-email',
    'POST /api/v1/auth/verify-email/resend',
    'POST /api/v1/auth/login',
    'POST /api/v1/auth/refresh',
    'POST /api/v1/auth/password/forgot',
    'POST /api/v1/auth/password/reset',
    'GET /.well-known/jwks.json',
    'GET /api/v1/document-types',
    'GET /verify/:serial',
    'POST /api/v1/visa-status',
    'GET /verify-email',
    'POST /verify-email',
    'POST /verify-email/resend',
    'GET /reset-password',
    'POST /reset-password',
    'POST /reset-password/request',
    'GET /accept-invitation',
    'POST /accept-invitation',
    'GET /sign-in',
    'GET /api/v1/public/alerts',
    'GET /api/v1/public/alerts/:id',
    'GET /api/v1/public/alerts/:id/cap',
    'GET /api/v1/public/missions/:code/alerts.atom',
    'GET /alerts/:id',
    'GET /respond/:token',
    'POST /respond/:token',
    'GET /documents/:serial',
    'GET /document-requests/:id/status',
    'GET /registrations/:id/status',
    'GET /visa-applications/:id/status',
  ];
  /** Documentation served by Swagger's own middleware, not by a controller. */
  const DOCUMENTATION = /^\/docs/;

  beforeAll(async () => {
    t = await startTestApp();
    routes = registeredRoutes(t);
  });
  afterAll(() => t.close());

  const concrete = (path: string) =>
    path.replace(/:code\b/g, 'BER').replace(/:serial\b/g, 'UZ-BER-2026-000001').replace(/:token\b/g, 'x'.repeat(43)).replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes).toEqual(expect.arrayContaining([{ method: 'POST', path: '/api/v1/admin/staff' }]));
  });

  it('answers 401 without a token on every route but the named public ones', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const call = t.http()[route.method.toLowerCase() as 'get'](concrete(route.path));
      const response = await call.send({}).catch((error: Error) => ({ status: `${error.message}`, headers: {} as Record<string, string> }));
      if (response.status !== 401) open.push(`${route.method} ${route.path}`);
      else expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(open.sort()).toEqual(PUBLIC_ROUTES.filter((r) => routes.some((x) => `${x.method} ${x.path}` === r)).sort());
  });

  it('answers 403 to a citizen on every staff and admin route, and to staff on every admin route', async () => {
    const citizen = await createAccount(t, { role: 'citizen' });
    const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    const consul = await createAccount(t, { role: 'consul', missions: ['BER'] });
    const guarded = routes.filter((r) => /^\/api\/v1\/(staff|admin)\//.test(r.path));
    expect(guarded.length).toBeGreaterThan(3);
    const leaks: string[] = [];
    for (const route of guarded) {
      const callers = route.path.startsWith('/api/v1/admin/') ? [citizen, officer, consul] : [citizen];
      for (const caller of callers) {
        const response = await t.http()[route.method.toLowerCase() as 'get'](concrete(route.path)).set(caller.auth).send({});
        if (response.status !== 403) leaks.push(`${route.method} ${route.path} → ${response.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  function registeredRoutes(app: TestApp): { method: string; path: string }[] {
    const found = new Map<string, { method: string; path: string }>();
    for (const route of app.routes) {
      // HEAD and OPTIONS answer for the GET routes and CORS, not as routes of their own.
      if (DOCUMENTATION.test(route.path) || !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) continue;
      found.set(`${route.method} ${route.path}`, route);
    }
    return [...found.values()];
  }
});
