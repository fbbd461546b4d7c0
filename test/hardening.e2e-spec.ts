import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * Hostile input at the HTTP layer, one input class per test: each is refused with a 400 problem (never a 500),
 * with no SQL or stack trace in the body, whether or not the caller is signed in.
 */
describe('Hardening: no input reaches a 500', () => {
  let t: TestApp;
  let citizen: Account;
  let officer: Account;
  let admin: Account;
  beforeAll(async () => {
    t = await startTestApp();
    citizen = await createAccount(t, { role: 'citizen' });
    officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    admin = await createAccount(t, { role: 'admin' });
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;
  const JSON_TYPE = { 'Content-Type': 'application/json' };
  const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

  /** A 400 problem with the given code, and nothing in it a client should not see. */
  function expectRefused(response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, code?: string): void {
    expectProblem(response, 400);
    if (code) expect(response.body.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toMatch(/SELECT|INSERT|UPDATE|stack|\bat \S+\.(ts|js)/);
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  }

  const berlinRegistration = (overrides: Record<string, unknown> = {}) => ({
    missionCode: 'BER',
    kind: 'permanent',
    address: { line1: 'Friedrichstraße 100', city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: '10117' },
    phone: '+49 30 1234567',
    arrivalDate: '2024-09-01',
    purpose: 'Employment',
    passportNumber: 'AA1234567',
    dateOfBirth: '1990-05-17',
    ...overrides,
  });

  describe('NUL and other control characters', () => {
    it('in a path, with and without a token', async () => {
      expectRefused(await t.http().get(api('/missions/B%00R')), 'invalid_path');
      expectRefused(await t.http().get(api('/registrations/%00')).set(citizen.auth), 'invalid_path');
      expectRefused(await t.http().get('/no-such-route/%01'), 'invalid_path');
    });

    it('in a query string, with and without a token', async () => {
      expectRefused(await t.http().get(api('/missions?country=D%00')), 'invalid_query');
      expectRefused(await t.http().get(api('/staff/registrations?missionCode=BER%00')).set(officer.auth), 'invalid_query');
      expectRefused(await t.http().get(api('/missions?country=%1B')), 'invalid_query');
    });

    it('in a JSON body (string or key), with and without a token, while tab and line breaks stay allowed', async () => {
      expectRefused(await t.http().post(api('/auth/login')).send({ email: 'a\u0000@example.org', password: 'x' }), 'invalid_text');
      expectRefused(await t.http().patch(api('/me')).set(citizen.auth).send({ fullName: 'Anna\u0000Karimova' }), 'invalid_text');
      expectRefused(await t.http().post(api('/auth/login')).send({ ['email\u0007']: 'a@example.org' }), 'invalid_text');
      expectRefused(await t.http().post(api('/auth/login')).set(JSON_TYPE).send('{"email":"a\\b@example.org"}'), 'invalid_text');
      // Free text keeps its tabs and line breaks: this reaches sign-in (401), not the parser's 400.
      const login = await t.http().post(api('/auth/login')).send({ email: citizen.email, password: 'line one\nline\ttwo\r\n' });
      expectProblem(login, 401);
    });

    it('in a form body', async () => {
      const response = await t.http().post(api('/auth/login')).type('form').send('email=a%00%40example.org&password=x');
      expectRefused(response, 'malformed_body');
    });
  });

  describe('invalid Unicode', () => {
    it('a lone surrogate in a JSON body, as an escape, alone or unpaired', async () => {
      for (const text of ['"\\ud800"', '"\\udc00x"', '"\\ud800\\u0041"']) {
        const body = `{"email":${text},"password":"x"}`;
        expectRefused(await t.http().post(api('/auth/login')).set(JSON_TYPE).send(body), 'invalid_text');
      }
    });

    it('invalid UTF-8 in a body, a path and a query string', async () => {
      const body = Buffer.concat([Buffer.from('{"email":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","password":"x"}')]);
      // As bytes: superagent would otherwise serialise the Buffer as JSON.
      const raw = t.http().post(api('/auth/login')).set(JSON_TYPE).serialize((bytes: Buffer) => bytes as unknown as string);
      expectRefused(await raw.send(body), 'malformed_body');
      expectRefused(await t.http().get(api('/missions/%ED%A0%80')), 'invalid_path');
      expectRefused(await t.http().get(api('/missions?country=%C3')), 'invalid_query');
      expectRefused(await t.http().get(api('/missions/%E0%A4%A')), 'invalid_path');
    });

    it('keeps valid text outside the Basic Multilingual Plane', async () => {
      const response = await t.http().patch(api('/me')).set(citizen.auth).send({ fullName: 'Anna 😀 Karimova' }).expect(200);
      expect(response.body.fullName).toBe('Anna 😀 Karimova');
    });
  });

  describe('shape of the JSON', () => {
    it('refuses nesting deeper than 32 levels, and lets 32 through to validation', async () => {
      const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
      expectRefused(await t.http().post(api('/auth/login')).set(JSON_TYPE).send(nested(33)), 'too_deep');
      expectRefused(await t.http().post(api('/auth/login')).set(JSON_TYPE).send(nested(32)), 'validation_failed');
    });

    it('refuses an array of more than 1,000 items', async () => {
      const body = JSON.stringify({ email: 'a@example.org', password: 'x', padding: new Array(1001).fill(0) });
      expectRefused(await t.http().post(api('/auth/login')).set(JSON_TYPE).send(body), 'too_many_items');
    });

    it('refuses a body that is not an object', async () => {
      for (const body of ['null', '[]', '42', '"text"']) {
        expectRefused(await t.http().patch(api('/me')).set(citizen.auth).set(JSON_TYPE).send(body), 'malformed_body');
      }
    });
  });

  describe('null and missing objects', () => {
    it('refuses null where a PATCH expects a value, and keeps it where the contract allows it', async () => {
      const created = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration()).expect(201);
      const id = created.body.id as string;
      expectRefused(await t.http().patch(api(`/registrations/${id}`)).set(citizen.auth).send({ address: null }), 'validation_failed');
      expectRefused(await t.http().patch(api('/me')).set(citizen.auth).send({ fullName: null }), 'validation_failed');
      expectRefused(await t.http().patch(api('/admin/missions/BER')).set(admin.auth).send({ contacts: null }), 'validation_failed');
      const refused = await t.http().patch(api(`/registrations/${id}`)).set(citizen.auth).send({ familyMembers: [null, []] });
      expectRefused(refused, 'validation_failed');
      // `location` is nullable in the contract: null removes it.
      await t.http().patch(api(`/registrations/${id}`)).set(citizen.auth).send({ location: null }).expect(200);
    });

    it('refuses a required nested object left out, or given as an array', async () => {
      const { address: _address, ...withoutAddress } = berlinRegistration();
      const missing = await t.http().post(api('/registrations')).set(citizen.auth).send(withoutAddress);
      expectRefused(missing, 'validation_failed');
      expect((missing.body.errors as { field: string }[]).map((e) => e.field)).toContain('address');
      expectRefused(await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration({ address: [] })), 'validation_failed');
    });
  });

  describe('values PostgreSQL cannot hold', () => {
    it('refuses cursors past bigint, out of the date range, or with control characters, before SQL', async () => {
      expectRefused(await t.http().get(api(`/admin/audit?cursor=${cursor(['99999999999999999999'])}`)).set(admin.auth), 'invalid_cursor');
      expectRefused(await t.http().get(api(`/admin/audit?cursor=${cursor([1e21])}`)).set(admin.auth), 'invalid_cursor');
      const uuid = '00000000-0000-4000-8000-000000000000';
      expectRefused(await t.http().get(api(`/document-requests?cursor=${cursor(['-271821-04-20T00:00:00.000Z', uuid])}`)).set(citizen.auth), 'invalid_cursor');
      expectRefused(await t.http().get(api(`/document-requests?cursor=${cursor(['+275760-09-13T00:00:00.000Z', uuid])}`)).set(citizen.auth), 'invalid_cursor');
      expectRefused(await t.http().get(api(`/admin/staff?cursor=${cursor(['a\u0000b'])}`)).set(admin.auth), 'invalid_cursor');
    });
  });

  describe('cost of refusing', () => {
    /** The fastest of several round trips on the loopback (the server's time plus very little), so a busy CI machine does not decide it. */
    async function bestOf(times: number, send: () => Promise<{ status: number }>): Promise<number> {
      let best = Infinity;
      for (let i = 0; i < times; i++) {
        const started = process.hrtime.bigint();
        const response = await send();
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
        expect(response.status).toBe(400);
      }
      return best;
    }

    it('refuses a just-under-1 MB deeply nested body in under 50 ms', async () => {
      const limit = 1024 * 1024;
      for (const opener of ['[', '{"a":']) {
        const body = opener.repeat(Math.floor((limit - 16) / opener.length));
        expect(Buffer.byteLength(body)).toBeLessThan(limit);
        const ms = await bestOf(15, () => t.http().post(api('/auth/login')).set(JSON_TYPE).send(body));
        expect(ms).toBeLessThan(50);
      }
    });

    it('does not read the body of a GET', async () => {
      const body = '['.repeat(900 * 1024);
      const response = await t.http().get(api('/missions')).set(JSON_TYPE).send(body).expect(200);
      expect(response.body.length).toBeGreaterThan(0);
    });
  });
});
