import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { addDays, isoDate } from '../src/registrations/registration-rules';
import { PaymentDeclined, PaymentProvider } from '../src/payments/payment-provider';
import { VisaIssuanceService } from '../src/visas/visa-issuance.service';
import { VisaRulesService } from '../src/visas/visa-rules.service';
import { passportTd3 } from './support/passport-td3';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

/**
 * E-visa, the applicant's side, end to end: draft, payment, uploads, submission (deadline, routing, screening),
 * withdrawal, the public status check, with real e-mails. Photos and passport scans go through the upload routes
 * (their refusals are tested in visa-uploads.e2e-spec.ts).
 */
describe('E-visa applications', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1${path}`;
  const today = isoDate(new Date());
  const arrival = addDays(today, 25);

  const erika = {
    number: 'C01X00T47',
    nationality: 'DEU',
    dateOfBirth: '1964-08-12',
    sex: 'F' as const,
    expiryDate: addDays(today, 3650),
    surname: 'Müller',
    givenNames: 'Erika',
  };

  /** Exactly the contract's fields for a draft. */
  const draft = (overrides: Record<string, unknown> = {}) => ({
    visaType: 'tourist',
    entries: 'single',
    nationality: 'DEU',
    passport: { number: erika.number, issueDate: '2021-03-01', expiryDate: erika.expiryDate },
    person: { surname: erika.surname, givenNames: erika.givenNames, dateOfBirth: erika.dateOfBirth, sex: 'F', placeOfBirth: 'Berlin' },
    arrivalDate: arrival,
    stayDays: 14,
    purpose: 'Tourism: Samarkand and Bukhara',
    addressInCountry: 'Hotel Registan Plaza, Samarkand',
    email: `erika-${randomUUID()}@example.de`,
    phone: '+49 30 1234567',
    ...overrides,
  });

  const companion = (surname: string, givenNames: string, number: string, dateOfBirth: string, sex: 'M' | 'F' = 'M') => ({
    passport: { number, issueDate: '2022-01-10', expiryDate: addDays(today, 2000) },
    person: { surname, givenNames, dateOfBirth, sex, placeOfBirth: 'Hamburg' },
  });

  type Application = { id: string; reference: string; status: string; [key: string]: unknown };

  const create = async (citizen: Account, body: Record<string, unknown> = draft()): Promise<Application> => {
    const response = await t.http().post(api('/visa-applications')).set(citizen.auth).send(body);
    expect(response.status).toBe(201);
    return response.body as Application;
  };
  const pay = (citizen: Account, id: string, key: string = randomUUID(), body: Record<string, unknown> = {}) =>
    t.http().post(api(`/visa-applications/${id}/payment`)).set(citizen.auth).set('Idempotency-Key', key).send(body);
  const submit = (citizen: Account, id: string, key: string = randomUUID(), body: Record<string, unknown> = {}) =>
    t.http().post(api(`/visa-applications/${id}/submit`)).set(citizen.auth).set('Idempotency-Key', key).send(body);
  /** A plain 600×800 JPEG: a photo the upload route accepts, and a passport scan. */
  let image: Buffer;
  /** Photo and passport scan of every person, through the upload routes. */
  const uploadAll = async (citizen: Account, applicationId: string) => {
    image ??= await sharp({ create: { width: 600, height: 800, channels: 3, background: '#c8d2dc' } }).jpeg().toBuffer();
    const people = (await t.db.query(`SELECT id FROM visa_applicants WHERE application_id = $1`, [applicationId])) as { id: string }[];
    for (const person of people) {
      for (const route of ['photo', 'passport-scan']) {
        await t
          .http()
          .put(api(`/visa-applications/${applicationId}/${route}`))
          .query({ applicantId: person.id })
          .set(citizen.auth)
          .attach('file', image, { filename: 'image.jpg', contentType: 'image/jpeg' })
          .expect(200);
      }
    }
  };
  const setStatus = (id: string, status: string, extra = '') =>
    t.db.query(`UPDATE visa_applications SET status = $2 ${extra} WHERE id = $1`, [id, status]);

  it('runs the flow: draft, payment, uploads, submission with a deadline, e-mails in the applicant’s language, status by reference', async () => {
    const citizen = await createAccount(t, { locale: 'ru' });
    const body = draft();
    const created = await create(citizen, body);
    expect(created).toMatchObject({
      reference: expect.stringMatching(/^EV-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/),
      status: 'draft',
      fee: { amount: 20, currency: 'USD' },
      paid: false,
      countryOfResidence: 'DE',
      processingMissionCode: 'TAS',
      dueAt: null,
      applicants: [
        expect.objectContaining({ position: 0, surname: 'Müller', givenNames: 'Erika', nationality: 'DEU', photo: false, passportScan: false, passport: expect.objectContaining({ number: 'C0*****47', mrzGiven: false }) }),
      ],
      history: [expect.objectContaining({ fromStatus: null, toStatus: 'draft', action: 'create' })],
    });
    const createdMail = await t.mailbox.waitFor(body.email, (m) => m.subject === `Ваше заявление на электронную визу ${created.reference} создано`);
    expect(createdMail.text).toContain('20,00');

    // Nothing paid or uploaded: every missing item is listed.
    const early = await submit(citizen, created.id);
    expectProblem(early, 422);
    expect(early.body.code).toBe('visa_application_incomplete');
    expect((early.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['payment', 'photo', 'passportScan']);

    const paid = await pay(citizen, created.id).expect(200);
    expect(paid.body).toMatchObject({ status: 'draft', paid: true });
    const [payment] = await t.db.query(`SELECT provider, amount, currency, receipt FROM visa_payments WHERE application_id = $1`, [created.id]);
    expect(payment).toMatchObject({ provider: 'development', amount: 2000, currency: 'USD', receipt: expect.objectContaining({ amount: 2000, currency: 'USD' }) });
    await t.mailbox.waitFor(body.email, (m) => m.subject === `Оплата по заявлению на электронную визу ${created.reference} получена`);

    await uploadAll(citizen, created.id);
    const before = Date.now();
    const submitted = await submit(citizen, created.id).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', processingMissionCode: 'TAS', applicants: [expect.objectContaining({ photo: true, passportScan: true })] });
    // Two working days after the filing day: at least two calendar days ahead, at most two weeks (weekends, holidays).
    const dueAt = Date.parse(submitted.body.dueAt);
    expect(dueAt - before).toBeGreaterThan(24 * 3600_000);
    expect(dueAt - before).toBeLessThan(14 * 24 * 3600_000);
    const submittedMail = await t.mailbox.waitFor(body.email, (m) => m.subject === `Заявление на электронную визу ${created.reference} подано`);
    expect(submittedMail.text).toContain(created.reference);
    expect(submittedMail.text).not.toContain(erika.number);

    const one = await t.http().get(api(`/visa-applications/${created.id}`)).set(citizen.auth).expect(200);
    expect(one.body.history.map((h: { action: string }) => h.action)).toEqual(['create', 'submit']);
    const list = await t.http().get(api('/visa-applications')).set(citizen.auth).expect(200);
    expect(list.body.items.map((a: Application) => a.id)).toEqual([created.id]);

    const audit = await t.auditQuery(`SELECT action FROM audit_events WHERE entity_type = 'visa_application' AND entity_id = $1 ORDER BY id`, [created.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'visa_application.created',
      'visa_application.paid',
      'visa.photo_uploaded',
      'visa.passport_scan_uploaded',
      'visa_application.submitted',
    ]);

    // The public status check: reference and passport number, nothing personal; a wrong pair is an unknown reference.
    const status = await t.http().post(api('/visa-status')).send({ reference: created.reference.toLowerCase(), passportNumber: 'c01x 00t47' }).expect(200);
    expect(status.body).toEqual({ reference: created.reference, status: 'submitted' });
    const wrongPassport = await t.http().post(api('/visa-status')).send({ reference: created.reference, passportNumber: 'C01X00T48' });
    const unknown = await t.http().post(api('/visa-status')).send({ reference: 'EV-22222222', passportNumber: erika.number });
    expectProblem(wrongPassport, 404);
    expect(wrongPassport.body).toEqual({ ...unknown.body, instance: wrongPassport.body.instance, requestId: wrongPassport.body.requestId });

    // Personal data sealed at rest.
    const [row] = await t.db.query(
      `SELECT a.phone, a.address_in_country, p.date_of_birth, p.passport_number_enc FROM visa_applications a JOIN visa_applicants p ON p.application_id = a.id WHERE a.id = $1`,
      [created.id],
    );
    expect(JSON.stringify(row)).not.toMatch(/Registan|1964-08-12|C01X00T47|4930/);
  });

  it('takes a group of three under one reference and one payment, each person with their own data and uploads', async () => {
    const citizen = await createAccount(t, { locale: 'uz' });
    const body = draft({
      companions: [companion('Müller', 'Hans', 'C01X00T55', '1962-01-30'), companion('Müller', 'Lena', 'C01X00T63', '2010-06-02', 'F')],
    });
    const group = await create(citizen, body);
    expect(group.fee).toEqual({ amount: 60, currency: 'USD' });
    expect((group.applicants as { position: number; givenNames: string; nationality: string }[]).map((p) => [p.position, p.givenNames, p.nationality])).toEqual([
      [0, 'Erika', 'DEU'],
      [1, 'Hans', 'DEU'],
      [2, 'Lena', 'DEU'],
    ]);

    const incomplete = await submit(citizen, group.id);
    expectProblem(incomplete, 422);
    expect((incomplete.body.errors as { field: string }[]).map((e) => e.field)).toEqual([
      'payment',
      'photo',
      'passportScan',
      'companions[0].photo',
      'companions[0].passportScan',
      'companions[1].photo',
      'companions[1].passportScan',
    ]);

    await pay(citizen, group.id).expect(200);
    await uploadAll(citizen, group.id);
    const submitted = await submit(citizen, group.id).expect(200);
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.applicants).toHaveLength(3);
    const mail = await t.mailbox.waitFor(body.email, (m) => m.subject === `${group.reference} raqamli elektron viza arizasi yuborildi`);
    expect(mail.text).toContain('arizadagi shaxslar soni: 3');

    // A companion's passport number finds the group's status too; once issued, with that person's own e-visa.
    const pending = await t.http().post(api('/visa-status')).send({ reference: group.reference, passportNumber: 'C01X00T63' }).expect(200);
    expect(pending.body).toEqual({ reference: group.reference, status: 'submitted' });
    await setStatus(group.id, 'approved', `, decided_at = now(), decided_by = owner_id`);
    await t.db.query(`UPDATE visa_applicants SET decision = 'approved' WHERE application_id = $1`, [group.id]);
    await t.app.get(VisaIssuanceService).issueApplication(group.id);
    const [lena] = await t.db.query(
      `SELECT e.visa_number, e.valid_from::text, e.valid_until::text FROM evisas e JOIN visa_applicants p ON p.id = e.applicant_id
        WHERE e.application_id = $1 AND p.position = 2`,
      [group.id],
    );
    const issued = await t.http().post(api('/visa-status')).send({ reference: group.reference, passportNumber: 'C01X00T63' }).expect(200);
    expect(issued.body).toEqual({
      reference: group.reference,
      status: 'issued',
      visa: { number: lena.visa_number, validFrom: lena.valid_from, validUntil: lena.valid_until, status: 'valid' },
    });
    const view = await t.http().get(api(`/visa-applications/${group.id}`)).set(citizen.auth).expect(200);
    expect(view.body.status).toBe('issued');
    expect(view.body.applicants[2].visa).toEqual({ number: lena.visa_number, validFrom: lena.valid_from, validUntil: lena.valid_until, status: 'valid' });
    expect(new Set(view.body.applicants.map((p: { visa: { number: string } }) => p.visa.number)).size).toBe(3);
    // At most nine companions.
    const tooMany = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ companions: Array.from({ length: 10 }, (_, i) => companion('Gast', `Nummer${i}`, `X0000${i}10`, '1990-01-01')) }));
    expectProblem(tooMany, 400);
  });

  it('refuses what breaks the rules with 422, listing every problem with its field', async () => {
    const citizen = await createAccount(t);
    const ineligible = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ nationality: 'PRK' }));
    expectProblem(ineligible, 422);
    expect(ineligible.body.code).toBe('visa_nationality_ineligible');
    expect(ineligible.body.detail).toMatch(/PRK passports cannot apply for an e-visa/);
    expect(ineligible.body.errors).toEqual([{ field: 'nationality', message: expect.stringMatching(/PRK/) }]);

    const soon = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ arrivalDate: addDays(today, 1) }));
    expectProblem(soon, 422);
    expect(soon.body).toMatchObject({ code: 'visa_application_invalid', errors: [{ field: 'arrivalDate', message: expect.stringMatching(/at least 3 working days ahead/) }] });

    const farAhead = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ arrivalDate: addDays(today, 95) }));
    expect(farAhead.body.errors).toEqual([{ field: 'arrivalDate', message: expect.stringMatching(/at most 90 days ahead/) }]);

    const shortPassport = draft();
    (shortPassport.passport as { expiryDate: string }).expiryDate = addDays(arrival, 60);
    const expiring = await t.http().post(api('/visa-applications')).set(citizen.auth).send(shortPassport);
    expectProblem(expiring, 422);
    expect(expiring.body.errors).toEqual([{ field: 'passport.expiryDate', message: expect.stringMatching(/valid at least 3 months after the stay ends/) }]);

    const several = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ entries: 'multiple', stayDays: 45, companions: [companion('Kim', 'Jong', 'PK1234567', '1980-01-01')] }));
    expect(several.status).toBe(422);
    expect((several.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['entries', 'stayDays']);

    const unknownType = await t.http().post(api('/visa-applications')).set(citizen.auth).send(draft({ visaType: 'diplomatic' }));
    expect(unknownType.body.errors).toEqual([{ field: 'visaType', message: expect.stringMatching(/tourist, business, transit/) }]);
    expect(await t.db.query(`SELECT 1 FROM visa_applications WHERE owner_id = $1`, [citizen.id])).toHaveLength(0);
  });

  it('verifies a given passport MRZ by its check digits and against the form', async () => {
    const citizen = await createAccount(t);
    const mrz = passportTd3(erika);
    const withMrz = draft();
    (withMrz.passport as Record<string, string>).mrz = mrz;
    const accepted = await create(citizen, withMrz);
    expect((accepted.applicants as { passport: { mrzGiven: boolean } }[])[0].passport.mrzGiven).toBe(true);
    const [stored] = await t.db.query(`SELECT mrz_enc FROM visa_applicants WHERE application_id = $1`, [accepted.id]);
    expect(stored.mrz_enc).toMatch(/^v1\./);

    const otherPerson = draft({ person: { surname: 'Mustermann', givenNames: 'Erika', dateOfBirth: '1964-08-13', sex: 'F', placeOfBirth: 'Berlin' } });
    (otherPerson.passport as Record<string, string>).mrz = mrz;
    const mismatch = await t.http().post(api('/visa-applications')).set(citizen.auth).send(otherPerson);
    expectProblem(mismatch, 422);
    expect(mismatch.body.errors).toEqual([
      { field: 'passport.mrz', message: 'the MRZ does not match person.dateOfBirth (date of birth)' },
      { field: 'passport.mrz', message: 'the MRZ does not match person.surname (surname)' },
    ]);

    const lines = mrz.split('\n');
    const corrupted = draft();
    (corrupted.passport as Record<string, string>).mrz = `${lines[0]}\n${lines[1].slice(0, 9)}${(Number(lines[1][9]) + 1) % 10}${lines[1].slice(10)}`;
    const badDigit = await t.http().post(api('/visa-applications')).set(citizen.auth).send(corrupted);
    expectProblem(badDigit, 422);
    expect(badDigit.body.errors).toEqual(expect.arrayContaining([{ field: 'passport.mrz', message: expect.stringMatching(/check digit/i) }]));
  });

  it('changes a draft (PATCH), re-checks it, and keeps the fee once paid', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    const changed = await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ stayDays: 20, countryOfResidence: 'AT' }).expect(200);
    expect(changed.body).toMatchObject({ stayDays: 20, countryOfResidence: 'AT', status: 'draft' });
    const tooLong = await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ stayDays: 31 });
    expectProblem(tooLong, 422);
    await pay(citizen, created.id).expect(200);
    await uploadAll(citizen, created.id);
    const bigger = await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ companions: [companion('Müller', 'Hans', 'C01X00T55', '1962-01-30')] });
    expectProblem(bigger, 409);
    expect(bigger.body.code).toBe('visa_fee_locked');
    // A change of the lead applicant's passport keeps their uploads (same position).
    const newPassport = await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ passport: { number: 'C01X00T99', issueDate: '2024-01-01', expiryDate: erika.expiryDate } }).expect(200);
    expect(newPassport.body.applicants[0]).toMatchObject({ passport: expect.objectContaining({ number: 'C0*****99' }), photo: true });
    const again = await pay(citizen, created.id);
    expectProblem(again, 409);
    expect(again.body.code).toBe('visa_application_paid');
  });

  it('answers 402 when the provider declines, and records nothing', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    // The provider is the outside world here: it declines this one charge.
    jest.spyOn(t.app.get(PaymentProvider), 'charge').mockRejectedValueOnce(new PaymentDeclined('card expired'));
    const declined = await pay(citizen, created.id);
    expectProblem(declined, 402);
    expect(declined.body).toMatchObject({ code: 'visa_payment_failed', detail: 'The payment was declined: card expired' });
    expect(await t.db.query(`SELECT 1 FROM visa_payments WHERE application_id = $1`, [created.id])).toHaveLength(0);
    expect((await pay(citizen, created.id).expect(200)).body.paid).toBe(true);
  });

  it('honours Idempotency-Key on payment and submission: a replay does nothing twice, another body is a 422', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    const key = randomUUID();
    const first = await pay(citizen, created.id, key).expect(200);
    const replay = await pay(citizen, created.id, key).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await t.db.query(`SELECT 1 FROM visa_payments WHERE application_id = $1`, [created.id])).toHaveLength(1);
    expectProblem(await pay(citizen, created.id, key, { amount: 1 }), 422);

    await uploadAll(citizen, created.id);
    const submitKey = randomUUID();
    const submitted = await submit(citizen, created.id, submitKey).expect(200);
    const resubmitted = await submit(citizen, created.id, submitKey).expect(200);
    expect(resubmitted.body).toEqual(submitted.body);
    expect(await t.db.query(`SELECT 1 FROM visa_application_history WHERE application_id = $1 AND action = 'submit'`, [created.id])).toHaveLength(1);
    const otherBody = await submit(citizen, created.id, submitKey, { note: 'again' });
    expectProblem(otherBody, 422);
    // Without the key, a second submission is simply a wrong state.
    expectProblem(await t.http().post(api(`/visa-applications/${created.id}/submit`)).set(citizen.auth).send({}), 409);
  });

  it('lists my applications newest first, a page at a time', async () => {
    const citizen = await createAccount(t);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await create(citizen)).id);
    const first = await t.http().get(api('/visa-applications')).query({ limit: 2 }).set(citizen.auth).expect(200);
    expect(first.body.items.map((a: Application) => a.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0].history).toBeUndefined();
    const second = await t.http().get(api('/visa-applications')).query({ limit: 2, cursor: first.body.nextCursor }).set(citizen.auth).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: ids[0], applicants: [expect.objectContaining({ position: 0 })] })], nextCursor: null });
    expectProblem(await t.http().get(api('/visa-applications')).query({ cursor: `${first.body.nextCursor}x` }).set(citizen.auth), 400);
  });

  it('answers 404 for someone else’s application on every route, and 403 for staff and unverified accounts', async () => {
    const owner = await createAccount(t);
    const stranger = await createAccount(t);
    const created = await create(owner);
    const id = created.id;
    expectProblem(await t.http().get(api(`/visa-applications/${id}`)).set(stranger.auth), 404);
    expectProblem(await t.http().patch(api(`/visa-applications/${id}`)).set(stranger.auth).send({ stayDays: 3 }), 404);
    expectProblem(await pay(stranger, id), 404);
    expectProblem(await submit(stranger, id), 404);
    expectProblem(await t.http().post(api(`/visa-applications/${id}/withdraw`)).set(stranger.auth).send({}), 404);
    expect((await t.http().get(api('/visa-applications')).set(stranger.auth).expect(200)).body.items).toEqual([]);

    const officer = await createAccount(t, { role: 'officer', missions: ['TAS'] });
    expectProblem(await t.http().post(api('/visa-applications')).set(officer.auth).send(draft()), 403);
    const unverified = await createAccount(t, { verified: false });
    expectProblem(await t.http().post(api('/visa-applications')).set(unverified.auth).send(draft()), 403);
    expectProblem(await t.http().get(api('/visa-applications/not-a-uuid')).set(owner.auth), 400);
  });

  it('refuses every transition the state machine does not allow with 409', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    const id = created.id;
    const withdraw = () => t.http().post(api(`/visa-applications/${id}/withdraw`)).set(citizen.auth).send({});

    await setStatus(id, 'in_review', `, submitted_at = now(), due_at = now() + interval '2 days', assigned_to = owner_id, claimed_at = now()`);
    const inReview = await withdraw();
    expectProblem(inReview, 409);
    expect(inReview.body).toMatchObject({ code: 'invalid_transition', detail: "A visa application in state 'in_review' cannot be withdrawn" });
    expectProblem(await submit(citizen, id), 409);
    expectProblem(await t.http().patch(api(`/visa-applications/${id}`)).set(citizen.auth).send({ stayDays: 3 }), 409);
    expectProblem(await pay(citizen, id), 409);

    for (const status of ['approved', 'issued', 'rejected', 'revoked']) {
      await setStatus(id, status, `, decided_at = now(), decided_by = owner_id, decision_reason_code = 'documents_invalid'`);
      expectProblem(await withdraw(), 409);
      expectProblem(await submit(citizen, id), 409);
    }

    await setStatus(id, 'submitted');
    const withdrawn = await withdraw().expect(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    expectProblem(await withdraw(), 409);
    expectProblem(await submit(citizen, id), 409);

    const draftToWithdraw = await create(citizen);
    expect((await t.http().post(api(`/visa-applications/${draftToWithdraw.id}/withdraw`)).set(citizen.auth).send({}).expect(200)).body.status).toBe('withdrawn');
  });

  it('checks the rules again on submission: a draft whose arrival came too close is refused until it is changed', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    await pay(citizen, created.id).expect(200);
    await uploadAll(citizen, created.id);
    await t.db.query(`UPDATE visa_applications SET arrival_date = $2 WHERE id = $1`, [created.id, addDays(today, 1)]);
    const late = await submit(citizen, created.id);
    expectProblem(late, 422);
    expect(late.body.errors).toEqual([{ field: 'arrivalDate', message: expect.stringMatching(/at least 3 working days ahead/) }]);
    await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ arrivalDate: arrival }).expect(200);
    expect((await submit(citizen, created.id).expect(200)).body.status).toBe('submitted');
  });

  it('restarts the deadline when an application sent back for information is resubmitted', async () => {
    const citizen = await createAccount(t);
    const created = await create(citizen);
    await pay(citizen, created.id).expect(200);
    await uploadAll(citizen, created.id);
    await submit(citizen, created.id).expect(200);
    await setStatus(created.id, 'info_requested', `, due_at = now() - interval '3 days', submitted_at = now() - interval '5 days'`);
    await t.http().patch(api(`/visa-applications/${created.id}`)).set(citizen.auth).send({ purpose: 'Tourism and a wedding in Tashkent' }).expect(200);
    const resubmitted = await submit(citizen, created.id).expect(200);
    expect(resubmitted.body.status).toBe('submitted');
    expect(Date.parse(resubmitted.body.dueAt)).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(resubmitted.body.history.at(-1)).toMatchObject({ fromStatus: 'info_requested', toStatus: 'submitted', note: 'Resubmitted after a request for information' });
  });

  it('routes by country of residence when the rules say so: the serving mission, its time zone for the deadline, else the central unit', async () => {
    const routing = t.app.get(VisaRulesService).rules.routing;
    const central = { ...routing };
    Object.assign(routing, { mode: 'by-residence' });
    try {
      const citizen = await createAccount(t);
      const fromGermany = await create(citizen, draft({ phone: '+49 30 1234567' }));
      expect(fromGermany).toMatchObject({ countryOfResidence: 'DE', processingMissionCode: expect.stringMatching(/^(BER|FRA)$/) });
      await pay(citizen, fromGermany.id).expect(200);
      await uploadAll(citizen, fromGermany.id);
      const submitted = await submit(citizen, fromGermany.id).expect(200);
      // The decision is due at 18:00 in Berlin on a working day.
      const due = new Date(submitted.body.dueAt);
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(due)).toBe('18:00');
      expect([0, 6]).not.toContain(new Date(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(due)).getUTCDay());

      const fromBrazil = await create(citizen, draft({ phone: '+55 11 91234 5678' }));
      expect(fromBrazil).toMatchObject({ countryOfResidence: 'BR', processingMissionCode: 'TAS' });
      const statedResidence = await create(citizen, draft({ phone: '+55 11 91234 5678', countryOfResidence: 'GB' }));
      expect(statedResidence).toMatchObject({ countryOfResidence: 'GB', processingMissionCode: 'LON' });
    } finally {
      Object.assign(routing, central);
    }
  });

  it('flags a submission whose passport is on another open application, or whose person is on the watch list (in another script)', async () => {
    const admin = await createAccount(t, { role: 'admin' });
    await t
      .http()
      .post(api('/admin/watchlist'))
      .set(admin.auth)
      .send({ surname: 'Petrov', givenNames: 'Ivan', dateOfBirth: '1975-04-03', note: 'Test entry' })
      .expect(201);

    const first = await createAccount(t);
    const second = await createAccount(t);
    const submitted = async (citizen: Account, body: Record<string, unknown>) => {
      const created = await create(citizen, body);
      await pay(citizen, created.id).expect(200);
      await uploadAll(citizen, created.id);
      await submit(citizen, created.id).expect(200);
      const [row] = await t.db.query(`SELECT flagged, flag_reasons FROM visa_applications WHERE id = $1`, [created.id]);
      return row as { flagged: boolean; flag_reasons: { code: string; position: number; detail: string }[] };
    };

    const clean = await submitted(first, draft({ passport: { number: 'D44556677', issueDate: '2021-03-01', expiryDate: erika.expiryDate } }));
    expect(clean).toEqual({ flagged: false, flag_reasons: [] });
    const duplicate = await submitted(second, draft({ passport: { number: 'D44556677', issueDate: '2021-03-01', expiryDate: erika.expiryDate } }));
    expect(duplicate.flagged).toBe(true);
    expect(duplicate.flag_reasons).toEqual([{ code: 'same_passport_open', position: 0, detail: expect.stringMatching(/^The same passport is on open application EV-/) }]);

    const listed = await submitted(
      second,
      draft({
        nationality: 'RUS',
        passport: { number: '751234567', issueDate: '2021-03-01', expiryDate: erika.expiryDate },
        person: { surname: 'Петров', givenNames: 'Иван', dateOfBirth: '1975-04-03', sex: 'M', placeOfBirth: 'Москва' },
        phone: '+7 495 123 45 67',
      }),
    );
    expect(listed.flagged).toBe(true);
    expect(listed.flag_reasons).toEqual([{ code: 'watchlist_match', position: 0, detail: expect.stringMatching(/^Watch list: name and date of birth match/) }]);
  });

  // Last: it spends this address's status checks for the minute.
  it('limits status checks per address, shared by every API process', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await t.http().post(api('/visa-status')).send({ reference: 'EV-22222222', passportNumber: 'C01X00T47' })).status);
    }
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(20);
    const refused = await t.http().post(api('/visa-status')).send({ reference: 'EV-22222222', passportNumber: 'C01X00T47' });
    expectProblem(refused, 429);
    expect(refused.headers['retry-after']).toBeDefined();
  });
});
