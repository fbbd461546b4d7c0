import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildOpenApi } from '../../src/app.setup';
import { Account, createAccount, GOOD_PASSWORD, TestApp, uniqueEmail } from '../support/test-app';
import {
  brokenEncoding,
  edgeNumber,
  hostileCursor,
  hostileString,
  hostileValue,
  Hints,
  jsonText,
  mutated,
  percentEncode,
  rawBody,
  shapedValue,
  WireBody,
} from './generators';
import { FuzzOperation, operationsOf, ParameterSpec } from './openapi-walker';
import { BERLIN_REGISTRATION } from '../support/registration-seed';

/** Limits high enough that throttling never hides what the fuzzer sends (the /verify limit is per address: see `forwardedFor`). */
export const FUZZ_APP_OVERRIDES = { AUTH_RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_PER_MINUTE: '10000000', TRUST_PROXY: '1' };

export type Caller = 'anonymous' | 'citizen' | 'officer' | 'consul' | 'admin' | 'forged';
const CALLERS: Caller[] = ['anonymous', 'citizen', 'officer', 'consul', 'admin'];

/** The running portal, signed-in callers of each role, and records for path parameters to point at. */
export interface FuzzTarget {
  port: number;
  agent: Agent;
  operations: FuzzOperation[];
  tokens: Record<Exclude<Caller, 'anonymous' | 'forged'>, string>;
  /** The callers' own ids, kept out of the pools so that no generated request changes who they are. */
  protectedIds: Set<string>;
  hints: Hints;
  /** Values for path parameters by name (`id`, `code`, `serial`); grows with the ids of records the fuzzer creates. */
  pools: Record<string, string[]>;
  /** How many entries at the head of each pool are the records made for the run (the rest were harvested). */
  fixtures: number;
  /** The roles each operation lets through its access check (probed once), which most generated requests use. */
  allowedCallers: Map<string, Caller[]>;
  /** Signs a caller in again after the fuzzer ended its session (a logout, a password change, a role change). */
  renewSession(caller: Caller): Promise<void>;
}

const POOL_LIMIT = 300;
const FIXTURE_COUNT = 3;

/**
 * Listens on a free port, signs in one caller per role (staff at the Berlin embassy), and creates a registration,
 * a document request and an issued document, so that path parameters can name real records.
 */
