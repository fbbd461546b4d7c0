import { createPublicKey, verify } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../src/common/canonical-json';
import { chainHash } from '../src/audit/audit-chain';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { AuditService } from '../src/audit/audit.service';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const api = (path: string) => `/api/v1${path}`;

interface Checkpoint {
  lastId: string;
  hash: string;
  count: number;
  signedAt: string;
  kid: string;
  signature: string;
}

async function recordEvents(t: TestApp, n: number, tag: string): Promise<void> {
  const audit = t.app.get(AuditService);
  for (let i = 0; i < n; i += 1) {
    await audit.recordAlone({ actor: null, action: 'test.event', entityType: 'test', entityId: `${tag}-${i}`, details: { i, tag } });
  }
  // Into the chain now, as the worker's sealer would within a second.
  await t.db.query(`SELECT audit_seal_pending()`);
}

async function checkpointNow(t: TestApp, admin: Account): Promise<Checkpoint> {
  return (await t.http().post(api('/admin/audit/checkpoints')).set(admin.auth).expect(201)).body as Checkpoint;
}

async function verifyChain(t: TestApp, admin: Account) {
  return (await t.http().post(api('/admin/audit/verify')).set(admin.auth).expect(200)).body;
}

/** What a database superuser can do: switch the append-only triggers off for one transaction. */
async function asSuperuser(t: TestApp, work: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>): Promise<void> {
  await t.db.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    await work((sql, params) => manager.query(sql, params));
  });
}

