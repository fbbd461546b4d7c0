import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { hash, Algorithm } from '@node-rs/argon2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp, createHttpAdapter } from '../../src/app.setup';
import { EmbeddedPostgresThread } from '../../src/database/embedded-postgres.thread';
import { createScratchDatabase } from '../../src/database/scratch-database';
import { Role } from '../../src/common/auth/auth-user';
import { AppConfig } from '../../src/config/app-config';
import { Mailbox } from './mailbox';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  config: AppConfig;
  db: DataSource;
  /**
   * A query over `audit_events` as the portal's own readers make it: events still waiting in `audit_pending` (queued
   * while another transaction held the chain's lock) are sealed into the chain first.
   */
  auditQuery: DataSource['query'];
  mailbox: Mailbox;
  dataDir: string;
  /** Every route the server registered (documentation and HEAD routes included). */
  routes: RegisteredRoute[];
  close(): Promise<void>;
}

export interface RegisteredRoute {
  method: string;
  path: string;
}

/**
 * Boots the whole portal on a database of its own: a new database on the server in DATABASE_URL when set
 * (CI, the real PostgreSQL), otherwise the embedded PostgreSQL in memory. E-mail goes to an in-process SMTP server.
 */
export async function startTestApp(
  overrides: Record<string, string | undefined> = {},
  /** A second API process on the database of `shareDatabaseWith` (real PostgreSQL only), left to that app to drop. */
  options: { shareDatabaseWith?: TestApp } = {},
): Promise<TestApp> {
  const mailbox = await Mailbox.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'consular-test-'));
  const shared = options.shareDatabaseWith?.config.database.url;
  const database = shared ? { url: shared, drop: async () => undefined } : await freshDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(testSettings({ DATA_DIR: dataDir, DATABASE_URL: database.url, SMTP_URL: mailbox.url, ...overrides }))],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(moduleRef.get(AppConfig)), { bodyParser: false, bufferLogs: true });
  const routes = recordRoutes(app);
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer();
  return {
    app,
    http: () => request(server),
    config: app.get(AppConfig),
    db: app.get(DataSource),
    async auditQuery(sql: string, params?: unknown[]) {
      const db = app.get(DataSource);
      await db.query(`SELECT audit_seal_pending()`);
      return db.query(sql, params);
    },
    mailbox,
    dataDir,
    routes,
    async close() {
      await app.close();
      await mailbox.stop().catch(() => undefined);
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every route the HTTP server registers, one entry per method and path, as Fastify's onRoute hook reports it. */
function recordRoutes(app: NestFastifyApplication): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: method.toUpperCase(), path: route.url });
  });
  return routes;
}

/** The settings every test app starts with, under a suite's own. */
export function testSettings(settings: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    EMBEDDED_DB_IN_MEMORY: 'true',
    PUBLIC_BASE_URL: 'https://consular.test',
    JOB_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '1',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...settings,
  };
}

/** Where test/support/global-setup.ts leaves the database that start-up built, for every suite to copy. */
export const STARTED_DATABASE = { template: 'CONSULAR_TEST_TEMPLATE_DATABASE', snapshot: 'CONSULAR_TEST_EMBEDDED_SNAPSHOT' };

/**
 * A copy of the database global setup started the portal on, so that a suite's start finds migrations and the
 * job queue's schema in place: a database made from the template, or an embedded PostgreSQL of its own started
 * from the snapshot. Without them (global setup did not run), an empty database the app migrates itself.
 */
async function freshDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return createScratchDatabase(serverUrl, 'consular_test', process.env[STARTED_DATABASE.template]);
  const snapshot = process.env[STARTED_DATABASE.snapshot];
  if (!snapshot) return { url: undefined, drop: async () => undefined };
  const embedded = await EmbeddedPostgresThread.start({ snapshot });
  return { url: embedded.url, drop: () => embedded.stop() };
}

let counter = 0;
/** A unique e-mail address per call, so tests never share accounts. */
export function uniqueEmail(prefix = 'person'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}@example.org`;
}

export const GOOD_PASSWORD = 'Tashkent-Berlin-Route-77';

let goodPasswordHashOnce: Promise<string> | undefined;
/** Every test account has GOOD_PASSWORD: one Argon2 hash per process serves them all. */
function goodPasswordHash(): Promise<string> {
  goodPasswordHashOnce ??= hash(GOOD_PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  return goodPasswordHashOnce;
}

export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/**
 * An account created straight in the database (for tests about something else than sign-up), then signed in
 * through the API.
 */
export async function createAccount(
  t: TestApp,
  options: { role?: Role; missions?: string[]; verified?: boolean; fullName?: string; locale?: string; email?: string } = {},
): Promise<Account> {
  const email = options.email ?? uniqueEmail(options.role ?? 'citizen');
  const passwordHash = await goodPasswordHash();
  const [row] = (await t.db.query(
    `INSERT INTO users (email, full_name, role, locale, password_hash, email_verified_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() END) RETURNING id`,
    [email, options.fullName ?? 'Test Person', options.role ?? 'citizen', options.locale ?? 'en', passwordHash, options.verified ?? true],
  )) as { id: string }[];
  for (const mission of options.missions ?? []) {
    await t.db.query(`INSERT INTO user_missions (user_id, mission_code) VALUES ($1, $2)`, [row.id, mission]);
  }
  const login = await t.http().post('/api/v1/auth/login').send({ email, password: GOOD_PASSWORD }).expect(200);
  return {
    id: row.id,
    email,
    password: GOOD_PASSWORD,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
    auth: { Authorization: `Bearer ${login.body.accessToken}` },
  };
}

/** Asserts an RFC 9457 problem document with the given status. */
export function expectProblem(response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }));
}