export async function prepareFuzzTarget(t: TestApp): Promise<FuzzTarget> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const [citizen, officer, consul, admin, colleague, victim] = await Promise.all([
    createAccount(t, { role: 'citizen', fullName: 'Fuzz Citizen' }),
    createAccount(t, { role: 'officer', missions: ['BER'] }),
    createAccount(t, { role: 'consul', missions: ['BER'] }),
    createAccount(t, { role: 'admin' }),
    createAccount(t, { role: 'officer', missions: ['BER'] }),
    createAccount(t, { role: 'citizen' }),
  ]);
  const callers = { citizen, officer, consul, admin };
  const api = '/api/v1';
  const registration = await t.http().post(`${api}/registrations`).set(citizen.auth).send(BERLIN_REGISTRATION).expect(201);
  // Verified, as a registration certificate needs.
  await t.db.query(`UPDATE registrations SET status = 'active', verified_at = now() WHERE id = $1`, [registration.body.id]);
  const documentFields = {
    fullName: 'Dilshod Karimov',
    dateOfBirth: '1990-04-12',
    placeOfBirth: 'Fargʻona',
    passportNumber: 'FA1234567',
    countryOfResidence: 'DE',
    addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
    phone: '+493012345678',
  };
  const documentRequest = { type: 'consular-registration-certificate', missionCode: 'BER', fields: documentFields };
  const issued = await t.http().post(`${api}/document-requests`).set(citizen.auth).send(documentRequest).expect(201);
  const { serial } = (await t.http().post(`${api}/staff/document-requests/${issued.body.id}/approve`).set(officer.auth).send().expect(200)).body as { serial: string };
  const pending = await t.http().post(`${api}/document-requests`).set(citizen.auth).send(documentRequest).expect(201);
  // An e-visa draft, an alert draft and a watch-list entry, so their routes can name real records too.
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const visaApplication = await t
    .http()
    .post(`${api}/visa-applications`)
    .set(citizen.auth)
    .send({
      visaType: 'tourist',
      entries: 'single',
      nationality: 'DEU',
      passport: { number: 'C01X00T47', issueDate: '2021-03-01', expiryDate: inDays(3650) },
      person: { surname: 'Müller', givenNames: 'Erika', dateOfBirth: '1964-08-12', sex: 'F', placeOfBirth: 'Berlin' },
      arrivalDate: inDays(25),
      stayDays: 14,
      purpose: 'Tourism',
      addressInCountry: 'Hotel Registan Plaza, Samarkand',
      email: 'erika@example.de',
      phone: '+49 30 1234567',
    })
    .expect(201);
  const alert = await t
    .http()
    .post(`${api}/staff/alerts`)
    .set(officer.auth)
    .send({ missionCode: 'BER', kind: 'safety_info', severity: 'minor', area: { regions: ['DE-BE'] }, content: { en: { title: 'Fuzz', body: 'A safety notice.' } } })
    .expect(201);
  const watchlistEntry = await t.http().post(`${api}/admin/watchlist`).set(admin.auth).send({ surname: 'Fuzzer', givenNames: 'Test', note: 'fixture' }).expect(201);
  const missionCodes = ((await t.http().get(`${api}/missions`).expect(200)).body as { code: string }[]).map((m) => m.code);
  const documentTypes = ((await t.http().get(`${api}/document-types`).expect(200)).body as { code: string }[]).map((d) => d.code);
  const operations = operationsOf(buildOpenApi(t.app, t.config));
  const passwordHash = (await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [citizen.id]))[0].password_hash as string;
  const renewals = new Map<Caller, Promise<void>>();
  const target: FuzzTarget = {
    port,
    agent: new Agent({ keepAlive: true, maxSockets: 8 }),
    operations,
    tokens: { citizen: citizen.accessToken, officer: officer.accessToken, consul: consul.accessToken, admin: admin.accessToken },
    protectedIds: new Set(Object.values(callers).map((account) => account.id)),
    allowedCallers: new Map(),
    renewSession(caller) {
      if (!(caller in callers)) return Promise.resolve();
      const running = renewals.get(caller) ?? signInAgain(t, callers[caller as keyof typeof callers], caller, passwordHash, target).finally(() => renewals.delete(caller));
      renewals.set(caller, running);
      return running;
    },
    fixtures: FIXTURE_COUNT,
    pools: {
      id: [registration.body.id, issued.body.id, pending.body.id, colleague.id, victim.id, visaApplication.body.id, alert.body.id, watchlistEntry.body.id],
      code: missionCodes,
      serial: [serial],
    },
    hints: {
      missionCode: missionCodes,
      code: ['WAW', 'BER', ...missionCodes.slice(0, 3)],
      country: ['DE', 'FR', 'UZ', 'PL', 'US', 'de'],
      countryOfResidence: ['DE', 'FR'],
      region: ['DE-BE', 'FR-75', 'DE-XX'],
      locale: ['en', 'ru', 'uz'],
      languages: [['uz', 'ru', 'en']],
      jurisdiction: [['PL'], ['DE']],
      missions: [['BER'], ['FRA'], ['BER', 'FRA']],
      timezone: ['Europe/Berlin', 'Europe/Warsaw'],
      type: documentTypes,
      fields: [documentFields],
      email: [uniqueEmail('fuzz'), victim.email],
      password: [GOOD_PASSWORD],
      currentPassword: [GOOD_PASSWORD],
      passportNumber: ['AA1234567', 'FA7654321'],
      phone: ['+49 30 1234567', '+998901234567'],
      status: ['pending', 'active', 'submitted', 'approved'],
      entityType: ['registration', 'document_request', 'user'],
      entityId: [registration.body.id],
      actorId: [citizen.id],
      'POST /api/v1/registrations': [{ ...BERLIN_REGISTRATION, passportNumber: 'AB7654321' }, { ...BERLIN_REGISTRATION, kind: 'temporary', departureDate: '2030-06-30' }],
      'PATCH /api/v1/registrations/{id}': [
        { phone: '+49 151 2345678' },
        { address: BERLIN_REGISTRATION.address, location: null },
        { emergencyContact: { fullName: 'Rustam Karimov', relation: 'brother', phone: '+998901234567' } },
        { familyMembers: [{ fullName: 'Malika Karimova', dateOfBirth: '2016-04-12', relation: 'child' }] },
      ],
      'POST /api/v1/document-requests': [documentRequest],
      'POST /api/v1/admin/staff': [{ email: uniqueEmail('staff'), fullName: 'New Officer', role: 'officer', missions: ['BER'] }],
      'POST /api/v1/admin/missions': [
        { code: 'WAW', kind: 'embassy', name: { en: 'Embassy in Poland' }, country: 'PL', city: 'Warsaw', jurisdiction: ['PL'], languages: ['uz', 'ru', 'en'], timezone: 'Europe/Warsaw', contacts: {} },
      ],
      'PATCH /api/v1/admin/missions/{code}': [{ city: 'Berlin' }, { contacts: { phone: '+49 30 3940980' } }],
      'PATCH /api/v1/me': [{ fullName: 'Fuzz Citizen' }, { locale: 'ru' }],
    },
  };
  for (const operation of operations) target.allowedCallers.set(operation.key, await probeAccess(target, operation));
  return target;
}

