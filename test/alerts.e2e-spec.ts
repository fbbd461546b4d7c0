import { createPublicKey, verify } from 'node:crypto';
import { FieldCipher, normalisePassportNumber } from '../src/common/crypto/field-cipher';
import { alertAudienceSelect } from '../src/alerts/alert-audience';
import { AlertsRepository } from '../src/alerts/alerts.repository';
import { sealRegistration } from '../src/registrations/registration-sealing';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const api = (path: string) => `/api/v1${path}`;

interface Seed {
  missionCode?: string;
  status?: 'active' | 'pending';
  country?: string;
  region: string;
  lat: number;
  lon: number;
  phone?: string;
  family?: string[];
}

/**
 * Emergency alerts, staff and citizen sides: four eyes, transitions, audience, signature, crisis view and answers.
 * Delivery is another suite's: where a test needs recipients, it materialises them with the audience SQL the
 * delivery job uses (idempotent, so a delivery job running meanwhile changes nothing).
 */
describe('Emergency alerts', () => {
  let t: TestApp;
  let author: Account;
  let approver: Account;
  let officer: Account;
  let moscowConsul: Account;
  let admin: Account;
  let citizen: Account;
  let neighbour: Account;
  let hamburger: Account;
  let stranger: Account;
  let firstAlertId: string;

  beforeAll(async () => {
    t = await startTestApp();
    author = await createAccount(t, { role: 'consul', missions: ['BER'] });
    approver = await createAccount(t, { role: 'consul', missions: ['BER'] });
    officer = await createAccount(t, { role: 'officer', missions: ['BER'] });
    moscowConsul = await createAccount(t, { role: 'consul', missions: ['MOW'] });
    admin = await createAccount(t, { role: 'admin' });
    citizen = await createAccount(t, { locale: 'ru', fullName: 'Dilnoza Karimova' });
    neighbour = await createAccount(t, { locale: 'uz', fullName: 'Aziz Berlinov' });
    hamburger = await createAccount(t, { fullName: 'Olim Hamburgov' });
    stranger = await createAccount(t);
    const pending = await createAccount(t);
    const frankfurt = await createAccount(t);
    await seed(citizen, { region: 'DE-BE', lat: 52.52, lon: 13.405, phone: '+4915112345678', family: ['Malika Karimova', 'Timur Karimov'] });
    await seed(neighbour, { region: 'DE-BE', lat: 52.5, lon: 13.42, family: ['Laylo Berlinova'] });
    await seed(hamburger, { region: 'DE-HH', lat: 53.5511, lon: 9.9937 });
    await seed(pending, { region: 'DE-BE', lat: 52.51, lon: 13.4, status: 'pending' });
    await seed(frankfurt, { region: 'DE-BE', lat: 52.51, lon: 13.4, missionCode: 'FRA' });
  });
  afterAll(() => t.close());

  let seeded = 0;
  async function seed(owner: Account, s: Seed): Promise<void> {
    seeded += 1;
    const cipher = t.app.get(FieldCipher);
    const passport = normalisePassportNumber(`FA${String(1000000 + seeded)}`);
    const sealed = sealRegistration(cipher, {
      addressLine1: `Alertstraße ${seeded}`,
      phone: s.phone ?? `+49151000000${seeded}`,
      dateOfBirth: '1990-01-01',
      familyMembers: (s.family ?? []).map((name) => ({ name, relation: 'child', dateOfBirth: '2015-05-05', passportNumberEnc: null, passportNumberMasked: null })),
    });
    await t.db.query(
      `INSERT INTO registrations (owner_id, mission_code, kind, status, full_name, address_line1, address_city, country, region, lat, lon,
         phone, arrival_date, purpose, passport_number_enc, passport_number_hash, passport_number_masked, date_of_birth, family_members, verified_at)
       SELECT $1, $2, 'permanent', $3, u.full_name, $4, 'Berlin', $5, $6, $7, $8, $9, '2024-01-01', 'residence', $10, $11, $12, $13, $14::jsonb,
              CASE WHEN $3 = 'active' THEN now() END
         FROM users u WHERE u.id = $1`,
      [
        owner.id, s.missionCode ?? 'BER', s.status ?? 'active', sealed.addressLine1, s.country ?? 'DE', s.region, s.lat, s.lon, sealed.phone,
        cipher.encrypt(passport), cipher.lookupHash(passport), cipher.mask(passport), sealed.dateOfBirth, JSON.stringify(sealed.familyMembers),
      ],
    );
  }

  /** What the delivery job's first step does: one recipient row per person the alert reaches (idempotent). */
  async function materialise(alertId: string): Promise<void> {
    const alert = await t.app.get(AlertsRepository).findById(t.db.manager, alertId);
    const params: unknown[] = [alertId];
    await t.db.query(
      `INSERT INTO alert_recipients (alert_id, user_id, registration_id, language)
       SELECT $1, audience.user_id, audience.registration_id, coalesce(nullif(u.locale, ''), 'en')
         FROM (${alertAudienceSelect(alert!, params)}) audience JOIN users u ON u.id = audience.user_id
       ON CONFLICT (alert_id, user_id) DO NOTHING`,
      params,
    );
  }

  const berlinAlert = (overrides: Record<string, unknown> = {}) => ({
    missionCode: 'BER',
    kind: 'shelter_in_place',
    severity: 'extreme',
    area: { regions: ['de-be'] },
    content: {
      ru: { title: 'Оставайтесь дома', body: 'В центре Берлина идёт полицейская операция.', instructions: 'Не подходите к окнам.' },
      en: { title: 'Shelter in place', body: 'A police operation is under way in central Berlin.' },
    },
    followUp: { everyMinutes: 60, maxRounds: 3 },
    ...overrides,
  });

  async function draft(by: Account, overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await t.http().post(api('/staff/alerts')).set(by.auth).send(berlinAlert(overrides)).expect(201);
    return created.body.id;
  }

  async function pendingAlert(by: Account = author, overrides: Record<string, unknown> = {}, submitter: Account = officer): Promise<string> {
    const id = await draft(by, overrides);
    await t.http().post(api(`/staff/alerts/${id}/submit`)).set(submitter.auth).expect(200);
    return id;
  }

  const auditCount = async (id: string, action: string): Promise<number> =>
    (await t.auditQuery(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'alert' AND entity_id = $1 AND action = $2`, [id, action]))[0].n;
  const jobCount = async (name: string, id: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'alertId' = $2`, [name, id]))[0].n;

  describe('writing', () => {
    it('creates a draft with the languages in the order written', async () => {
      const created = await t.http().post(api('/staff/alerts')).set(author.auth).send(berlinAlert()).expect(201);
      expect(created.body).toMatchObject({
        missionCode: 'BER',
        status: 'draft',
        area: { regions: ['DE-BE'] },
        languages: ['ru', 'en'],
        followUp: { everyMinutes: 60, maxRounds: 3 },
        authorId: author.id,
        signature: null,
        approvedAt: null,
      });
      expect(created.body.content.ru.instructions).toBe('Не подходите к окнам.');
    });

    it.each([
      ['a language the portal does not speak', { content: { fr: { title: 'Restez chez vous', body: 'Opération de police.' } } }, 'content.fr'],
      ['a title over 200 characters', { content: { en: { title: 'x'.repeat(201), body: 'Body' } } }, 'content.en.title'],
      ['a body over 5,000 characters', { content: { en: { title: 'Title', body: 'x'.repeat(5001) } } }, 'content.en.body'],
      ['no content', { content: {} }, 'content'],
      ['an unknown text field', { content: { en: { title: 'T', body: 'B', footer: 'F' } } }, 'content.en.footer'],
      ['a circle wider than 2,000 km', { area: { circle: { lat: 52.5, lon: 13.4, radiusKm: 2500 } } }, 'area.circle.radiusKm'],
      ['a zero radius', { area: { circle: { lat: 52.5, lon: 13.4, radiusKm: 0 } } }, 'area.circle.radiusKm'],
      ['a latitude off the globe', { area: { circle: { lat: 95, lon: 13.4, radiusKm: 10 } } }, 'area.circle.lat'],
      ['follow-ups every 5 minutes', { followUp: { everyMinutes: 5, maxRounds: 3 } }, 'followUp.everyMinutes'],
      ['eleven follow-up rounds', { followUp: { everyMinutes: 60, maxRounds: 11 } }, 'followUp.maxRounds'],
      ['an unknown kind', { kind: 'invasion' }, 'kind'],
    ])('refuses %s with 400', async (_label, overrides, field) => {
      const response = await t.http().post(api('/staff/alerts')).set(author.auth).send(berlinAlert(overrides));
      expectProblem(response, 400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it.each([
      ['a country outside the mission’s jurisdiction', { area: { countries: ['FR'] } }, 'area.countries'],
      ['a region outside it', { area: { regions: ['FR-IDF'] } }, 'area.regions'],
      ['an empty area', { area: {} }, 'area'],
      ['an expiry in the past', { expiresAt: '2020-01-01T00:00:00Z' }, 'expiresAt'],
    ])('refuses %s with 422', async (_label, overrides, field) => {
      const response = await t.http().post(api('/staff/alerts')).set(author.auth).send(berlinAlert(overrides));
      expectProblem(response, 422);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses an alert for a mission the caller does not serve (404) and from a citizen (403)', async () => {
      expectProblem(await t.http().post(api('/staff/alerts')).set(moscowConsul.auth).send(berlinAlert()), 404);
      expectProblem(await t.http().post(api('/staff/alerts')).set(citizen.auth).send(berlinAlert()), 403);
    });

    it('refuses to supersede an alert that was never broadcast', async () => {
      const unsent = await draft(author);
      const response = await t.http().post(api('/staff/alerts')).set(author.auth).send(berlinAlert({ kind: 'update', supersedes: unsent }));
      expectProblem(response, 422);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['supersedes']);
    });
  });

  describe('four eyes', () => {
    it('moves draft → pending_approval, once', async () => {
      const id = await draft(author);
      const submitted = await t.http().post(api(`/staff/alerts/${id}/submit`)).set(officer.auth).expect(200);
      expect(submitted.body).toMatchObject({ status: 'pending_approval', submittedAt: expect.any(String) });
      expectProblem(await t.http().post(api(`/staff/alerts/${id}/submit`)).set(officer.auth), 409);
    });

    it('refuses the author’s own approval, an officer’s, and hides the alert from another mission’s consul', async () => {
      const id = await pendingAlert(author);
      const own = await t.http().post(api(`/staff/alerts/${id}/approve`)).set(author.auth);
      expectProblem(own, 403);
      expect(own.body.code).toBe('own_alert_approval');
      const byOfficer = await t.http().post(api(`/staff/alerts/${id}/approve`)).set(officer.auth);
      expectProblem(byOfficer, 403);
      expect(byOfficer.body.code).toBe('role_not_allowed');
      expectProblem(await t.http().post(api(`/staff/alerts/${id}/approve`)).set(moscowConsul.auth), 404);
      expectProblem(await t.http().get(api(`/staff/alerts/${id}`)).set(moscowConsul.auth), 404);
      const unchanged = await t.http().get(api(`/staff/alerts/${id}`)).set(author.auth).expect(200);
      expect(unchanged.body.status).toBe('pending_approval');
    });

    it('refuses an admin’s approval of an alert the admin wrote', async () => {
      const id = await pendingAlert(admin);
      const own = await t.http().post(api(`/staff/alerts/${id}/approve`)).set(admin.auth);
      expectProblem(own, 403);
      expect(own.body.code).toBe('own_alert_approval');
    });

    it('drafts for a mission without a phone, but approves only once the mission has one to put in the alert', async () => {
      const [fraAuthor, fraApprover] = await Promise.all([
        createAccount(t, { role: 'consul', missions: ['FRA'] }),
        createAccount(t, { role: 'consul', missions: ['FRA'] }),
      ]);
      // Every seeded mission has an emergency line: take Frankfurt's lines away to see the approval refused without one.
      await t.db.query(`UPDATE missions SET contacts = contacts - 'emergencyPhone' - 'phone' WHERE code = 'FRA'`);
      const id = await pendingAlert(fraAuthor, { missionCode: 'FRA', area: { regions: ['DE-BY'] } }, fraAuthor);
      const refused = await t.http().post(api(`/staff/alerts/${id}/approve`)).set(fraApprover.auth);
      expectProblem(refused, 409);
      expect(refused.body.code).toBe('mission_without_emergency_phone');
      await t.db.query(`UPDATE missions SET contacts = contacts || '{"emergencyPhone": "+49 69 1234567"}'::jsonb WHERE code = 'FRA'`);
      const approved = await t.http().post(api(`/staff/alerts/${id}/approve`)).set(fraApprover.auth).expect(200);
      expect(approved.body).toMatchObject({ status: 'broadcasting', emergencyPhone: '+49 69 1234567' });
    });

    it('counts the audience: active registrations of the mission in the area, with their families', async () => {
      const id = await draft(author);
      const audience = await t.http().get(api(`/staff/alerts/${id}/audience`)).set(author.auth).expect(200);
      // citizen and neighbour; not the pending registration, not Frankfurt's registrant, not Hamburg.
      expect(audience.body).toEqual({ count: 2, familyMembers: 3 });
    });

    it('approves by another consul: signed, audited once, materialisation enqueued in the same transaction', async () => {
      firstAlertId = await pendingAlert(author);
      const started = Date.now();
      const approved = await t.http().post(api(`/staff/alerts/${firstAlertId}/approve`)).set(approver.auth).expect(200);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(approved.body).toMatchObject({
        status: 'broadcasting',
        approvedBy: approver.id,
        emergencyPhone: '+49 170 3940980',
        signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
        kid: expect.any(String),
        nextRoundAt: expect.any(String),
      });
      expect(new Date(approved.body.nextRoundAt).getTime() - new Date(approved.body.approvedAt).getTime()).toBe(60 * 60_000);
      expect(await auditCount(firstAlertId, 'alert.approved')).toBe(1);
      expect(await jobCount('alerts.materialise', firstAlertId)).toBe(1);
      expectProblem(await t.http().post(api(`/staff/alerts/${firstAlertId}/approve`)).set(approver.auth), 409);
      expectProblem(await t.http().post(api(`/staff/alerts/${firstAlertId}/cancel`)).set(approver.auth), 409);
    });

    it('signs content that verifies with the published key, and a changed text does not', async () => {
      const alert = (await t.http().get(api(`/staff/alerts/${firstAlertId}`)).set(author.auth).expect(200)).body;
      const jwks = (await t.http().get('/.well-known/jwks.json').expect(200)).body as { keys: { kid: string }[] };
      const jwk = jwks.keys.find((k) => k.kid === alert.kid);
      expect(jwk).toBeDefined();
      const key = createPublicKey({ key: jwk as object as import('node:crypto').JsonWebKey, format: 'jwk' });
      const signature = Buffer.from(alert.signature, 'base64url');
      const signed = JSON.parse(alert.canonical);
      expect(signed).toMatchObject({ id: firstAlertId, missionCode: 'BER', emergencyPhone: '+49 170 3940980', approvedAt: alert.approvedAt, supersedes: null });
      expect(signed.content.en.title).toBe('Shelter in place');
      expect(verify(null, Buffer.from(alert.canonical, 'utf8'), key, signature)).toBe(true);
      const forged = alert.canonical.replace('Shelter in place', 'Evacuate now');
      expect(forged).not.toBe(alert.canonical);
      expect(verify(null, Buffer.from(forged, 'utf8'), key, signature)).toBe(false);
    });

    it('cancels a draft or a pending alert, and nothing leaves cancelled', async () => {
      const id = await draft(author);
      const cancelled = await t.http().post(api(`/staff/alerts/${id}/cancel`)).set(officer.auth).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
      expect(await auditCount(id, 'alert.cancelled')).toBe(1);
      expectProblem(await t.http().post(api(`/staff/alerts/${id}/submit`)).set(officer.auth), 409);
      expectProblem(await t.http().post(api(`/staff/alerts/${id}/approve`)).set(approver.auth), 409);
      const pending = await pendingAlert(author);
      await t.http().post(api(`/staff/alerts/${pending}/cancel`)).set(approver.auth).expect(200);
      expectProblem(await t.http().post(api(`/staff/alerts/${pending}/cancel`)).set(moscowConsul.auth), 404);
    });

    it('lists the alerts of my missions only', async () => {
      const mine = await t.http().get(api('/staff/alerts?missionCode=BER&limit=100')).set(officer.auth).expect(200);
      expect(mine.body.items.map((a: { id: string }) => a.id)).toContain(firstAlertId);
      const theirs = await t.http().get(api('/staff/alerts?limit=100')).set(moscowConsul.auth).expect(200);
      expect(theirs.body.items).toEqual([]);
      const broadcasting = await t.http().get(api('/staff/alerts?status=broadcasting&limit=1')).set(officer.auth).expect(200);
      expect(broadcasting.body.items.every((a: { status: string }) => a.status === 'broadcasting')).toBe(true);
    });
  });

  describe('crisis view and answers', () => {
    beforeAll(() => materialise(firstAlertId));

    it('shows the citizen the alert in their language', async () => {
      const mine = await t.http().get(api('/alerts')).set(citizen.auth).expect(200);
      expect(mine.body.items).toHaveLength(1);
      expect(mine.body.items[0]).toMatchObject({
        id: firstAlertId,
        language: 'ru',
        title: 'Оставайтесь дома',
        instructions: 'Не подходите к окнам.',
        emergencyPhone: '+49 170 3940980',
        myResponse: null,
      });
      // Uzbek is not among the alert's languages: the first one written (Russian) is shown.
      const theirs = await t.http().get(api('/alerts')).set(neighbour.auth).expect(200);
      expect(theirs.body.items[0]).toMatchObject({ language: 'ru' });
      expect((await t.http().get(api('/alerts')).set(stranger.auth).expect(200)).body.items).toEqual([]);
    });

    it('counts targeted people and answers in the stats', async () => {
      const stats = await t.http().get(api(`/staff/alerts/${firstAlertId}/stats`)).set(officer.auth).expect(200);
      expect(stats.body).toEqual({ targeted: 2, sent: expect.any(Number), failed: expect.any(Number), safe: 0, needHelp: 0, noResponse: 2, assisted: 0 });
      expect(stats.body.sent + stats.body.failed).toBeLessThanOrEqual(2);
      expectProblem(await t.http().get(api(`/staff/alerts/${firstAlertId}/stats`)).set(moscowConsul.auth), 404);
    });

    it('records a citizen’s answer (the latest counts) and refuses someone the alert never reached', async () => {
      await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(citizen.auth).send({ status: 'safe' }).expect(200);
      const answer = await t
        .http()
        .post(api(`/alerts/${firstAlertId}/response`))
        .set(citizen.auth)
        .send({ status: 'need_help', message: 'My son is hurt.', location: { lat: 52.521, lon: 13.41 } })
        .expect(200);
      expect(answer.body).toMatchObject({ alertId: firstAlertId, status: 'need_help', message: 'My son is hurt.', location: { lat: 52.521, lon: 13.41 } });
      expectProblem(await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(stranger.auth).send({ status: 'safe' }), 404);
      expectProblem(await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(citizen.auth).send({ status: 'fine' }), 400);
      expectProblem(await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(citizen.auth).send({ status: 'safe', message: 'x'.repeat(1001) }), 400);
      const mine = await t.http().get(api('/alerts')).set(citizen.auth).expect(200);
      expect(mine.body.items[0].myResponse).toMatchObject({ status: 'need_help', message: 'My son is hurt.' });
      const stats = await t.http().get(api(`/staff/alerts/${firstAlertId}/stats`)).set(officer.auth).expect(200);
      expect(stats.body).toMatchObject({ targeted: 2, safe: 0, needHelp: 1, noResponse: 1, assisted: 0 });
    });

    it('lists who needs help with their contact details, until marked assisted', async () => {
      const needHelp = await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=need_help`)).set(officer.auth).expect(200);
      expect(needHelp.body.items).toEqual([
        expect.objectContaining({
          personId: citizen.id,
          fullName: 'Dilnoza Karimova',
          email: citizen.email,
          phone: '+4915112345678',
          address: expect.objectContaining({ line1: expect.stringMatching(/^Alertstraße \d+$/), city: 'Berlin', country: 'DE', region: 'DE-BE' }),
          location: { lat: 52.521, lon: 13.41 },
          familyMembers: [expect.objectContaining({ name: 'Malika Karimova' }), expect.objectContaining({ name: 'Timur Karimov' })],
          message: 'My son is hurt.',
          status: 'need_help',
          assisted: false,
        }),
      ]);
      const assisted = await t.http().post(api(`/staff/alerts/${firstAlertId}/responses/${citizen.id}/assisted`)).set(officer.auth).expect(200);
      expect(assisted.body).toMatchObject({ personId: citizen.id, assistedAt: expect.any(String) });
      expect(await auditCount(firstAlertId, 'alert.person_assisted')).toBe(1);
      expectProblem(await t.http().post(api(`/staff/alerts/${firstAlertId}/responses/${citizen.id}/assisted`)).set(officer.auth), 409);
      expectProblem(await t.http().post(api(`/staff/alerts/${firstAlertId}/responses/${neighbour.id}/assisted`)).set(officer.auth), 409);
      expectProblem(await t.http().post(api(`/staff/alerts/${firstAlertId}/responses/${stranger.id}/assisted`)).set(officer.auth), 404);
      expect((await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=need_help`)).set(officer.auth).expect(200)).body.items).toEqual([]);
      const done = await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=assisted`)).set(officer.auth).expect(200);
      expect(done.body.items.map((p: { personId: string }) => p.personId)).toEqual([citizen.id]);
      const stats = await t.http().get(api(`/staff/alerts/${firstAlertId}/stats`)).set(officer.auth).expect(200);
      expect(stats.body).toMatchObject({ needHelp: 1, assisted: 1 });
    });

    it('pages the people who have not answered, and the safe ones', async () => {
      const none = await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=none&limit=1`)).set(officer.auth).expect(200);
      expect(none.body.items.map((p: { personId: string }) => p.personId)).toEqual([neighbour.id]);
      expect(none.body.nextCursor).toBeNull();
      await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(neighbour.auth).send({ status: 'safe' }).expect(200);
      const safe = await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=safe`)).set(officer.auth).expect(200);
      expect(safe.body.items).toEqual([expect.objectContaining({ personId: neighbour.id, status: 'safe', familyMembers: [expect.objectContaining({ name: 'Laylo Berlinova' })] })]);
      const stats = await t.http().get(api(`/staff/alerts/${firstAlertId}/stats`)).set(officer.auth).expect(200);
      expect(stats.body).toMatchObject({ targeted: 2, safe: 1, needHelp: 1, noResponse: 0, assisted: 1 });
      expectProblem(await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=safe&cursor=${none.body.nextCursor ?? 'forged.cursor'}`)).set(officer.auth), 400);
    });

    it('reopens a person who calls for help again after being assisted', async () => {
      await t.http().post(api(`/alerts/${firstAlertId}/response`)).set(citizen.auth).send({ status: 'need_help', message: 'Again.' }).expect(200);
      const needHelp = await t.http().get(api(`/staff/alerts/${firstAlertId}/responses?status=need_help`)).set(officer.auth).expect(200);
      expect(needHelp.body.items).toEqual([expect.objectContaining({ personId: citizen.id, message: 'Again.', assisted: false })]);
    });

    it('sends a follow-up round on request, audited, only for a broadcast alert', async () => {
      const reminded = await t.http().post(api(`/staff/alerts/${firstAlertId}/remind`)).set(officer.auth).expect(202);
      expect(reminded.body.id).toBe(firstAlertId);
      expect(await auditCount(firstAlertId, 'alert.follow_up_requested')).toBe(1);
      expect(await jobCount('alerts.follow-up', firstAlertId)).toBeGreaterThanOrEqual(1);
      const unsent = await draft(author);
      expectProblem(await t.http().post(api(`/staff/alerts/${unsent}/remind`)).set(officer.auth), 409);
    });

    it('reaches everyone the first alert reached with an update, plus its own area', async () => {
      const wrongKind = await t.http().post(api('/staff/alerts')).set(author.auth).send(berlinAlert({ kind: 'evacuation', supersedes: firstAlertId }));
      expectProblem(wrongKind, 422);
      expect(wrongKind.body.errors.map((e: { field: string }) => e.field)).toEqual(['kind']);
      const update = await draft(author, { kind: 'update', supersedes: firstAlertId, area: { circle: { lat: 53.55, lon: 10.0, radiusKm: 20 } } });
      const audience = await t.http().get(api(`/staff/alerts/${update}/audience`)).set(author.auth).expect(200);
      expect(audience.body).toEqual({ count: 3, familyMembers: 3 });
      // An update over the same area counts nobody twice.
      const sameArea = await draft(author, { kind: 'all_clear', supersedes: firstAlertId });
      expect((await t.http().get(api(`/staff/alerts/${sameArea}/audience`)).set(author.auth).expect(200)).body).toEqual({ count: 2, familyMembers: 3 });
    });
  });

  describe('stats counters', () => {
    const recount = async (alertId: string) =>
      (
        await t.db.query(
          `SELECT (SELECT count(*)::int FROM alert_recipients WHERE alert_id = $1) AS targeted,
                  (SELECT count(*)::int FROM alert_deliveries WHERE alert_id = $1 AND round = 0 AND status = 'sent') AS sent,
                  (SELECT count(*)::int FROM alert_deliveries WHERE alert_id = $1 AND round = 0 AND status = 'failed') AS failed,
                  (SELECT count(*)::int FROM alert_recipients WHERE alert_id = $1 AND response_status = 'safe') AS safe,
                  (SELECT count(*)::int FROM alert_recipients WHERE alert_id = $1 AND response_status = 'need_help') AS "needHelp",
                  (SELECT count(*)::int FROM alert_recipients WHERE alert_id = $1 AND response_status IS NULL) AS "noResponse",
                  (SELECT count(*)::int FROM alert_recipients WHERE alert_id = $1 AND assisted_at IS NOT NULL) AS assisted`,
          [alertId],
        )
      )[0];

    it('stay equal to a recount through bulk inserts, batch updates, answers, later rounds and deletes', async () => {
      // A draft's rows written by hand: no delivery job touches them meanwhile.
      const id = await draft(author);
      await t.db.query(
        `INSERT INTO alert_recipients (alert_id, user_id, registration_id, language)
         SELECT $1, gen_random_uuid(), gen_random_uuid(), 'en' FROM generate_series(1, 500)`,
        [id],
      );
      await t.db.query(`INSERT INTO alert_deliveries (alert_id, recipient_id, channel) SELECT alert_id, id, 'email' FROM alert_recipients WHERE alert_id = $1`, [id]);
      await t.db.query(`INSERT INTO alert_deliveries (alert_id, recipient_id, channel, round) SELECT alert_id, id, 'email', 1 FROM alert_recipients WHERE alert_id = $1`, [id]);
      const stats = async () => (await t.http().get(api(`/staff/alerts/${id}/stats`)).set(officer.auth).expect(200)).body;
      expect(await stats()).toEqual({ targeted: 500, sent: 0, failed: 0, safe: 0, needHelp: 0, noResponse: 500, assisted: 0 });

      await t.db.query(`UPDATE alert_deliveries SET status = 'sending', attempts = attempts + 1, attempted_at = now() WHERE alert_id = $1`, [id]);
      await t.db.query(`UPDATE alert_deliveries SET status = 'sent', sent_at = now() WHERE alert_id = $1 AND status = 'sending' AND random() < 0.9`, [id]);
      await t.db.query(`UPDATE alert_deliveries SET status = 'failed', error = 'mailbox unavailable' WHERE alert_id = $1 AND status = 'sending'`, [id]);
      await t.db.query(
        `UPDATE alert_recipients SET response_status = CASE WHEN random() < 0.8 THEN 'safe' ELSE 'need_help' END, responded_at = now()
          WHERE alert_id = $1 AND random() < 0.6`,
        [id],
      );
      await t.db.query(`UPDATE alert_recipients SET assisted_at = now(), assisted_by = $2 WHERE alert_id = $1 AND response_status = 'need_help' AND random() < 0.5`, [id, officer.id]);
      await t.db.query(`UPDATE alert_recipients SET response_status = 'safe' WHERE alert_id = $1 AND assisted_at IS NOT NULL AND random() < 0.5`, [id]);
      const counted = await stats();
      expect(counted).toEqual(await recount(id));
      expect(counted.sent + counted.failed).toBe(500);
      expect(counted.safe + counted.needHelp + counted.noResponse).toBe(500);
      expect(counted.safe).toBeGreaterThan(0);
      expect(counted.needHelp).toBeGreaterThan(0);

      await t.db.query(`DELETE FROM alert_deliveries WHERE alert_id = $1 AND round = 0 AND status = 'failed'`, [id]);
      await t.db.query(`DELETE FROM alert_recipients WHERE alert_id = $1 AND response_status IS NULL`, [id]);
      expect(await stats()).toEqual(await recount(id));
      expect((await stats()).noResponse).toBe(0);
    });
  });

  describe('people who have not answered', () => {
    it('pages them in person order, each once across pages, and drops one who answers meanwhile', async () => {
      const people: Account[] = [];
      for (let i = 0; i < 7; i += 1) {
        const person = await createAccount(t);
        await seed(person, { region: 'DE-SN', lat: 51.34, lon: 12.37 });
        people.push(person);
      }
      const id = await pendingAlert(author, { area: { regions: ['DE-SN'] } });
      await t.http().post(api(`/staff/alerts/${id}/approve`)).set(approver.auth).expect(200);
      await materialise(id);
      const page = async (cursor?: string): Promise<{ ids: string[]; nextCursor: string | null }> => {
        const response = await t
          .http()
          .get(api(`/staff/alerts/${id}/responses?status=none&limit=3${cursor ? `&cursor=${cursor}` : ''}`))
          .set(officer.auth)
          .expect(200);
        return { ids: response.body.items.map((p: { personId: string }) => p.personId), nextCursor: response.body.nextCursor };
      };
      const everyPage = async (): Promise<string[][]> => {
        const pages: string[][] = [];
        let cursor: string | undefined;
        do {
          const next = await page(cursor);
          pages.push(next.ids);
          cursor = next.nextCursor ?? undefined;
        } while (cursor);
        return pages;
      };
      // PostgreSQL orders uuids byte by byte, as their lower-case text sorts.
      const byPerson = people.map((p) => p.id).sort();
      const answer = (personId: string, status: string) =>
        t.http().post(api(`/alerts/${id}/response`)).set(people.find((p) => p.id === personId)!.auth).send({ status }).expect(200);

      expect(await everyPage()).toEqual([byPerson.slice(0, 3), byPerson.slice(3, 6), byPerson.slice(6)]);

      const first = await page();
      expect(first.ids).toEqual(byPerson.slice(0, 3));
      // One already listed and the next one due answer between two pages: the rest follows on, nobody twice.
      await answer(byPerson[1], 'need_help');
      await answer(byPerson[3], 'safe');
      const second = await page(first.nextCursor!);
      expect(second).toEqual({ ids: byPerson.slice(4, 7), nextCursor: null });

      const left = byPerson.filter((personId) => personId !== byPerson[1] && personId !== byPerson[3]);
      expect((await everyPage()).flat()).toEqual(left);
      const stats = await t.http().get(api(`/staff/alerts/${id}/stats`)).set(officer.auth).expect(200);
      expect(stats.body).toMatchObject({ targeted: 7, safe: 1, needHelp: 1, noResponse: 5 });
    });
  });
});
