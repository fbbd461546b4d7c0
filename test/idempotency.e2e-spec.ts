import { randomUUID } from 'node:crypto';
import { IdempotencyKeysRepository } from '../src/common/idempotency/idempotency-keys.repository';
import { activeRegistration } from './support/registration-seed';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';

const request = (fullName = 'Dilshod Karimov') => ({
  type: 'consular-registration-certificate',
  missionCode: 'BER',
  fields: {
    fullName,
    dateOfBirth: '1990-04-12',
    placeOfBirth: 'Fargʻona',
    passportNumber: 'FA1234567',
    countryOfResidence: 'DE',
    addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
    phone: '+493012345678',
  },
});

describe('Idempotency-Key on POST /document-requests', () => {
  let t: TestApp;
  let citizen: Account;
  let other: Account;

  const submit = (account: Account, key: string | undefined, body: Record<string, unknown> = request()) => {
    const call = t.http().post(`${API}/document-requests`).set(account.auth);
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };
  const requestsOf = async (account: Account) =>
    Number((await t.db.query(`SELECT count(*) AS n FROM document_requests WHERE owner_id = $1`, [account.id]))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    [citizen, other] = await Promise.all([createAccount(t), createAccount(t)]);
    await Promise.all([citizen, other].map((account) => activeRegistration(t, account)));
  });
  afterAll(() => t.close());

  it('replays the first response for a retry with the same key and body, and does the work once', async () => {
    const key = randomUUID();
    const before = await requestsOf(citizen);
    const first = await submit(citizen, key).expect(201);
    const again = await submit(citizen, key).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await requestsOf(citizen)).toBe(before + 1);
    const audited = await t.auditQuery(`SELECT 1 FROM audit_events WHERE action = 'document_request.submitted' AND entity_id = $1`, [first.body.id]);
    expect(audited).toHaveLength(1);
  });

  it('stores the response encrypted: no personal data in the keys table', async () => {
    const key = randomUUID();
    await submit(citizen, key, request('Malika Unusualname')).expect(201);
    const [row] = await t.db.query(`SELECT response FROM idempotency_keys WHERE key = $1`, [key]);
    expect(row.response).not.toContain('Unusualname');
  });

  it('refuses the same key with another body (422) and does nothing', async () => {
    const key = randomUUID();
    await submit(citizen, key).expect(201);
    const before = await requestsOf(citizen);
    const response = await submit(citizen, key, request('Someone Else'));
    expectProblem(response, 422);
    expect(response.body.code).toBe('idempotency_key_reused');
    expect(await requestsOf(citizen)).toBe(before);
  });

  it('runs one of several concurrent requests with one key; the other waits its turn (409) or gets the replay', async () => {
    const key = randomUUID();
    const before = await requestsOf(citizen);
    const responses = await Promise.all([submit(citizen, key), submit(citizen, key), submit(citizen, key)]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(await requestsOf(citizen)).toBe(before + 1);
    const created = responses.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const conflict of responses.filter((r) => r.status === 409)) {
      expect(conflict.body.code).toBe('idempotency_key_in_progress');
      expect(conflict.headers['retry-after']).toBe('1');
    }
  });

  it('scopes keys to the caller: another person’s same key and body is a request of their own', async () => {
    const key = randomUUID();
    const mine = await submit(citizen, key).expect(201);
    const theirs = await submit(other, key).expect(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.ownerId).toBe(other.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('frees the key when the first request fails, so a corrected retry runs', async () => {
    const key = randomUUID();
    expectProblem(await submit(citizen, key, { ...request(), missionCode: 'NOPE' }), 422);
    expect(await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toHaveLength(0);
  });

  it('without the header every POST is a new request; a malformed key is a 400', async () => {
    const before = await requestsOf(citizen);
    await submit(citizen, undefined).expect(201);
    await submit(citizen, undefined).expect(201);
    expect(await requestsOf(citizen)).toBe(before + 2);
    const response = await submit(citizen, 'has spaces in it');
    expectProblem(response, 400);
    expect(response.body.code).toBe('invalid_idempotency_key');
  });

  it('purges expired keys in one set-based pass', async () => {
    const key = randomUUID();
    await submit(citizen, key).expect(201);
    await t.db.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    expect(await t.app.get(IdempotencyKeysRepository).purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await t.db.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toHaveLength(0);
    // An expired key is free again: the same key runs anew.
    const fresh = await submit(citizen, key).expect(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
  });
});
