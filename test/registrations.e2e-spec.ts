import { JobQueue } from '../src/jobs/job-queue.service';
import { addDays, isoDate } from '../src/registrations/registration-rules';
import { RegistrationExpiryService } from '../src/registrations/registration-expiry.service';
import { RegistryAudienceService } from '../src/registrations/registry-audience.service';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

/** Consular registration end to end: citizens register, staff verify, the register keeps itself current. */
describe('Consular registration', () => {
  let t: TestApp;
  let berOfficer: Account;
  let mowOfficer: Account;
  beforeAll(async () => {
    t = await startTestApp();
    berOfficer = await createAccount(t, { role: 'officer', missions: ['BER'], fullName: 'Berlin Officer' });
    mowOfficer = await createAccount(t, { role: 'officer', missions: ['MOW'], fullName: 'Moscow Officer' });
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;
  const today = isoDate(new Date());
  /** Noon UTC of a date: the same calendar date in every mission's time zone used here. */
  const noon = (date: string) => new Date(`${date}T12:00:00Z`);

  /** A valid registration with the Berlin embassy; each test changes what it is about. */
  const berlinRegistration = (overrides: Record<string, unknown> = {}) => ({
    missionCode: 'BER',
    kind: 'permanent',
    address: { line1: 'Friedrichstraße 100', city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: '10117' },
    location: { lat: 52.5163, lon: 13.3889 },
    phone: '+49 30 1234567',
    arrivalDate: '2024-09-01',
    purpose: 'Employment at a logistics company',
    passportNumber: 'AA1234567',
    dateOfBirth: '1990-05-17',
    ...overrides,
  });

  const register = async (citizen: Account, overrides: Record<string, unknown> = {}) => {
    const response = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration(overrides));
    expect(response.status).toBe(201);
    return response.body as { id: string; status: string; [key: string]: unknown };
  };

  const auditActions = async (registrationId: string) =>
    (await t.auditQuery(`SELECT action, actor_id FROM audit_events WHERE entity_type = 'registration' AND entity_id = $1 ORDER BY id`, [registrationId])) as {
      action: string;
      actor_id: string | null;
    }[];

  const waitUntil = async (condition: () => Promise<boolean>, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('Condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const mailCount = async (to: string, template: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM email_messages WHERE recipient = $1 AND template = $2`, [to, template]))[0].n as number;

  it('runs the whole flow: register, queue (masked), open (audited), verify, update, end, with e-mails in the citizen’s language', async () => {
    const citizen = await createAccount(t, { locale: 'uz', fullName: 'Dilshod Rahimov' });
    const created = await t
      .http()
      .post(api('/registrations'))
      .set(citizen.auth)
      .send(
        berlinRegistration({
          kind: 'temporary',
          departureDate: addDays(today, 400),
          phone: '0049 (30) 123-45.67',
          passportNumber: ' fa 730 5918 ',
          personalNumber: '31703 945120037',
          familyMembers: [{ fullName: 'Madina Rahimova', dateOfBirth: '2019-02-11', relation: 'child', passportNumber: 'fb1122334' }],
          emergencyContact: { fullName: 'Rustam Rahimov', relation: 'brother', phone: '+998 90 123 45 67', email: 'rustam@example.uz' },
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    expect(created.body).toEqual(
      expect.objectContaining({
        missionCode: 'BER',
        kind: 'temporary',
        status: 'pending',
        fullName: 'Dilshod Rahimov',
        phone: '+49301234567',
        passportNumber: 'FA7305918',
        personalNumber: '31703945120037',
        address: { line1: 'Friedrichstraße 100', city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: '10117' },
        location: { lat: 52.5163, lon: 13.3889 },
        familyMembers: [{ fullName: 'Madina Rahimova', dateOfBirth: '2019-02-11', relation: 'child', passportNumber: 'FB1122334' }],
        emergencyContact: { fullName: 'Rustam Rahimov', relation: 'brother', phone: '+998901234567', email: 'rustam@example.uz' },
        history: [expect.objectContaining({ fromStatus: null, toStatus: 'pending' })],
      }),
    );

    const received = await t.mailbox.waitFor(citizen.email, (m) => m.subject.includes('qabul qilindi'));
    expect(received.subject).toBe('Konsullik hisobiga qoʻyish haqidagi arizangiz qabul qilindi');
    expect(received.text).toContain('Oʻzbekiston Respublikasining Germaniyadagi elchixonasi');
    expect(received.text).toContain(`https://consular.test/registrations/${id}`);
    expect(received.text).not.toContain('FA7305918');

    // The officer's queue shows the registration with the passport masked, and no identifier in full anywhere.
    const queue = await t.http().get(api('/staff/registrations?status=pending&missionCode=BER&limit=100')).set(berOfficer.auth).expect(200);
    const line = queue.body.items.find((item: { id: string }) => item.id === id);
    expect(line).toEqual(expect.objectContaining({ status: 'pending', fullName: 'Dilshod Rahimov', passportNumberMasked: 'FA*****18', familyCount: 1 }));
    expect(JSON.stringify(queue.body)).not.toContain('FA7305918');
    expect(JSON.stringify(queue.body)).not.toContain('31703945120037');

    // Opening the record shows everything, and is audited.
    const opened = await t.http().get(api(`/staff/registrations/${id}`)).set(berOfficer.auth).expect(200);
    expect(opened.body).toEqual(
      expect.objectContaining({ passportNumber: 'FA7305918', personalNumber: '31703945120037', ownerId: citizen.id, ownerEmail: citizen.email, samePassport: [] }),
    );
    expect(opened.body.familyMembers[0].passportNumber).toBe('FB1122334');
    expect(await auditActions(id)).toEqual([
      { action: 'registration.submitted', actor_id: citizen.id },
      { action: 'registration.personal_data_viewed', actor_id: berOfficer.id },
    ]);

    const verified = await t.http().post(api(`/staff/registrations/${id}/verify`)).set(berOfficer.auth).expect(200);
    expect(verified.body).toEqual(expect.objectContaining({ id, status: 'active', passportNumberMasked: 'FA*****18' }));
    expectProblem(await t.http().post(api(`/staff/registrations/${id}/verify`)).set(berOfficer.auth), 409);
    const [row] = await t.db.query(`SELECT status, verified_by, verified_at FROM registrations WHERE id = $1`, [id]);
    expect(row).toEqual(expect.objectContaining({ status: 'active', verified_by: berOfficer.id, verified_at: expect.any(Date) }));

    const verifiedMail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'Siz konsullik hisobiga qoʻyildingiz');
    expect(verifiedMail.text).toContain('+49 170 3940980'); // the mission's emergency line
    expect(verifiedMail.html).toContain('lang="uz"');

    // Verified, the registrant is in the alerts audience of their area, with their child.
    const audience = t.app.get(RegistryAudienceService);
    const inBerlin = await audience.find('BER', { regions: ['DE-BE'] });
    expect(inBerlin.find((p) => p.registrationId === id)).toEqual(
      expect.objectContaining({ ownerId: citizen.id, email: citizen.email, phone: '+49301234567', familyMembers: [{ name: 'Madina Rahimova', relation: 'child', dateOfBirth: '2019-02-11' }] }),
    );

    const updated = await t.http().patch(api(`/registrations/${id}`)).set(citizen.auth).send({ phone: '+49 (151) 2345-6789' }).expect(200);
    expect(updated.body).toEqual(expect.objectContaining({ status: 'active', phone: '+4915123456789', passportNumber: 'FA7305918' }));
    const [updateEvent] = await t.auditQuery(
      `SELECT details FROM audit_events WHERE action = 'registration.updated' AND entity_id = $1 AND actor_id = $2`,
      [id, citizen.id],
    );
    expect(updateEvent.details).toEqual({ fields: ['phone'] });

    const ended = await t.http().post(api(`/registrations/${id}/end`)).set(citizen.auth).expect(200);
    expect(ended.body).toEqual(expect.objectContaining({ status: 'ended', endedReason: 'ended_by_citizen', endedAt: expect.any(String) }));
    expect(ended.body.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['pending', 'active', 'ended']);
    const endedMail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'Siz konsullik hisobidan chiqarildingiz');
    expect(endedMail.text).toContain('Dilshod Rahimov');
    expectProblem(await t.http().post(api(`/registrations/${id}/end`)).set(citizen.auth), 409);
    expectProblem(await t.http().patch(api(`/registrations/${id}`)).set(citizen.auth).send({ phone: '+4930999999' }), 409);
    expect((await audience.find('BER', { regions: ['DE-BE'] })).some((p) => p.registrationId === id)).toBe(false);

    expect((await auditActions(id)).map((e) => e.action)).toEqual([
      'registration.submitted',
      'registration.personal_data_viewed',
      'registration.verified',
      'registration.updated',
      'registration.ended',
    ]);
    const own = await t.http().get(api('/registrations')).set(citizen.auth).expect(200);
    expect(own.body).toEqual({ items: [expect.objectContaining({ id, status: 'ended' })], nextCursor: null });
  });

  it('refuses a second pending or active registration with the same mission (409), and allows one after ending', async () => {
    const citizen = await createAccount(t);
    const first = await register(citizen);
    const second = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration());
    expectProblem(second, 409);
    expect(second.body.type).toMatch(/registration-exists$/);

    await t.http().post(api(`/staff/registrations/${first.id}/verify`)).set(berOfficer.auth).expect(200);
    expectProblem(await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration()), 409);

    await t.http().post(api(`/registrations/${first.id}/end`)).set(citizen.auth).expect(200);
    const again = await register(citizen);
    expect(again.status).toBe('pending');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE owner_id = $1`, [citizen.id]);
    expect(n).toBe(2);
  });

  describe('validation', () => {
    let citizen: Account;
    beforeAll(async () => {
      citizen = await createAccount(t);
    });

    it('answers 422 naming address.country for an address outside the mission’s jurisdiction, and names the mission to use', async () => {
      const response = await t
        .http()
        .post(api('/registrations'))
        .set(citizen.auth)
        .send(berlinRegistration({ address: { line1: '12 rue de Rivoli', city: 'Paris', region: 'FR-IDF', country: 'FR' } }));
      expectProblem(response, 422);
      expect(response.body.errors).toEqual([{ field: 'address.country', message: expect.stringContaining('PAR') }]);
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM registrations WHERE owner_id = $1`, [citizen.id]);
      expect(n).toBe(0);
    });

    it('answers 422 naming missionCode for an unknown mission, and passportNumber for a number of the wrong format', async () => {
      const unknown = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration({ missionCode: 'XYZ' }));
      expectProblem(unknown, 422);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['missionCode']);

      const passport = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration({ passportNumber: 'A12345678' }));
      expectProblem(passport, 422);
      expect(passport.body.errors.map((e: { field: string }) => e.field)).toEqual(['passportNumber']);
    });

    it.each([
      ['a temporary stay without a departure date', { kind: 'temporary' }, 'departureDate'],
      ['a departure before the arrival', { kind: 'temporary', arrivalDate: '2026-01-10', departureDate: '2025-12-01' }, 'departureDate'],
      ['a phone number that is not E.164', { phone: '030 1234567' }, 'phone'],
      ['a region of another country', { address: { line1: 'Unter den Linden 1', city: 'Berlin', region: 'FR-IDF', country: 'DE' } }, 'address.region'],
      ['a country that is no ISO code', { address: { line1: 'Unter den Linden 1', city: 'Berlin', country: 'XX' } }, 'address.country'],
      ['a latitude off the globe', { location: { lat: 95, lon: 13.4 } }, 'location.lat'],
      ['a date of birth in the future', { dateOfBirth: addDays(today, 2) }, 'dateOfBirth'],
      ['a date of birth 200 years ago', { dateOfBirth: '1820-01-01' }, 'dateOfBirth'],
      ['an impossible calendar date', { arrivalDate: '2025-02-30' }, 'arrivalDate'],
      ['a personal number with letters', { personalNumber: '12345ABC' }, 'personalNumber'],
      ['a family member with an unknown relation', { familyMembers: [{ fullName: 'X Y', dateOfBirth: '2000-01-01', relation: 'cousin' }] }, 'familyMembers.0.relation'],
      ['too many family members', { familyMembers: Array.from({ length: 21 }, () => ({ fullName: 'A B', dateOfBirth: '2000-01-01', relation: 'other' })) }, 'familyMembers'],
      ['an emergency contact phone that is not E.164', { emergencyContact: { fullName: 'A B', relation: 'mother', phone: '12' } }, 'emergencyContact.phone'],
      ['an unknown field', { favouriteColour: 'blue' }, 'favouriteColour'],
    ])('answers 400 for %s', async (_label, overrides, field) => {
      const response = await t.http().post(api('/registrations')).set(citizen.auth).send(berlinRegistration(overrides));
      expectProblem(response, 400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('lets only verified citizens submit', async () => {
      const unverified = await createAccount(t, { verified: false });
      expectProblem(await t.http().post(api('/registrations')).set(unverified.auth).send(berlinRegistration()), 403);
      expectProblem(await t.http().post(api('/registrations')).set(berOfficer.auth).send(berlinRegistration()), 403);
      expectProblem(await t.http().get(api('/staff/registrations')).set(citizen.auth), 403);
    });
  });

  it('answers 404 to another citizen for someone else’s registration (GET, PATCH, end) and leaves it untouched', async () => {
    const owner = await createAccount(t);
    const stranger = await createAccount(t);
    const registration = await register(owner);

    expectProblem(await t.http().get(api(`/registrations/${registration.id}`)).set(stranger.auth), 404);
    expectProblem(await t.http().patch(api(`/registrations/${registration.id}`)).set(stranger.auth).send({ phone: '+4930111111' }), 404);
    expectProblem(await t.http().post(api(`/registrations/${registration.id}/end`)).set(stranger.auth), 404);
    expect((await t.http().get(api('/registrations')).set(stranger.auth).expect(200)).body.items).toEqual([]);
    expectProblem(await t.http().get(api('/registrations/not-a-uuid')).set(owner.auth), 400);

    const mine = await t.http().get(api(`/registrations/${registration.id}`)).set(owner.auth).expect(200);
    expect(mine.body).toEqual(expect.objectContaining({ status: 'pending', phone: '+49301234567' }));
  });

  it('answers 404 to an officer of another mission, and keeps the registration out of his queue; a consul of the mission rejects it', async () => {
    const citizen = await createAccount(t, { locale: 'ru' });
    const registration = await register(citizen);

    expectProblem(await t.http().get(api(`/staff/registrations/${registration.id}`)).set(mowOfficer.auth), 404);
    expectProblem(await t.http().post(api(`/staff/registrations/${registration.id}/verify`)).set(mowOfficer.auth), 404);
    expectProblem(await t.http().post(api(`/staff/registrations/${registration.id}/reject`)).set(mowOfficer.auth).send({ reason: 'Not ours' }), 404);
    for (const query of ['', '?missionCode=BER', '?status=pending&limit=100']) {
      const queue = await t.http().get(api(`/staff/registrations${query}`)).set(mowOfficer.auth).expect(200);
      expect(queue.body.items.some((item: { id: string }) => item.id === registration.id)).toBe(false);
      expect(queue.body.items.every((item: { missionCode: string }) => item.missionCode === 'MOW')).toBe(true);
    }
    const [{ status }] = await t.db.query(`SELECT status FROM registrations WHERE id = $1`, [registration.id]);
    expect(status).toBe('pending');

    const admin = await createAccount(t, { role: 'admin' });
    const adminQueue = await t.http().get(api('/staff/registrations?status=pending&missionCode=BER&limit=100')).set(admin.auth).expect(200);
    expect(adminQueue.body.items.some((item: { id: string }) => item.id === registration.id)).toBe(true);

    const consul = await createAccount(t, { role: 'consul', missions: ['BER'] });
    expectProblem(await t.http().post(api(`/staff/registrations/${registration.id}/reject`)).set(consul.auth).send({}), 400);
    const reason = 'Паспорт не найден в консульской базе; обратитесь в посольство.';
    const rejected = await t.http().post(api(`/staff/registrations/${registration.id}/reject`)).set(consul.auth).send({ reason }).expect(200);
    expect(rejected.body.status).toBe('rejected');
    expectProblem(await t.http().post(api(`/staff/registrations/${registration.id}/verify`)).set(consul.auth), 409);
    const mail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'Ваше заявление о постановке на консульский учёт отклонено');
    expect(mail.text).toContain(reason);
    const own = await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200);
    expect(own.body).toEqual(expect.objectContaining({ status: 'rejected', rejectionReason: reason }));
    expect((await auditActions(registration.id)).pop()).toEqual({ action: 'registration.rejected', actor_id: consul.id });
  });

  it('shows staff who open a record the other open registrations with the same passport number', async () => {
    const first = await register(await createAccount(t), { passportNumber: 'AC1112223' });
    const second = await register(await createAccount(t), { passportNumber: 'ac 111 2223' });
    const opened = await t.http().get(api(`/staff/registrations/${second.id}`)).set(berOfficer.auth).expect(200);
    expect(opened.body.samePassport).toEqual([{ id: first.id, missionCode: 'BER', status: 'pending' }]);
    const [{ n }] = await t.db.query(
      `SELECT count(DISTINCT passport_number_hash)::int AS n FROM registrations WHERE id = ANY($1::uuid[])`,
      [[first.id, second.id]],
    );
    expect(n).toBe(1);
  });

  it('refuses a departure date before the arrival date on update (422) and changes nothing', async () => {
    const citizen = await createAccount(t);
    const registration = await register(citizen, { kind: 'temporary', arrivalDate: addDays(today, 30), departureDate: addDays(today, 90) });
    const response = await t.http().patch(api(`/registrations/${registration.id}`)).set(citizen.auth).send({ departureDate: addDays(today, 10), phone: '+4930555555' });
    expectProblem(response, 422);
    expect(response.body.errors).toEqual([{ field: 'departureDate', message: expect.stringContaining(addDays(today, 30)) }]);
    const [row] = await t.db.query(`SELECT departure_date::text AS departure FROM registrations WHERE id = $1`, [registration.id]);
    expect(row).toEqual({ departure: addDays(today, 90) });
    const stored = await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200);
    expect(stored.body.phone).toBe('+49301234567');
  });

  it('pages the staff queue oldest first with a cursor', async () => {
    const officer = await createAccount(t, { role: 'officer', missions: ['TYO'] });
    const ids: string[] = [];
    for (const name of ['First', 'Second', 'Third']) {
      const citizen = await createAccount(t, { fullName: `${name} Applicant` });
      const registration = await register(citizen, {
        missionCode: 'TYO',
        address: { line1: '1-1 Chiyoda', city: 'Tokyo', region: 'JP-13', country: 'JP' },
        location: undefined,
      });
      ids.push(registration.id);
    }
    const first = await t.http().get(api('/staff/registrations?status=pending&limit=2')).set(officer.auth).expect(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(api(`/staff/registrations?status=pending&limit=2&cursor=${first.body.nextCursor}`)).set(officer.auth).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[2], fullName: 'Third Applicant' })], nextCursor: null });
    expectProblem(await t.http().get(api('/staff/registrations?cursor=bm9wZQ')).set(officer.auth), 400);
    expectProblem(await t.http().get(api('/staff/registrations?status=lost')).set(officer.auth), 400);
    // The cursor is signed and names its list: edited, or taken to another list, it is refused.
    const [payload, mac] = String(first.body.nextCursor).split('.');
    const key = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { l: string; k: string[] };
    const edited = Buffer.from(JSON.stringify({ ...key, k: [key.k[0], ids[0]] })).toString('base64url');
    expect((await t.http().get(api(`/staff/registrations?cursor=${edited}.${mac}`)).set(officer.auth)).body.code).toBe('invalid_cursor');
    expect((await t.http().get(api(`/staff/document-requests?cursor=${first.body.nextCursor}`)).set(officer.auth)).body.code).toBe('invalid_cursor');
  });

  it('reminds a week before the departure date and ends the registration after it, once (the daily job)', async () => {
    const expiry = t.app.get(RegistrationExpiryService);
    const [schedule] = await t.db.query(`SELECT cron, timezone FROM pgboss.schedule WHERE name = 'registrations.expire'`);
    expect(schedule).toEqual({ cron: '15 2 * * *', timezone: 'UTC' });
    // The scheduled job reaches the service: a run as of now completes (nothing in this suite has departed yet).
    const jobId = await t.app.get(JobQueue).send('registrations.expire', {});
    await waitUntil(async () => (await t.db.query(`SELECT state FROM pgboss.job WHERE id = $1`, [jobId]))[0]?.state === 'completed');

    const citizen = await createAccount(t, { locale: 'ru', fullName: 'Анвар Юсупов' });
    const departure = addDays(today, 20);
    const registration = await register(citizen, { kind: 'temporary', arrivalDate: addDays(today, -30), departureDate: departure });
    await t.http().post(api(`/staff/registrations/${registration.id}/verify`)).set(berOfficer.auth).expect(200);
    const state = async () =>
      (await t.db.query(`SELECT status, ended_reason, reminder_sent_at FROM registrations WHERE id = $1`, [registration.id]))[0];

    await expiry.runDaily(noon(addDays(departure, -8)));
    expect((await state()).reminder_sent_at).toBeNull();

    await expiry.runDaily(noon(addDays(departure, -7)));
    expect(await state()).toEqual({ status: 'active', ended_reason: null, reminder_sent_at: expect.any(Date) });
    const reminder = await t.mailbox.waitFor(citizen.email, (m) => m.subject.startsWith('Вы ещё за рубежом?'));
    expect(reminder.text).toContain(`https://consular.test/registrations/${registration.id}`);
    expect(reminder.text).toContain('Анвар Юсупов');
    await expiry.runDaily(noon(addDays(departure, -7)));
    await expiry.runDaily(noon(addDays(departure, -3)));
    expect(await mailCount(citizen.email, 'registration-reminder')).toBe(1);

    // Still abroad: a new departure date keeps the registration and earns a new reminder before it.
    const later = addDays(departure, 30);
    await t.http().patch(api(`/registrations/${registration.id}`)).set(citizen.auth).send({ departureDate: later }).expect(200);
    expect((await state()).reminder_sent_at).toBeNull();
    await expiry.runDaily(noon(addDays(departure, 1)));
    expect((await state()).status).toBe('active');
    await expiry.runDaily(noon(addDays(later, -7)));
    expect(await mailCount(citizen.email, 'registration-reminder')).toBe(2);

    await expiry.runDaily(noon(later));
    expect((await state()).status).toBe('active');
    await expiry.runDaily(noon(addDays(later, 1)));
    expect(await state()).toEqual(expect.objectContaining({ status: 'ended', ended_reason: 'departed' }));
    const [history] = await t.db.query(
      `SELECT from_status, to_status, actor_id, reason FROM registration_history WHERE registration_id = $1 AND to_status = 'ended'`,
      [registration.id],
    );
    expect(history).toEqual({ from_status: 'active', to_status: 'ended', actor_id: null, reason: 'departed' });
    expect((await auditActions(registration.id)).pop()).toEqual({ action: 'registration.ended', actor_id: null });
    const expired = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'Консульский учёт завершён после даты вашего выезда');
    expect(expired.text).toMatch(/\d{4} г\./);

    await expiry.runDaily(noon(addDays(later, 1)));
    await expiry.runDaily(noon(addDays(later, 2)));
    expect(await mailCount(citizen.email, 'registration-expired')).toBe(1);
    expect(await mailCount(citizen.email, 'registration-reminder')).toBe(2);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM registration_history WHERE registration_id = $1`, [registration.id]);
    expect(n).toBe(3);
  });

  it('keeps passport and personal numbers out of the database in plain text', async () => {
    const citizen = await createAccount(t);
    const passport = 'KC7305918';
    const pin = '41506873920015';
    const childPassport = 'KD5544332';
    const registration = await register(citizen, {
      passportNumber: passport,
      personalNumber: pin,
      familyMembers: [{ fullName: 'Child Name', dateOfBirth: '2018-06-01', relation: 'child', passportNumber: childPassport }],
    });
    const [row] = await t.db.query(`SELECT r::text AS text FROM registrations r WHERE id = $1`, [registration.id]);
    expect(row.text).toContain('KC*****18');
    expect(row.text).toMatch(/v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    for (const secret of [passport, pin, childPassport, '7305918', '5544332']) expect(row.text).not.toContain(secret);

    // Nowhere else either: every table of the portal and of its job queue, as a dump would show them.
    const tables: { schema: string; name: string }[] = await t.db.query(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const table of tables) {
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM "${table.schema}"."${table.name}" t WHERE t::text LIKE ANY($1::text[])`,
        [[passport, pin, childPassport].map((s) => `%${s}%`)],
      );
      if (n > 0) leaks.push(`${table.schema}.${table.name}`);
    }
    expect(leaks).toEqual([]);

    // The owner sees them in full.
    const own = await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200);
    expect(own.body).toEqual(expect.objectContaining({ passportNumber: passport, personalNumber: pin }));
    expect(own.body.familyMembers[0].passportNumber).toBe(childPassport);
  });

  it('ends the registration when the citizen moves out of the jurisdiction, and names the mission serving the new country', async () => {
    const citizen = await createAccount(t, { locale: 'en', fullName: 'Kamola Tursunova' });
    const registration = await register(citizen);
    await t.http().post(api(`/staff/registrations/${registration.id}/verify`)).set(berOfficer.auth).expect(200);

    // A move within Germany keeps it active.
    const munich = { line1: 'Leopoldstraße 5', city: 'München', region: 'DE-BY', country: 'DE' };
    const withinGermany = await t.http().patch(api(`/registrations/${registration.id}`)).set(citizen.auth).send({ address: munich, location: null }).expect(200);
    expect(withinGermany.body).toEqual(expect.objectContaining({ status: 'active', address: { ...munich, postalCode: null }, location: null }));
    expect(withinGermany.body.servingMissions).toBeUndefined();

    const paris = { line1: '12 rue de Rivoli', city: 'Paris', region: 'FR-IDF', country: 'FR' };
    const moved = await t.http().patch(api(`/registrations/${registration.id}`)).set(citizen.auth).send({ address: paris }).expect(200);
    expect(moved.body).toEqual(
      expect.objectContaining({
        status: 'ended',
        endedReason: 'moved',
        address: expect.objectContaining({ country: 'FR' }),
        servingMissions: [expect.objectContaining({ code: 'PAR', city: 'Paris', country: 'FR' })],
      }),
    );
    const mail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'You moved to France: register with the mission there');
    expect(mail.text).toContain('Embassy of the Republic of Uzbekistan in France');
    expect(mail.text).toContain('Embassy of the Republic of Uzbekistan in Germany');
    const [ended] = await t.auditQuery(
      `SELECT details FROM audit_events WHERE action = 'registration.ended' AND entity_id = $1`,
      [registration.id],
    );
    expect(ended.details).toEqual({ reason: 'moved', country: 'FR', servingMissions: ['PAR'] });

    // A country no mission serves: nobody to name, and the e-mail says whom to ask.
    const other = await createAccount(t, { locale: 'en' });
    const second = await register(other);
    const brazil = await t
      .http()
      .patch(api(`/registrations/${second.id}`))
      .set(other.auth)
      .send({ address: { line1: 'Avenida Paulista 1000', city: 'São Paulo', region: 'BR-SP', country: 'BR' } })
      .expect(200);
    expect(brazil.body).toEqual(expect.objectContaining({ status: 'ended', endedReason: 'moved', servingMissions: [] }));
    const brazilMail = await t.mailbox.waitFor(other.email, (m) => m.subject.startsWith('You moved to Brazil'));
    expect(brazilMail.text).toContain('Ministry of Foreign Affairs');
  });
});
