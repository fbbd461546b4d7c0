import { WatchlistService } from '../src/watchlist/watchlist.service';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

/** The admin-managed watch list, and the screening e-visa submission asks it. */
describe('Watch list', () => {
  let t: TestApp;
  let admin: Account;
  let officer: Account;
  let citizen: Account;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAccount(t, { role: 'admin' });
    officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    citizen = await createAccount(t);
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;
  const add = async (entry: Record<string, unknown>) => {
    const response = await t.http().post(api('/admin/watchlist')).set(admin.auth).send(entry);
    expect(response.status).toBe(201);
    return response.body as { id: string; [key: string]: unknown };
  };

  it('lets an administrator add, read, page through and delete entries, each change audited', async () => {
    const created = await add({ surname: 'Karimov', givenNames: 'Rustam', dateOfBirth: '1975-06-01', nationality: 'tjk', note: 'Entry ban 12/2025' });
    expect(created).toEqual(
      expect.objectContaining({ surname: 'Karimov', givenNames: 'Rustam', dateOfBirth: '1975-06-01', nationality: 'TJK', note: 'Entry ban 12/2025', createdBy: admin.id }),
    );
    const read = await t.http().get(api(`/admin/watchlist/${created.id}`)).set(admin.auth).expect(200);
    expect(read.body).toEqual(created);

    // The date of birth is sealed at rest, with its keyed hash beside it.
    const [row] = await t.db.query(`SELECT date_of_birth_enc, date_of_birth_hash, folded_name FROM watchlist_entries WHERE id = $1`, [created.id]);
    expect(row.date_of_birth_enc).not.toContain('1975');
    expect(row.date_of_birth_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.folded_name).toBe('karimov rustam');

    const others = [await add({ surname: 'Nazarov', givenNames: 'Timur', note: 'a' }), await add({ surname: 'Olimov', givenNames: '', note: 'b' })];
    const first = await t.http().get(api('/admin/watchlist?limit=2')).set(admin.auth).expect(200);
    expect(first.body.items.map((e: { id: string }) => e.id)).toEqual([others[1].id, others[0].id]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(api(`/admin/watchlist?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`)).set(admin.auth).expect(200);
    expect(second.body.items[0].id).toBe(created.id);

    await t.http().delete(api(`/admin/watchlist/${created.id}`)).set(admin.auth).expect(204);
    expectProblem(await t.http().get(api(`/admin/watchlist/${created.id}`)).set(admin.auth), 404);
    expectProblem(await t.http().delete(api(`/admin/watchlist/${created.id}`)).set(admin.auth), 404);

    const audit = await t.auditQuery(`SELECT action, actor_id FROM audit_events WHERE entity_type = 'watchlist_entry' AND entity_id = $1 ORDER BY id`, [created.id]);
    expect(audit).toEqual([
      { action: 'watchlist.entry_created', actor_id: admin.id },
      { action: 'watchlist.entry_deleted', actor_id: admin.id },
    ]);
  });

  it('is refused to officers and citizens (403)', async () => {
    const entry = await add({ surname: 'Sobirov', givenNames: 'Anvar', note: 'x' });
    for (const account of [officer, citizen]) {
      expectProblem(await t.http().get(api('/admin/watchlist')).set(account.auth), 403);
      expectProblem(await t.http().get(api(`/admin/watchlist/${entry.id}`)).set(account.auth), 403);
      expectProblem(await t.http().post(api('/admin/watchlist')).set(account.auth).send({ surname: 'A', givenNames: 'B', note: 'c' }), 403);
      expectProblem(await t.http().delete(api(`/admin/watchlist/${entry.id}`)).set(account.auth), 403);
    }
    await t.http().get(api(`/admin/watchlist/${entry.id}`)).set(admin.auth).expect(200);
  });

  it('refuses malformed entries', async () => {
    const post = (body: Record<string, unknown>) => t.http().post(api('/admin/watchlist')).set(admin.auth).send(body);
    expectProblem(await post({ surname: 'Karimov', givenNames: 'Rustam', note: 'x', nationality: 'TJ' }), 400);
    expectProblem(await post({ surname: 'Karimov', givenNames: 'Rustam', note: 'x', dateOfBirth: '1975-02-30' }), 400);
    expectProblem(await post({ surname: 'Karimov', givenNames: 'Rustam' }), 400);
    expectProblem(await post({ surname: 'x'.repeat(101), givenNames: 'Rustam', note: 'x' }), 400);
    expectProblem(await post({ surname: 'Karimov\u0000', givenNames: 'Rustam', note: 'x' }), 400);
    expectProblem(await post({ surname: 'Karimov', givenNames: 'Rustam', note: 'x', role: 'admin' }), 400);
    const noLetters = await post({ surname: "'-'", givenNames: '', note: 'x' });
    expectProblem(noLetters, 422);
    expect(noLetters.body.code).toBe('name_without_letters');
    expectProblem(await t.http().get(api('/admin/watchlist/not-a-uuid')).set(admin.auth), 400);
    expectProblem(await t.http().get(api('/admin/watchlist?cursor=forged.cursor')).set(admin.auth), 400);
  });

  it('finds a Cyrillic spelling of a Latin-listed name, with date of birth and nationality, in one call for all people', async () => {
    const listed = await add({ surname: 'Khasanov', givenNames: 'Alisher', dateOfBirth: '1980-03-14', nationality: 'TJK', note: 'Listed in Latin' });
    const anyBirth = await add({ surname: 'Yusupova', givenNames: 'Dilnoza', note: 'No date of birth: any matches' });
    const screening = t.app.get(WatchlistService);
    const matches = await screening.findMatches(t.db.manager, [
      { surname: 'Петров', givenNames: 'Иван', dateOfBirth: '1980-03-14', nationality: 'RUS' },
      { surname: 'Хасанов', givenNames: 'Алишер', dateOfBirth: '1980-03-14', nationality: 'TJK' },
      { surname: 'Xasanov', givenNames: 'Alisher', dateOfBirth: '1981-03-14', nationality: 'TJK' },
      { surname: 'Alisher', givenNames: 'Hasanov', dateOfBirth: '1980-03-14', nationality: 'UZB' },
      { surname: 'ALISHER', givenNames: 'HASSANOV', dateOfBirth: '1980-03-14', nationality: 'tjk' },
      { surname: 'Юсупова', givenNames: 'Дильноза', dateOfBirth: '1999-12-31', nationality: 'UZB' },
      { surname: 'Хасанов', givenNames: 'Алишер' },
    ]);
    expect(matches).toEqual([
      { personIndex: 1, entryId: listed.id, reason: `Watch list: name, date of birth and nationality match entry ${listed.id}` },
      { personIndex: 4, entryId: listed.id, reason: `Watch list: name, date of birth and nationality match entry ${listed.id}` },
      { personIndex: 5, entryId: anyBirth.id, reason: `Watch list: name match entry ${anyBirth.id}` },
    ]);
    expect(await screening.findMatches(t.db.manager, [])).toEqual([]);
  });
});
