/**
 * The yardstick of bench/http.ts: a bare Fastify 5 + pg server answering the benchmarked routes with the portal's
 * SQL and the per-request work the portal must do (HS256 verification with a KeyObject, the session check, JSON of
 * the same body). Started by the bench as its own process so that its CPU time can be read apart; prints
 * `listening <port>` once it serves.
 *
 *   BARE_DATABASE_URL=… BARE_JWT_SECRET=… BARE_DATA_ENCRYPTION_KEY=… node -r ts-node/register/transpile-only bench/support/bare-http-server.ts
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import Fastify from 'fastify';
import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Pool, PoolClient } from 'pg';
import { chainHash, GENESIS_HASH } from '../../src/audit/audit-chain';
import { newSecretToken } from '../../src/auth/secret-token';
import { FieldCipher } from '../../src/common/crypto/field-cipher';
import { byCreation, Paginator } from '../../src/common/http/pagination';
import type { AppConfig } from '../../src/config/app-config';


const ISSUER = 'consular-portal';
const ACCESS_TTL_SECONDS = 900;
const REFRESH_TTL_DAYS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STAFF_ROLES = new Set(['officer', 'consul', 'admin']);
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: Number(process.env.BARE_POOL_SIZE ?? 10) });
const cipher = new FieldCipher(Buffer.from(process.env.BARE_DATA_ENCRYPTION_KEY ?? '', 'base64'));
const pages = new Paginator({ dataEncryptionKey: Buffer.from(process.env.BARE_DATA_ENCRYPTION_KEY ?? '', 'base64') } as AppConfig);
const QUEUE = byCreation<{ createdAt: Date; id: string }>('staff-registrations', 'ASC', 'r');
const key = createSecretKey(Buffer.from(process.env.BARE_JWT_SECRET ?? '', 'utf8'));
const app = Fastify({ logger: false });

interface SessionUser {
  id: string;
  role: string;
  missions: string[];
}

const problem = (status: number, code: string) => ({ type: `about:blank#${code}`, title: code, status, detail: code });

/** Bearer token verified with a KeyObject, then the session check the portal's strategy runs. */
async function authenticate(authorization: string | undefined): Promise<SessionUser | null> {
  if (!authorization?.startsWith('Bearer ')) return null;
  let claims: { sub?: unknown; sv?: unknown; sid?: unknown };
  try {
    claims = jwt.verify(authorization.slice(7), key, { algorithms: ['HS256'], issuer: ISSUER }) as typeof claims;
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || typeof claims.sv !== 'number' || typeof claims.sid !== 'string' || !UUID.test(claims.sid)) return null;
  const { rows } = await pool.query(
    `SELECT u.id, u.email, u.role, u.locale, u.email_verified_at IS NOT NULL AS verified,
            ARRAY(SELECT m.mission_code FROM user_missions m WHERE m.user_id = u.id ORDER BY m.mission_code) AS missions
       FROM users u
      WHERE u.id = $1 AND u.session_version = $2
        AND EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = $3 AND r.revoked_at IS NULL AND r.user_id = u.id)`,
    [claims.sub, claims.sv, claims.sid],
  );
  return rows[0] ?? null;
}

app.get('/health/live', async () => ({ status: 'ok', info: {}, error: {}, details: {} }));

/** The missions as of a version of the table, reloaded when the version moves (as the portal does). */
let missions: { version: string; rows: unknown[] } | null = null;

app.get('/api/v1/missions', async () => {
  const { version } = (await pool.query(`SELECT version FROM reference_versions WHERE name = 'missions'`)).rows[0];
  if (missions?.version !== version) {
    const { rows } = await pool.query(
      `SELECT code, kind, name, country, city, jurisdiction, languages, timezone, contacts, active FROM missions ORDER BY country, code`,
    );
    missions = { version, rows };
  }
  return (missions as { rows: unknown[] }).rows.filter((m) => (m as { active: boolean }).active);
});