describe('Audit checkpoints', () => {
  describe('signing, listing and copies outside the database', () => {
    let t: TestApp;
    let admin: Account;
    beforeAll(async () => {
      t = await startTestApp();
      admin = await createAccount(t, { role: 'admin' });
    });
    afterAll(() => t.close());

    it('is for admins only', async () => {
      const citizen = await createAccount(t);
      const officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
      for (const caller of [citizen, officer]) {
        expectProblem(await t.http().get(api('/admin/audit/checkpoints')).set(caller.auth), 403);
        expectProblem(await t.http().post(api('/admin/audit/checkpoints')).set(caller.auth), 403);
        expectProblem(await t.http().post(api('/admin/audit/verify')).set(caller.auth), 403);
      }
      expectProblem(await t.http().get(api('/admin/audit/checkpoints')), 401);
      expectProblem(await t.http().post(api('/admin/audit/checkpoints')), 401);
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_checkpoints`);
      expect(count).toBe(0);
    });

    it('signs the head with the published key, stores it, lists it, and writes it to the file', async () => {
      await recordEvents(t, 3, 'sign');
      const [head] = await t.db.query(`SELECT id::text AS id, hash FROM audit_events ORDER BY id DESC LIMIT 1`);
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_events`);
      const checkpoint = await checkpointNow(t, admin);
      expect(checkpoint).toEqual({ lastId: head.id, hash: head.hash, count, signedAt: expect.any(String), kid: expect.any(String), signature: expect.any(String) });

      const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body as { keys: { kid: string }[] };
      const jwk = jwks.keys.find((k) => k.kid === checkpoint.kid);
      expect(jwk).toBeDefined();
      const payload = { purpose: 'audit-checkpoint', lastId: checkpoint.lastId, hash: checkpoint.hash, count: checkpoint.count, signedAt: checkpoint.signedAt };
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      expect(verify(null, Buffer.from(canonicalJson(payload)), key, Buffer.from(checkpoint.signature, 'base64url'))).toBe(true);
      expect(verify(null, Buffer.from(canonicalJson({ ...payload, count: count - 1 })), key, Buffer.from(checkpoint.signature, 'base64url'))).toBe(false);

      const lines = readFileSync(join(t.dataDir, 'audit-checkpoints.jsonl'), 'utf8').trim().split('\n');
      expect(JSON.parse(lines[lines.length - 1])).toEqual(checkpoint);

      await recordEvents(t, 1, 'sign-more');
      const second = await checkpointNow(t, admin);
      const first = await t.http().get(api('/admin/audit/checkpoints?limit=1')).set(admin.auth).expect(200);
      expect(first.body.items).toEqual([second]);
      const next = await t.http().get(api(`/admin/audit/checkpoints?limit=1&cursor=${first.body.nextCursor}`)).set(admin.auth).expect(200);
      expect(next.body).toEqual({ items: [checkpoint], nextCursor: null });
      expectProblem(await t.http().get(api('/admin/audit/checkpoints?cursor=bm90LWEtY3Vyc29y')).set(admin.auth), 400);

      const verified = await verifyChain(t, admin);
      expect(verified).toMatchObject({ ok: true, firstBrokenId: null, checkpoints: 2, truncated: false, rewritten: false, findings: [] });
      expect(verified.checked).toBe(second.count);
    });

    it('makes a scheduled checkpoint only when the head has moved', async () => {
      const service = t.app.get(AuditCheckpointsService);
      await recordEvents(t, 1, 'job');
      const made = await service.checkpointIfMoved();
      expect(made).not.toBeNull();
      expect(await service.checkpointIfMoved()).toBeNull();
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_checkpoints WHERE last_id = $1`, [made?.lastId]);
      expect(count).toBe(1);
    });

    it('refuses changes to checkpoint rows, and reports forged checkpoints in the table and in the file', async () => {
      await expect(t.db.query(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/append-only/);
      await expect(t.db.query(`UPDATE audit_checkpoints SET count = 0`)).rejects.toThrow(/append-only/);
      const real = await checkpointNow(t, admin);
      const forgedSignature = `${real.signature.slice(0, 10)}${real.signature[10] === 'A' ? 'B' : 'A'}${real.signature.slice(11)}`;
      await t.db.query(`INSERT INTO audit_checkpoints (last_id, hash, count, signed_at, kid, signature) VALUES ($1, $2, $3, $4, $5, $6)`, [
        real.lastId,
        'f'.repeat(64),
        real.count,
        real.signedAt,
        real.kid,
        real.signature,
      ]);
      appendFileSync(join(t.dataDir, 'audit-checkpoints.jsonl'), `${JSON.stringify({ ...real, signature: forgedSignature })}\nnot a checkpoint\n`);

      const verified = await verifyChain(t, admin);
      expect(verified.ok).toBe(false);
      const kinds = verified.findings.map((f: { kind: string; sources: string[] }) => `${f.kind}:${f.sources.join('+')}`).sort();
      expect(kinds).toEqual(['forged_checkpoint:file', 'forged_checkpoint:table', 'unreadable_checkpoint:file']);
      // The forged ones are not trusted, so the chain itself still checks out against the real ones.
      expect(verified).toMatchObject({ truncated: false, rewritten: false, firstBrokenId: null });
    });
  });

  describe('a superuser deleting the newest events', () => {
    let t: TestApp;
    let admin: Account;
    beforeAll(async () => {
      t = await startTestApp();
      admin = await createAccount(t, { role: 'admin' });
    });
    afterAll(() => t.close());

    it('is reported as a truncated tail, even when the checkpoint rows are deleted too', async () => {
      await recordEvents(t, 6, 'tail');
      const checkpoint = await checkpointNow(t, admin);
      expect((await verifyChain(t, admin)).ok).toBe(true);

      await asSuperuser(t, async (query) => {
        await query(`DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events ORDER BY id DESC LIMIT 3)`);
      });
      const verified = await verifyChain(t, admin);
      expect(verified).toMatchObject({ ok: false, truncated: true, rewritten: false, firstBrokenId: checkpoint.lastId, checked: checkpoint.count - 3 });
      expect(verified.findings).toEqual([
        expect.objectContaining({ kind: 'truncated', eventId: checkpoint.lastId, checkpoint, sources: ['table', 'file'] }),
      ]);

      // The checkpoint rows go as well: the file still holds the signed head.
      await asSuperuser(t, async (query) => {
        await query(`DELETE FROM audit_checkpoints`);
      });
      const withoutRows = await verifyChain(t, admin);
      expect(withoutRows).toMatchObject({ ok: false, truncated: true, firstBrokenId: checkpoint.lastId });
      expect(withoutRows.findings.map((f: { kind: string }) => f.kind).sort()).toEqual(['checkpoint_missing_from_table', 'truncated']);

      // New events appended after the deletion do not hide it: the signed event is simply gone.
      await recordEvents(t, 5, 'after');
      const later = await verifyChain(t, admin);
      expect(later).toMatchObject({ ok: false, truncated: true, firstBrokenId: checkpoint.lastId });
      expect(later.findings.map((f: { kind: string }) => f.kind)).toContain('missing_event');
    });
  });

  describe('a superuser rewriting an event and recomputing every later hash', () => {
    let t: TestApp;
    let admin: Account;
    beforeAll(async () => {
      t = await startTestApp();
      admin = await createAccount(t, { role: 'admin' });
    });
    afterAll(() => t.close());

    it('passes the link check but is reported against the checkpoint', async () => {
      await recordEvents(t, 6, 'rewrite');
      const checkpoint = await checkpointNow(t, admin);
      await recordEvents(t, 2, 'rewrite-later');

      const events = t.db.getRepository(AuditEvent);
      const [target] = await t.db.query(`SELECT id::text AS id FROM audit_events WHERE entity_id = 'rewrite-2'`);
      // Read first: the embedded database serves one connection at a time, and the transaction below holds it.
      const rows = await events.createQueryBuilder('e').where('e.id >= :id', { id: target.id }).orderBy('e.id', 'ASC').getMany();
      await asSuperuser(t, async (query) => {
        let prevHash = rows[0].prevHash;
        for (const row of rows) {
          const details = row.id === target.id ? { i: 2, tag: 'innocent' } : row.details;
          const hash = chainHash(prevHash, { ...row, details });
          await query(`UPDATE audit_events SET details = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [row.id, details, prevHash, hash]);
          prevHash = hash;
        }
      });

      const verified = await verifyChain(t, admin);
      expect(verified).toMatchObject({ ok: false, rewritten: true, truncated: false, firstBrokenId: checkpoint.lastId });
      expect(verified.findings).toEqual([expect.objectContaining({ kind: 'rewritten', eventId: checkpoint.lastId, checkpoint })]);
      // No link is broken: only the checkpoint shows it.
      expect(verified.findings.some((f: { kind: string }) => f.kind === 'broken_link')).toBe(false);
    });
  });
});