/** The roles an operation does not turn away with 401 or 403, asked about a record that does not exist. */
async function probeAccess(target: FuzzTarget, operation: FuzzOperation): Promise<Caller[]> {
  const roles = Object.keys(target.tokens) as (keyof FuzzTarget['tokens'])[];
  const path = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
  const allowed: Caller[] = [];
  for (const role of roles) {
    const body = operation.body || operation.method !== 'GET' ? Buffer.from('{}') : undefined;
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${target.tokens[role]}`, ...(body ? { 'content-type': 'application/json' } : {}) };
    const response = await send(target, { method: operation.method, url: path, caller: role, accept: 'application/json', headers, payload: body });
    if (response.status !== 401 && response.status !== 403) allowed.push(role);
  }
  return allowed;
}

/**
 * A caller whose token stopped working signs in again; a password the fuzzer changed (PATCH /me) is put back
 * first, straight in the database, and so are the role and missions an admin may have changed.
 */
async function signInAgain(t: TestApp, account: Account, caller: Caller, passwordHash: string, target: FuzzTarget): Promise<void> {
  const me = await t.http().get('/api/v1/me').set('Authorization', `Bearer ${target.tokens[caller as keyof FuzzTarget['tokens']]}`);
  if (me.status === 200) return;
  await t.db.query(`UPDATE users SET password_hash = $2, role = $3 WHERE id = $1`, [account.id, passwordHash, caller]);
  if (caller === 'officer' || caller === 'consul') {
    await t.db.query(`INSERT INTO user_missions (user_id, mission_code) VALUES ($1, 'BER') ON CONFLICT DO NOTHING`, [account.id]);
  }
  const login = await t.http().post('/api/v1/auth/login').send({ email: account.email, password: GOOD_PASSWORD });
  if (login.status !== 200) throw new Error(`${caller} cannot sign in again: ${login.status} ${JSON.stringify(login.body)}`);
  target.tokens[caller as keyof FuzzTarget['tokens']] = login.body.accessToken;
}

/** A path parameter: a record from the pool (by index, resolved when sent), or text to encode, or encoded text. */
type PathValue = { pool: number; fixture: boolean } | { text: string } | { encoded: string };

/** One generated request, before the pools are consulted. */
export interface FuzzCase {
  caller: Caller;
  path: PathValue[];
  query: string;
  body?: WireBody;
  accept: string;
  /** The client address the portal sees (it trusts one proxy), so per-address limits do not end the run. */
  forwardedFor: string;
  /** Which forged Authorization header a `forged` caller sends. */
  forgery: number;
}

/** A request as sent, for the report. */
export interface SentRequest {
  method: string;
  url: string;
  caller: Caller;
  accept: string;
  contentType?: string;
  body?: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

const FORGED_TOKENS = [
  'Bearer',
  'Bearer ',
  'Bearer null',
  'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJyb2xlIjoiYWRtaW4ifQ.',
  'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
  'Basic YWRtaW46YWRtaW4=',
  `Bearer ${'a'.repeat(4000)}`,
  'Bearer %00',
];

/** Generated requests for one operation: hostile and schema-shaped parameters and bodies, from every kind of caller. */
export function fuzzCases(operation: FuzzOperation, hints: Hints, allowed: Caller[] = []): fc.Arbitrary<FuzzCase> {
  const caller = fc.oneof(
    { arbitrary: fc.constantFrom<Caller>(...CALLERS), weight: 4 },
    { arbitrary: fc.constant<Caller>('forged'), weight: 1 },
    ...(allowed.length > 0 ? [{ arbitrary: fc.constantFrom(...allowed), weight: 8 }] : []),
  );
  const path = fc.tuple(...operation.pathParams.map((parameter) => pathValue(parameter, hints)));
  const query = queryString(operation.queryParams, hints);
  const accept = operation.servesHtml ? fc.constantFrom('application/json', 'text/html', '*/*') : fc.constantFrom('application/json', 'application/json', '*/*');
  const forwardedFor = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `10.${a}.${b}.${c}`);
  return fc.record({ caller, path, query, body: bodyFor(operation, hints), accept, forwardedFor, forgery: fc.nat({ max: FORGED_TOKENS.length - 1 }) });
}

function pathValue(parameter: ParameterSpec, hints: Hints): fc.Arbitrary<PathValue> {
  return fc.oneof(
    { arbitrary: fc.tuple(fc.nat(), fc.boolean()).map(([pool, fixture]) => ({ pool, fixture })), weight: 6 },
    { arbitrary: fc.uuid().map((text) => ({ text })), weight: 1 },
    { arbitrary: shapedValue(parameter.schema, hints, parameter.name).map((value) => ({ text: String(value) })), weight: 1 },
    { arbitrary: fc.oneof(hostileString, edgeNumber.map(String)).map((text) => ({ text: text.slice(0, 2000) })), weight: 4 },
    { arbitrary: brokenEncoding.map((encoded) => ({ encoded })), weight: 1 },
  );
}

/** Declared parameters (each left out, shaped, hostile, repeated or bracketed) plus undeclared ones. */
function queryString(parameters: ParameterSpec[], hints: Hints): fc.Arbitrary<string> {
  const declared = parameters.map((parameter) => {
    const value =
      parameter.name === 'cursor'
        ? fc.oneof(hostileCursor, fc.constant(''))
        : fc.oneof(
            { arbitrary: shapedValue(parameter.schema, hints, parameter.name).map(String), weight: 3 },
            { arbitrary: hostileString.map((text) => text.slice(0, 2000)), weight: 3 },
            { arbitrary: edgeNumber.map(String), weight: 1 },
          );
    const written = fc.oneof(
      { arbitrary: value.map((text) => `${parameter.name}=${percentEncode(text)}`), weight: 6 },
      { arbitrary: fc.tuple(value, value).map(([a, b]) => `${parameter.name}=${percentEncode(a)}&${parameter.name}=${percentEncode(b)}`), weight: 1 },
      { arbitrary: value.map((text) => `${parameter.name}[]=${percentEncode(text)}`), weight: 1 },
      { arbitrary: value.map((text) => `${parameter.name}[__proto__]=${percentEncode(text)}`), weight: 1 },
      { arbitrary: brokenEncoding.map((encoded) => `${parameter.name}=${encoded}`), weight: 1 },
    );
    return fc.option(written, { freq: 3 });
  });
  const undeclared = fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    { arbitrary: fc.constantFrom('__proto__=1', '__proto__[admin]=true', 'constructor[prototype][admin]=true', 'toString=x', 'a[b][c][d][e][f][g]=1', '='), weight: 1 },
    { arbitrary: fc.tuple(hostileString, hostileString).map(([key, value]) => `${percentEncode(key.slice(0, 100))}=${percentEncode(value.slice(0, 200))}`), weight: 1 },
  );
  return fc.tuple(fc.tuple(...declared), undeclared).map(([parts, extra]) => [...parts, extra].filter((part): part is string => part !== null).join('&'));
}

function bodyFor(operation: FuzzOperation, hints: Hints): fc.Arbitrary<WireBody | undefined> {
  const json = (value: unknown): WireBody => ({ contentType: 'application/json', text: jsonText(value) });
  const hostile = fc.oneof({ arbitrary: hostileValue.map(json), weight: 2 }, { arbitrary: rawBody, weight: 2 });
  if (!operation.body) {
    if (operation.method === 'GET') return fc.constant(undefined);
    return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: fc.constant(json({})), weight: 1 }, { arbitrary: hostile, weight: 1 });
  }
  // Hints under the operation's key are whole bodies known to pass validation: mutations of them reach the services.
  const shaped = shapedValue(operation.body.schema, hints, operation.key);
  return fc.oneof(
    { arbitrary: shaped.map(json), weight: 3 },
    { arbitrary: mutated(shaped).map(json), weight: 6 },
    { arbitrary: hostile, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const MAX_URL_LENGTH = 12_000;

/** Fills in the pools and writes the request line, headers and body. */
export function resolveCase(target: FuzzTarget, operation: FuzzOperation, fuzzCase: FuzzCase): SentRequest & { headers: Record<string, string>; payload?: Buffer } {
  let index = 0;
  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = fuzzCase.path[index++];
    if ('encoded' in value) return value.encoded;
    if ('text' in value) return percentEncode(value.text);
    const pool = target.pools[name] ?? target.pools.id;
    return percentEncode(pool[value.pool % (value.fixture ? Math.min(target.fixtures, pool.length) : pool.length)]);
  });
  // Past 16 kB of headers Node's own parser answers 431 before the portal sees the request.
  const url = (fuzzCase.query ? `${path}?${fuzzCase.query}` : path).slice(0, MAX_URL_LENGTH);
  const headers: Record<string, string> = { accept: fuzzCase.accept, 'x-forwarded-for': fuzzCase.forwardedFor };
  if (fuzzCase.caller === 'forged') headers.authorization = FORGED_TOKENS[fuzzCase.forgery];
  else if (fuzzCase.caller !== 'anonymous') headers.authorization = `Bearer ${target.tokens[fuzzCase.caller]}`;
  const body = fuzzCase.body;
  const payload = body?.bytes ? Buffer.from(body.bytes) : body?.text !== undefined ? Buffer.from(body.text, 'utf8') : undefined;
  if (body?.contentType) headers['content-type'] = body.contentType;
  return {
    method: operation.method,
    url,
    caller: fuzzCase.caller,
    accept: fuzzCase.accept,
    contentType: body?.contentType,
    body: body?.bytes ? `bytes ${Buffer.from(body.bytes).toString('hex')}` : body?.text,
    headers,
    payload,
  };
}

/** Sends one request over a kept-alive connection; a dropped connection answers status 0. */
export function send(target: FuzzTarget, request: ReturnType<typeof resolveCase>): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const headers = { ...request.headers, ...(request.payload ? { 'content-length': String(request.payload.length) } : {}) };
    const outgoing = httpRequest({ host: '127.0.0.1', port: target.port, method: request.method, path: request.url, headers, agent: target.agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', (error) => resolve({ status: 0, contentType: '', text: `response error: ${error.message}` }));
    });
    outgoing.setTimeout(60_000, () => outgoing.destroy(new Error('no answer within 60 s')));
    outgoing.on('error', (error) => resolve({ status: 0, contentType: '', text: `connection error: ${error.message}` }));
    outgoing.end(request.payload);
  });
}

/** What a body must never show: a stack frame, a driver error, SQL, a file of the code. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat (?:[\w$.<>[\] ]+ )?\(?(?:\/|node:|file:)[^\s)]*:\d+:\d+/],
  ['QueryFailedError', /QueryFailedError/],
  // Statements, not an HTTP method named in a router's "Cannot DELETE /path".
  ['SQL', /\b(?:SELECT\s[^"]*\sFROM|INSERT\s+INTO|UPDATE\s+"?\w+"?\s+SET|DELETE\s+FROM)\s/],
  ['a constraint message', /violates/],
  ['a node_modules path', /node_modules/],
  ['a TypeScript file', /\.ts:\d*/],
];

/** The contract every answer keeps; each breach named in a sentence. */
export function contractBreaches(request: SentRequest, response: FuzzResponse): string[] {
  const breaches: string[] = [];
  if (response.status === 0) return [response.text];
  if (response.status >= 500) breaches.push(`answered ${response.status}`);
  const textual = /json|html|text|xml/.test(response.contentType) || response.contentType === '';
  if (response.status >= 400) {
    const htmlPage = request.accept !== 'application/json' && response.contentType.startsWith('text/html');
    if (!htmlPage) breaches.push(...problemBreaches(response));
  }
  if (textual) {
    const sent = `${request.url}\n${request.body ?? ''}`;
    for (const [what, pattern] of LEAKS) {
      const found = pattern.exec(response.text);
      if (found && !sent.includes(found[0])) breaches.push(`the body shows ${what}: "${found[0]}"`);
    }
  }
  return breaches;
}

function problemBreaches(response: FuzzResponse): string[] {
  if (!response.contentType.startsWith('application/problem+json')) return [`a ${response.status} answered "${response.contentType}", not application/problem+json`];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return [`a ${response.status} problem is not JSON`];
  }
  const missing = ['type', 'title', 'detail'].filter((key) => typeof body?.[key] !== 'string');
  const breaches = missing.map((key) => `the problem has no string "${key}"`);
  if (body?.status !== response.status) breaches.push(`the problem's status ${String(body?.status)} is not the answer's ${response.status}`);
  return breaches;
}

/** Adds the ids, codes and serials of records a request created to the pools, so later requests can name them. */
function harvest(target: FuzzTarget, response: FuzzResponse): void {
  if (response.status < 200 || response.status >= 300 || !response.contentType.includes('json')) return;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return;
  }
  const record = body as Record<string, unknown> | null;
  if (!record || typeof record !== 'object' || Array.isArray(record)) return;
  const add = (pool: string[], value: unknown) => {
    if (typeof value === 'string' && !target.protectedIds.has(value) && !pool.includes(value) && pool.length < POOL_LIMIT) pool.push(value);
  };
  add(target.pools.id, record.id);
  add(target.pools.serial, record.serial);
  if (typeof record.code === 'string' && typeof record.kind === 'string') add(target.pools.code, record.code);
}

export interface FuzzFailure {
  operation: string;
  seed: number;
  request: SentRequest;
  response: FuzzResponse;
  breaches: string[];
}

export interface FuzzReport {
  cases: number;
  serverErrors: number;
  /** Answers by operation and status. */
  statuses: Map<string, Map<number, number>>;
  failures: FuzzFailure[];
  seed: number;
  millis: number;
}

/** Shrinking stops after this many extra requests: the smallest failing request found by then is reported. */
const SHRINK_BUDGET = 300;

/**
 * Runs `runsPerOperation` generated requests against each operation, `concurrency` operations at a time, and
 * checks every answer against the contract. A failing operation is shrunk to a small failing request.
 */
export async function fuzzOperations(
  target: FuzzTarget,
  options: { runsPerOperation: number; seed?: number; concurrency?: number; operations?: FuzzOperation[]; onOperationDone?: (key: string) => void },
): Promise<FuzzReport> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const operations = options.operations ?? target.operations;
  const report: FuzzReport = { cases: 0, serverErrors: 0, statuses: new Map(), failures: [], seed, millis: 0 };
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < operations.length) {
      const index = next++;
      const operation = operations[index];
      const failure = await fuzzOperation(target, operation, options.runsPerOperation, seed + index, report);
      if (failure) report.failures.push(failure);
      options.onOperationDone?.(operation.key);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  report.millis = Date.now() - started;
  return report;
}

async function fuzzOperation(target: FuzzTarget, operation: FuzzOperation, numRuns: number, seed: number, report: FuzzReport): Promise<FuzzFailure | undefined> {
  const statuses = report.statuses.get(operation.key) ?? new Map<number, number>();
  report.statuses.set(operation.key, statuses);
  let lastFailure: FuzzFailure | undefined;
  let shrinkSteps = 0;
  const property = fc.asyncProperty(fuzzCases(operation, target.hints, target.allowedCallers.get(operation.key)), async (fuzzCase) => {
    if (lastFailure && ++shrinkSteps > SHRINK_BUDGET) return true;
    const request = resolveCase(target, operation, fuzzCase);
    const response = await send(target, request);
    report.cases += 1;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status >= 500) report.serverErrors += 1;
    harvest(target, response);
    if (response.status === 401 && operation.secured && fuzzCase.caller !== 'anonymous' && fuzzCase.caller !== 'forged') await target.renewSession(fuzzCase.caller);
    const breaches = contractBreaches(request, response);
    if (breaches.length === 0) return true;
    const { headers: _headers, payload: _payload, ...sent } = request;
    lastFailure = { operation: operation.key, seed, request: sent, response, breaches };
    return false;
  });
  await fc.check(property, { numRuns, seed });
  return lastFailure;
}

/** The shrunk failing request of an operation, readable (control characters and lone surrogates escaped). */
export function describeFailure(failure: FuzzFailure): string {
  const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text);
  const escaped = (text: string) => JSON.stringify(clip(text, 600));
  return [
    `${failure.operation} (seed ${failure.seed}): ${failure.breaches.join('; ')}`,
    `  ${failure.request.method} ${clip(failure.request.url, 600)}  as ${failure.request.caller}, Accept ${failure.request.accept}`,
    failure.request.body !== undefined ? `  body (${failure.request.contentType}): ${escaped(failure.request.body)}` : '  no body',
    `  answer ${failure.response.status} ${failure.response.contentType}: ${escaped(failure.response.text)}`,
  ].join('\n');
}

/** The summary table: one row per operation, one column per status seen, and the totals. */
export function statusTable(report: FuzzReport): string {
  const codes = [...new Set([...report.statuses.values()].flatMap((row) => [...row.keys()]))].sort((a, b) => a - b);
  const rows = [...report.statuses.entries()].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(9, ...rows.map(([key]) => key.length));
  const cell = (value: string | number) => String(value).padStart(6);
  const lines = [`${'operation'.padEnd(width)} ${codes.map(cell).join(' ')} ${cell('total')}`];
  for (const [key, row] of rows) {
    const total = [...row.values()].reduce((sum, n) => sum + n, 0);
    lines.push(`${key.padEnd(width)} ${codes.map((code) => cell(row.get(code) ?? '')).join(' ')} ${cell(total)}`);
  }
  const totals = codes.map((code) => rows.reduce((sum, [, row]) => sum + (row.get(code) ?? 0), 0));
  lines.push(`${'all'.padEnd(width)} ${totals.map(cell).join(' ')} ${cell(report.cases)}`);
  return lines.join('\n');
}