app.get<{ Querystring: { status?: string; limit?: string } }>('/api/v1/staff/registrations', async (request, reply) => {
  const user = await authenticate(request.headers.authorization);
  if (!user) return reply.code(401).type('application/problem+json').send(problem(401, 'unauthenticated'));
  if (!STAFF_ROLES.has(user.role)) return reply.code(403).type('application/problem+json').send(problem(403, 'forbidden'));
  const limit = Number(request.query.limit ?? 20);
  const { rows } = await pool.query(
    `SELECT q.* FROM unnest(COALESCE($1::text[], ARRAY(SELECT code FROM missions))) AS m(code)
       CROSS JOIN unnest($2::text[]) AS s(status)
       CROSS JOIN LATERAL (
         SELECT r.id AS "id", r.mission_code AS "missionCode", r.kind AS "kind", r.status AS "status", r.full_name AS "fullName",
                r.date_of_birth AS "dateOfBirth", r.country AS "country", r.region AS "region", r.address_city AS "addressCity",
                r.arrival_date::text AS "arrivalDate", r.departure_date::text AS "departureDate",
                r.passport_number_masked AS "passportNumberMasked", r.family_count AS "familyCount", r.created_at AS "createdAt"
           FROM registrations r
          WHERE r.mission_code = m.code AND r.status = s.status
            AND ($4::timestamptz IS NULL OR (r.created_at, r.id) > ($4::timestamptz, $5::uuid))
          ORDER BY r.created_at, r.id
          LIMIT $3) q
      ORDER BY q."createdAt", q.id
      LIMIT $3`,
    [user.role === 'admin' ? null : user.missions, [request.query.status ?? 'pending'], limit + 1, null, null],
  );
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((r) => ({
    id: r.id,
    missionCode: r.missionCode,
    kind: r.kind,
    status: r.status,
    fullName: r.fullName,
    dateOfBirth: cipher.open(r.dateOfBirth),
    country: r.country,
    region: r.region,
    city: r.addressCity,
    arrivalDate: r.arrivalDate,
    departureDate: r.departureDate,
    passportNumberMasked: r.passportNumberMasked,
    familyCount: r.familyCount,
    createdAt: r.createdAt,
  }));
  return { items, nextCursor: more ? pages.encode(QUEUE, items[items.length - 1]) : null };
});

app.post<{ Body: { email?: string; password?: string } }>('/api/v1/auth/login', async (request, reply) => {
  const email = String(request.body?.email ?? '').trim().toLowerCase();
  const { rows } = await pool.query(`SELECT id, role, session_version AS "sessionVersion", password_hash AS "passwordHash" FROM users WHERE email = $1`, [
    email,
  ]);
  const user = rows[0];
  const accountKey = cipher.lookupHash(`sign-in e-mail:${email}`);
  const blocked = await pool.query(
    `SELECT ceil(extract(epoch FROM max(blocked_until) - now()))::int AS seconds
       FROM login_failures WHERE account_key = $1 AND source IN ($2, '*') AND blocked_until > now()`,
    [accountKey, request.ip],
  );
  if ((blocked.rows[0]?.seconds ?? 0) > 0) return reply.code(429).type('application/problem+json').send(problem(429, 'login_slowed_down'));
  const ok = user?.passwordHash ? await argonVerify(user.passwordHash, String(request.body?.password ?? '')) : false;
  if (!user || !ok) return reply.code(401).type('application/problem+json').send(problem(401, 'invalid_credentials'));
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`DELETE FROM login_failures WHERE account_key = $1 AND source = $2`, [accountKey, request.ip]);
    const missions = (await client.query(`SELECT mission_code FROM user_missions WHERE user_id = $1 ORDER BY mission_code`, [user.id])).rows.map(
      (m: { mission_code: string }) => m.mission_code,
    );
    const refresh = newSecretToken();
    const familyId = randomUUID();
    await client.query(
      `INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [randomUUID(), user.id, familyId, refresh.hash, new Date(Date.now() + REFRESH_TTL_DAYS * 86_400_000), request.ip, request.headers['user-agent'] ?? null],
    );
    const accessToken = jwt.sign({ sub: user.id, role: user.role, missions, sv: user.sessionVersion, sid: familyId }, key, {
      algorithm: 'HS256',
      expiresIn: ACCESS_TTL_SECONDS,
      issuer: ISSUER,
    });
    await appendAudit(client, user, request.ip, String(request.id));
    await client.query('COMMIT');
    return { accessToken, refreshToken: refresh.token, expiresIn: ACCESS_TTL_SECONDS, tokenType: 'Bearer' };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
});

/** The portal's audit append: the chain's lock, the last hash, one row. */
async function appendAudit(client: PoolClient, user: { id: string; role: string }, ip: string, requestId: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('audit_events'))`);
  const last = (await client.query(`SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`)).rows[0] as { hash: string } | undefined;
  const content = {
    occurredAt: new Date(),
    actorId: user.id,
    actorRole: user.role,
    action: 'auth.login_succeeded',
    entityType: 'user',
    entityId: user.id,
    missionCode: null,
    ip,
    requestId,
    details: {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await client.query(
    `INSERT INTO audit_events (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [content.occurredAt, content.actorId, content.actorRole, content.action, content.entityType, content.entityId, null, ip, requestId, {}, prevHash, chainHash(prevHash, content)],
  );
}

async function main(): Promise<void> {
  // The portal hashes a dummy password at start for constant-time misses; the same warm-up here.
  await argonHash('warm-up', ARGON2);
  await app.listen({ port: Number(process.env.BARE_PORT ?? 0), host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
}

const stop = () => {
  void app.close().then(() => pool.end()).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
