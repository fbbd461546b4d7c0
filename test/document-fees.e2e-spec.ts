import { createHash } from 'node:crypto';
import { minimalPdf, testImage } from './support/images';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';

/** A certificate of return: paid online (20 USD) and a police report required before it enters the queue. */
const returnRequest = {
  type: 'certificate-of-return',
  missionCode: 'BER',
  fields: {
    fullName: 'Oʻgʻiloy Toshmatova',
    dateOfBirth: '1985-11-02',
    placeOfBirth: 'Toshkent',
    passportLossReason: 'stolen',
    travelDestination: 'Toshkent',
    plannedDepartureDate: '2026-12-01',
    phone: '+491701234567',
  },
};

describe('Document requests: fee and attachments before the queue', () => {
  let t: TestApp;
  let citizen: Account;
  let stranger: Account;
  let officer: Account;
  let parisOfficer: Account;

  const create = (account: Account) => t.http().post(`${API}/document-requests`).set(account.auth).send(returnRequest);
  const upload = (account: Account, id: string, name: string, bytes: Buffer, filename = 'report.pdf') =>
    t.http().put(`${API}/document-requests/${id}/attachments/${name}`).set(account.auth).attach('file', bytes, { filename, contentType: 'application/pdf' });
  const pay = (account: Account, id: string, key: string) => t.http().post(`${API}/document-requests/${id}/payment`).set(account.auth).set('Idempotency-Key', key).send();
  const submit = (account: Account, id: string, key: string) => t.http().post(`${API}/document-requests/${id}/submit`).set(account.auth).set('Idempotency-Key', key).send();
  const queueIds = async (account: Account) =>
    ((await t.http().get(`${API}/staff/document-requests?type=certificate-of-return&limit=100`).set(account.auth).expect(200)).body.items as { id: string }[]).map((r) => r.id);
  const download = (account: Account, id: string, name: string) =>
    t
      .http()
      .get(`${API}/staff/document-requests/${id}/attachments/${name}`)
      .set(account.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
          const body = Buffer.concat(chunks);
          done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
        });
      });

  beforeAll(async () => {
    t = await startTestApp();
    [citizen, stranger, officer, parisOfficer] = await Promise.all([
      createAccount(t, { role: 'citizen', locale: 'uz', fullName: 'Oʻgʻiloy Toshmatova' }),
      createAccount(t, { role: 'citizen', locale: 'en' }),
      createAccount(t, { role: 'officer', missions: ['BER'] }),
      createAccount(t, { role: 'officer', missions: ['PAR'] }),
    ]);
  });
  afterAll(() => t?.close());

  it('creates a draft that says what it lacks, and refuses to queue it until paid and complete (422 listing both)', async () => {
    const { body } = await create(citizen).expect(201);
    expect(body).toMatchObject({ status: 'draft', missing: ['payment', 'attachments.policeReport'] });
    expect(await queueIds(officer)).not.toContain(body.id);
    const refused = await submit(citizen, body.id, 'submit-incomplete');
    expectProblem(refused, 422);
    expect(refused.body).toMatchObject({ code: 'request_incomplete' });
    expect((refused.body.errors as { field: string }[]).map((e) => e.field)).toEqual(['payment', 'attachments.policeReport']);
    const [{ status }] = await t.db.query(`SELECT status FROM document_requests WHERE id = $1`, [body.id]);
    expect(status).toBe('draft');
  });

  it('judges the police report by its bytes: a text file named .pdf is a 415, an unknown attachment a 404', async () => {
    const { body } = await create(citizen).expect(201);
    const text = await upload(citizen, body.id, 'policeReport', Buffer.from('I lost it, honestly'), 'report.pdf');
    expectProblem(text, 415);
    expect(text.body.code).toBe('unsupported_file_type');
    expectProblem(await upload(citizen, body.id, 'birthCertificate', minimalPdf()), 404);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM document_request_attachments WHERE request_id = $1`, [body.id]);
    expect(count).toBe(0);
  });

  it('charges once for two payments with the same Idempotency-Key, and refuses a second payment', async () => {
    const { body } = await create(citizen).expect(201);
    const first = await pay(citizen, body.id, `pay-${body.id}`).expect(200);
    const replay = await pay(citizen, body.id, `pay-${body.id}`).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(first.body.missing).toEqual(['attachments.policeReport']);
    const payments = await t.db.query(`SELECT amount, currency, receipt FROM document_request_payments WHERE request_id = $1`, [body.id]);
    expect(payments).toEqual([{ amount: 2000, currency: 'USD', receipt: expect.objectContaining({ reference: body.id, amount: 2000, currency: 'USD' }) }]);
    expectProblem(await pay(citizen, body.id, `pay-again-${body.id}`), 409);
    const mail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === 'Hujjat uchun arizangiz boʻyicha toʻlov qabul qilindi');
    expect(mail.text).toContain(payments[0].receipt.providerReference);
    expect(mail.text).toContain('Oʻzbekiston Respublikasiga qaytish uchun guvohnoma');
    expect(mail.text).toMatch(/20[,.]00/);
    const [{ count }] = await t.auditQuery(`SELECT count(*)::int AS count FROM audit_events WHERE action = 'document_request.paid' AND entity_id = $1`, [body.id]);
    expect(count).toBe(1);
  });

  it('submits once paid and complete: the request enters the queue, staff download the report, others get 404', async () => {
    const { body } = await create(citizen).expect(201);
    const report = await testImage('png', 800, 1100);
    const uploaded = await upload(citizen, body.id, 'policeReport', report, 'report.png').expect(200);
    expect(uploaded.body.missing).toEqual(['payment']);
    await pay(citizen, body.id, `pay-${body.id}`).expect(200);
    expectProblem(await submit(stranger, body.id, 'stranger-submit'), 404);
    expectProblem(await upload(stranger, body.id, 'policeReport', minimalPdf()), 404);
    expectProblem(await pay(stranger, body.id, 'stranger-pay'), 404);
    const submitted = await submit(citizen, body.id, `submit-${body.id}`).expect(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', missing: [] });
    expect(await queueIds(officer)).toContain(body.id);
    expectProblem(await upload(citizen, body.id, 'policeReport', minimalPdf()), 409);
    expectProblem(await submit(citizen, body.id, `submit-again-${body.id}`), 409);

    const served = await download(officer, body.id, 'policeReport').expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['content-disposition']).toBe('attachment; filename="policeReport.jpg"');
    const [stored] = await t.db.query(`SELECT sha256, content_type, size_bytes FROM document_request_attachments WHERE request_id = $1`, [body.id]);
    expect(stored).toEqual({ sha256: createHash('sha256').update(served.body as Buffer).digest('hex'), content_type: 'image/jpeg', size_bytes: (served.body as Buffer).length });
    expectProblem(await download(parisOfficer, body.id, 'policeReport'), 404);
    expectProblem(await download(officer, body.id, 'birthCertificate'), 404);
    expect((await t.http().get(`${API}/staff/document-requests/${body.id}/attachments/policeReport`).set(stranger.auth)).status).toBe(403);

    const history = await t.db.query(`SELECT from_status, to_status FROM document_request_history WHERE request_id = $1 ORDER BY id`, [body.id]);
    expect(history).toEqual([
      { from_status: null, to_status: 'draft' },
      { from_status: 'draft', to_status: 'submitted' },
    ]);
    const actions = await t.auditQuery(`SELECT action FROM audit_events WHERE entity_type = 'document_request' AND entity_id = $1 ORDER BY id`, [body.id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'document_request.drafted',
      'document_request.attachment_added',
      'document_request.paid',
      'document_request.submitted',
    ]);
  });

  it('keeps a type with nothing to pay online and no files as before: 201 submitted, and no payment route for it', async () => {
    const { body } = await t
      .http()
      .post(`${API}/document-requests`)
      .set(citizen.auth)
      .send({
        type: 'residence-abroad-certificate',
        missionCode: 'BER',
        fields: { fullName: 'Jasur Aliyev', dateOfBirth: '1979-07-30', passportNumber: 'AB7654321', countryOfResidence: 'DE', addressAbroad: 'Torstraße 1, 10119 Berlin', residingSince: '2015-09-01' },
      });
    expect(body).toMatchObject({ status: 'submitted' });
    expect(body.missing).toBeUndefined();
    expectProblem(await pay(citizen, body.id, `pay-${body.id}`), 409);
  });
});
