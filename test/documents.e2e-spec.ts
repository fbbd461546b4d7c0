import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import QRCode from 'qrcode';
import { canonicalJson } from '../src/common/canonical-json';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { VERIFY_RATE_LIMIT_PER_MINUTE } from '../src/documents/verify.controller';
import { minimalPdf } from './support/images';
import { pdfText, qrMatrix, qrMatrixInPdf } from './support/pdf';
import { activeRegistration, BERLIN_REGISTRATION } from './support/registration-seed';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';
const SERIAL = /^UZ-BER-\d{4}-\d{6}$/;

/** Holder data of a consular registration certificate (approved by officers and consuls). */
const registrationFields = (overrides: Record<string, string> = {}) => ({
  fullName: 'Дилшод Каримов',
  dateOfBirth: '1990-04-12',
  placeOfBirth: 'Fargʻona',
  passportNumber: 'FA1234567',
  countryOfResidence: 'DE',
  addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
  phone: '+493012345678',
  ...overrides,
});

const registrationOf = (overrides: Record<string, unknown> = {}) => ({ ...BERLIN_REGISTRATION, ...overrides });

/** Holder data of a certificate of return (approved by consuls only). */
const returnFields = {
  fullName: 'Oʻgʻiloy Toshmatova',
  dateOfBirth: '1985-11-02',
  placeOfBirth: 'Toshkent',
  passportLossReason: 'stolen',
  travelDestination: 'Toshkent',
  plannedDepartureDate: '2026-12-01',
  phone: '+491701234567',
};

describe('Documents: requests, issuance, download, verification, revocation', () => {
  let t: TestApp;
  let citizen: Account;
  let uzbekCitizen: Account;
  let stranger: Account;
  let officer: Account;
  let consul: Account;
  let parisOfficer: Account;
  let parisConsul: Account;
  let admin: Account;

  /** The suite stays under the /verify limit (VERIFY_RATE_LIMIT_PER_MINUTE a minute per address) until its last test. */
  const verifyRequest = (path: string) => t.http().get(path);

  const submit = (account: Account, body: Record<string, unknown>) => t.http().post(`${API}/document-requests`).set(account.auth).send(body);
  const approve = (account: Account, id: string) => t.http().post(`${API}/staff/document-requests/${id}/approve`).set(account.auth).send();
  const pdfOf = (account: Account, serial: string) =>
    t
      .http()
      .get(`${API}/documents/${serial}/pdf`)
      .set(account.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => done(null, Buffer.concat(chunks)));
      });
  /** The document row as stored, with its PDF decrypted (`sealedPdf` is the column as it is on disk). */
  const storedDocument = async (serial: string) => {
    const [row] = (await t.db.query(`SELECT pdf, pdf_sha256, signature, qr_signature, kid, signed_payload FROM documents WHERE serial = $1`, [serial])) as {
      pdf: Buffer;
      pdf_sha256: string;
      signature: string;
      qr_signature: string;
      kid: string;
      signed_payload: Record<string, string>;
    }[];
    return { ...row, sealedPdf: row.pdf, pdf: t.app.get(FieldCipher).decryptBytes(row.pdf) };
  };

  beforeAll(async () => {
    t = await startTestApp();
    [citizen, uzbekCitizen, stranger, officer, consul, parisOfficer, parisConsul, admin] = await Promise.all([
      createAccount(t, { role: 'citizen', locale: 'ru', fullName: 'Дилшод Каримов' }),
      createAccount(t, { role: 'citizen', locale: 'uz', fullName: 'Oʻgʻiloy Toshmatova' }),
      createAccount(t, { role: 'citizen', locale: 'en', fullName: 'Someone Else' }),
      createAccount(t, { role: 'officer', missions: ['BER'], fullName: 'Aziz Rahimov' }),
      createAccount(t, { role: 'consul', missions: ['BER'], fullName: 'Nodira Yusupova' }),
      createAccount(t, { role: 'officer', missions: ['PAR'] }),
      createAccount(t, { role: 'consul', missions: ['PAR'] }),
      createAccount(t, { role: 'admin' }),
    ]);
    // A registration certificate needs an active consular registration with the mission.
    await Promise.all([citizen, uzbekCitizen, stranger].map((account) => activeRegistration(t, account)));
  });
  afterAll(() => t?.close());

  describe('document types', () => {
    it('lists the types with their fields, validation, fee, validity and approving roles, without signing in', async () => {
      const { body } = await t.http().get(`${API}/document-types`).expect(200);
      expect(body.map((type: { code: string }) => type.code).sort()).toEqual([
        'certificate-of-return',
        'consular-registration-certificate',
        'residence-abroad-certificate',
      ]);
      const certificateOfReturn = body.find((type: { code: string }) => type.code === 'certificate-of-return');
      expect(certificateOfReturn).toMatchObject({
        approverRoles: ['consul'],
        fee: { amount: 20, currency: 'USD', payBeforeQueue: true },
        attachments: [expect.objectContaining({ name: 'policeReport', required: true, types: ['application/pdf', 'image/jpeg', 'image/png'] })],
        validityDays: 30,
        name: { uz: expect.stringContaining('qaytish'), ru: expect.stringContaining('возвращение'), en: expect.stringContaining('return') },
      });
      expect(certificateOfReturn.fields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'fullName', type: 'text', required: true, maxLength: 120, printed: true }),
          expect.objectContaining({
            name: 'passportLossReason',
            type: 'enum',
            options: expect.arrayContaining([expect.objectContaining({ value: 'stolen' })]),
          }),
          expect.objectContaining({ name: 'phone', type: 'phone', printed: false }),
        ]),
      );
    });
  });

  describe('requests', () => {
    it('submits a request (201 submitted) that the citizen alone can read', async () => {
      const created = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }).expect(201);
      expect(created.body).toMatchObject({ status: 'submitted', type: 'consular-registration-certificate', missionCode: 'BER', locale: 'ru', serial: null });
      await t.http().get(`${API}/document-requests/${created.body.id}`).set(citizen.auth).expect(200);
      const mine = await t.http().get(`${API}/document-requests`).set(citizen.auth).expect(200);
      expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(created.body.id);
      expectProblem(await t.http().get(`${API}/document-requests/${created.body.id}`).set(stranger.auth), 404);
      const theirs = await t.http().get(`${API}/document-requests`).set(stranger.auth).expect(200);
      expect(theirs.body.items).toEqual([]);
    });

    it('refuses an unknown type or mission (422 naming the field) and invalid fields (400 naming fields.x)', async () => {
      const unknownType = await submit(citizen, { type: 'driving-licence', missionCode: 'BER', fields: {} });
      expectProblem(unknownType, 422);
      expect(unknownType.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);

      const unknownMission = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'XYZ', fields: registrationFields() });
      expectProblem(unknownMission, 422);
      expect(unknownMission.body.errors).toEqual([expect.objectContaining({ field: 'missionCode' })]);

      const invalid = await submit(citizen, {
        type: 'consular-registration-certificate',
        missionCode: 'BER',
        fields: registrationFields({ dateOfBirth: '1990-02-30', passportNumber: 'nope', favouriteColour: 'blue' }),
      });
      expectProblem(invalid, 400);
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['fields.dateOfBirth', 'fields.favouriteColour', 'fields.passportNumber']);
      const missing = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: { fullName: 'Дилшод Каримов' } });
      expectProblem(missing, 400);
      expect(missing.body.errors).toEqual(expect.arrayContaining([{ field: 'fields.dateOfBirth', message: 'is required' }]));
    });

    it('lets only verified citizens submit', async () => {
      const unverified = await createAccount(t, { role: 'citizen', verified: false });
      expectProblem(await submit(unverified, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }), 403);
      expectProblem(await submit(officer, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }), 403);
    });

    it('asks for an active registration with the mission before a registration certificate (422 naming the mission)', async () => {
      const newcomer = await createAccount(t, { role: 'citizen', fullName: 'Kamola Ergasheva' });
      const refused = await submit(newcomer, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() });
      expectProblem(refused, 422);
      expect(refused.body).toMatchObject({ code: 'registration_required', detail: expect.stringContaining('BER') });
      // Registered but not yet verified by the mission: still not enough.
      const pending = (await t.http().post(`${API}/registrations`).set(newcomer.auth).send(registrationOf()).expect(201)).body.id as string;
      expectProblem(await submit(newcomer, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }), 422);
      expect(Number((await t.db.query(`SELECT count(*) AS n FROM document_requests WHERE owner_id = $1`, [newcomer.id]))[0].n)).toBe(0);
      // A residence certificate asks for none, and names none.
      const residence = await submit(newcomer, { type: 'residence-abroad-certificate', missionCode: 'BER', fields: residenceFields() }).expect(201);
      expect(residence.body).toMatchObject({ registrationId: null, flags: [] });
      await t.db.query(`UPDATE registrations SET status = 'active', verified_at = now() WHERE id = $1`, [pending]);
      const accepted = await submit(newcomer, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields({ fullName: 'ERGASHEVA Kamola' }) }).expect(201);
      expect(accepted.body).toMatchObject({ registrationId: pending, flags: [] });
    });

    it('offers the fields the registration answers pre-filled, and only from the caller’s own active registration there', async () => {
      const prefill = (account: Account, type: string, missionCode: string) =>
        t.http().get(`${API}/document-types/${type}/prefill`).query({ missionCode }).set(account.auth);
      const { body } = await prefill(citizen, 'consular-registration-certificate', 'BER').expect(200);
      expect(body).toEqual({
        type: 'consular-registration-certificate',
        missionCode: 'BER',
        registrationId: expect.any(String),
        requiresRegistration: true,
        fields: {
          fullName: 'Дилшод Каримов',
          dateOfBirth: '1990-04-12',
          passportNumber: 'FA1234567',
          countryOfResidence: 'DE',
          addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
          phone: '+49301234567',
        },
      });
      const owner = await t.db.query(`SELECT owner_id FROM registrations WHERE id = $1`, [body.registrationId]);
      expect(owner[0].owner_id).toBe(citizen.id);
      expect((await prefill(citizen, 'consular-registration-certificate', 'PAR').expect(200)).body).toMatchObject({ registrationId: null, fields: {} });
      const outsider = await createAccount(t, { role: 'citizen' });
      expect((await prefill(outsider, 'residence-abroad-certificate', 'BER').expect(200)).body).toMatchObject({ registrationId: null, requiresRegistration: false, fields: {} });
      expectProblem(await prefill(citizen, 'driving-licence', 'BER'), 422);
      expectProblem(await prefill(citizen, 'consular-registration-certificate', 'nope'), 400);
      expectProblem(await prefill(officer, 'consular-registration-certificate', 'BER'), 403);
      expectProblem(await t.http().get(`${API}/document-types/consular-registration-certificate/prefill?missionCode=BER`), 401);
    });

    it('flags to staff a holder name that differs from the registration, and not the same name written otherwise', async () => {
      const latin = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields({ fullName: 'Dilshod Karimov' }) }).expect(201);
      expect(latin.body.flags).toEqual([{ code: 'name_differs_from_registration', detail: expect.stringContaining('Дилшод Каримов') }]);
      const reordered = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields({ fullName: 'КАРИМОВ  Дилшод' }) }).expect(201);
      expect(reordered.body.flags).toEqual([]);
      const queue = await t.http().get(`${API}/staff/document-requests`).query({ status: 'submitted', limit: 100 }).set(officer.auth).expect(200);
      const seen = new Map(queue.body.items.map((r: { id: string; flags: unknown[] }) => [r.id, r.flags]));
      expect(seen.get(latin.body.id)).toEqual([expect.objectContaining({ code: 'name_differs_from_registration' })]);
      expect(seen.get(reordered.body.id)).toEqual([]);
    });

    it("shows staff their missions' queue, oldest first, filtered and paginated", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const { body } = await submit(stranger, { type: 'residence-abroad-certificate', missionCode: 'BER', fields: residenceFields() }).expect(201);
        ids.push(body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { status: 'submitted', missionCode: 'BER', type: 'residence-abroad-certificate', limit: '2' };
        if (cursor) query.cursor = cursor;
        const page = await t.http().get(`${API}/staff/document-requests`).query(query).set(officer.auth).expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((r: { id: string }) => r.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      // Oldest first: the three newest requests of the filter come last, in order.
      expect(seen.slice(-3)).toEqual(ids);
      const forged = Buffer.from(JSON.stringify(['yesterday', 'not-an-id'])).toString('base64url');
      expectProblem(await t.http().get(`${API}/staff/document-requests`).query({ cursor: forged }).set(officer.auth), 400);

      const paris = await t.http().get(`${API}/staff/document-requests`).set(parisOfficer.auth).expect(200);
      expect(paris.body.items.map((r: { id: string }) => r.id)).not.toContain(ids[0]);
      expectProblem(await t.http().get(`${API}/staff/document-requests/${ids[0]}`).set(parisOfficer.auth), 404);
      expectProblem(await t.http().get(`${API}/staff/document-requests`).set(citizen.auth), 403);
      const all = await t.http().get(`${API}/staff/document-requests`).query({ limit: '100' }).set(admin.auth).expect(200);
      expect(all.body.items.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(ids));
    });
  });

  describe('issuance', () => {
    let requestId: string;
    let serial: string;

    it('issues the document when an officer of the mission approves: 200 with the serial, and an e-mail in Russian', async () => {
      ({
        body: { id: requestId },
      } = await submit(citizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }).expect(201));
      expectProblem(await approve(parisOfficer, requestId), 404);
      expectProblem(await approve(admin, requestId), 403);

      const approved = await approve(officer, requestId).expect(200);
      expect(approved.body).toMatchObject({ id: requestId, status: 'approved', serial: expect.stringMatching(SERIAL), decidedAt: expect.any(String) });
      serial = approved.body.serial;
      expect(serial.slice(7, 11)).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()));

      const mine = await t.http().get(`${API}/document-requests/${requestId}`).set(citizen.auth).expect(200);
      expect(mine.body).toMatchObject({ status: 'approved', serial });

      const mail = await t.mailbox.waitFor(citizen.email, (m) => m.subject.includes(serial));
      expect(mail.subject).toBe(`Ваш документ оформлен: ${serial}`);
      expect(mail.text).toContain('Дилшод Каримов');
      expect(mail.text).toContain('Свидетельство о постановке на консульский учёт');
      expect(mail.text).toMatch(new RegExp(`https://consular\\.test/documents/${serial}\\?token=[\\w.-]+&lang=`));
      expect(mail.text).toContain(`https://consular.test/verify/${serial}`);

      const [audit] = await t.auditQuery(`SELECT actor_id, mission_code, details FROM audit_events WHERE action = 'document.issued' AND entity_id = $1`, [serial]);
      expect(audit).toMatchObject({ actor_id: officer.id, mission_code: 'BER', details: expect.objectContaining({ requestId }) });

      expectProblem(await approve(officer, requestId), 409);
      expectProblem(await t.http().post(`${API}/staff/document-requests/${requestId}/reject`).set(officer.auth).send({ reason: 'Too late' }), 409);
    });

    it('lets the holder and staff of the mission download the stored PDF byte for byte, and nobody else', async () => {
      const stored = await storedDocument(serial);
      const holder = await pdfOf(citizen, serial).expect(200);
      expect(holder.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(holder.body as Buffer, stored.pdf)).toBe(0);
      // At rest the PDF (which prints the passport number) and the request's fields are encrypted.
      expect(stored.sealedPdf.subarray(0, 4).toString()).not.toBe('%PDF');
      const [raw] = await t.db.query(`SELECT r.fields::text AS fields FROM document_requests r JOIN documents d ON d.request_id = r.id WHERE d.serial = $1`, [serial]);
      expect(raw.fields).not.toContain('FA1234567');
      expect(raw.fields).not.toContain('Каримов');
      expect(createHash('sha256').update(holder.body as Buffer).digest('hex')).toBe(stored.pdf_sha256);
      await pdfOf(officer, serial).expect(200);
      await pdfOf(admin, serial).expect(200);
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf`).set(stranger.auth), 404);
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf`).set(parisOfficer.auth), 404);
      expectProblem(await t.http().get(`${API}/documents/${serial}/pdf`), 401);
    });

    it('prints the serial and the Cyrillic name, with Russian labels and English beside them', async () => {
      const text = await pdfText((await storedDocument(serial)).pdf);
      expect(text).toContain(serial);
      expect(text).toContain('Дилшод Каримов');
      expect(text).toContain('Fargʻona');
      expect(text).toContain('Свидетельство о постановке на консульский учёт');
      expect(text).toContain('Certificate of consular registration');
      expect(text).toContain('Посольство Республики Узбекистан в Германии');
      expect(text).toContain('Aziz Rahimov');
      expect(text).toContain(`https://consular.test/verify/${serial}`);
      // Contact details are not printed.
      expect(text).not.toContain('+493012345678');
    });

    it('carries in its QR code the verification URL with a signature that verifies against the published JWKS', async () => {
      const stored = await storedDocument(serial);
      const qrUrl = `https://consular.test/verify/${serial}?s=${stored.qr_signature}`;
      // The vector QR code drawn in the PDF is exactly the code of this URL.
      expect(qrMatrixInPdf(stored.pdf)).toEqual(qrMatrix(QRCode.create(qrUrl, { errorCorrectionLevel: 'M' }).modules));

      const { body: jwks } = await t.http().get('/.well-known/jwks.json').expect(200);
      const jwk = jwks.keys.find((key: { kid: string }) => key.kid === stored.kid);
      expect(jwk).toBeDefined();
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const { pdfSha256, ...claim } = stored.signed_payload;
      expect(Object.keys(claim).sort()).toEqual(['holderHash', 'issuedAt', 'serial', 'type', 'validUntil']);
      expect(claim).toMatchObject({ serial, type: 'consular-registration-certificate' });
      const s = new URL(qrUrl).searchParams.get('s')!;
      const verifies = (payload: object, signature: string) =>
        verifySignature(null, Buffer.from(canonicalJson(payload)), publicKey, Buffer.from(signature, 'base64url'));
      expect(verifies(claim, s)).toBe(true);
      expect(verifies({ ...claim, validUntil: '2099-12-31T00:00:00.000Z' }, s)).toBe(false);
      expect(verifies({ ...claim, serial: serial.replace(/\d$/, (d) => String((Number(d) + 1) % 10)) }, s)).toBe(false);
      // The record's seal covers the PDF's hash as well.
      expect(pdfSha256).toBe(stored.pdf_sha256);
      expect(verifies(stored.signed_payload, stored.signature)).toBe(true);
      expect(verifies({ ...stored.signed_payload, pdfSha256: '0'.repeat(64) }, stored.signature)).toBe(false);
    });

    it('answers /verify with no part of the name, and the full name only with the right signature', async () => {
      const stored = await storedDocument(serial);
      const plain = await verifyRequest(`/verify/${serial}`).set('Accept', 'application/json').expect(200);
      expect(plain.headers['cache-control']).toBe('no-store');
      expect(plain.body).toMatchObject({
        serial,
        type: 'consular-registration-certificate',
        status: 'valid',
        holder: '*****',
        signature: 'absent',
        sha256: stored.pdf_sha256,
        mission: { code: 'BER', name: expect.stringContaining('Germany') },
        issuedAt: expect.any(String),
        validUntil: expect.any(String),
      });
      expect(plain.body).not.toHaveProperty('holderName');
      expect(JSON.stringify(plain.body)).not.toContain('Каримов');
      expect(new Date(plain.body.validUntil).getTime() - new Date(plain.body.issuedAt).getTime()).toBe(365 * 24 * 3600 * 1000);

      const wrong = stored.qr_signature.slice(0, 10) + (stored.qr_signature[10] === 'A' ? 'B' : 'A') + stored.qr_signature.slice(11);
      const forged = await verifyRequest(`/verify/${serial}?s=${wrong}`).set('Accept', 'application/json').expect(200);
      expect(forged.body).toMatchObject({ holder: '*****', signature: 'invalid' });
      expect(forged.body).not.toHaveProperty('holderName');

      const scanned = await verifyRequest(`/verify/${serial}?s=${stored.qr_signature}`).set('Accept', 'application/json').expect(200);
      expect(scanned.body).toMatchObject({ holder: 'Дилшод Каримов', holderName: 'Дилшод Каримов', signature: 'valid', status: 'valid' });

      const page = await verifyRequest(`/verify/${serial}`).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('Valid');
      expect(page.text).toContain('Действителен');
      expect(page.text).toContain('status-valid');
      expect(page.text).not.toContain('Д*');
      expect(page.text).not.toContain('Каримов');
      expect(page.text).toContain('width=device-width');
      expect(page.text).not.toMatch(/<script/i);
      const scannedPage = await verifyRequest(`/verify/${serial}?s=${stored.qr_signature}`).expect(200);
      expect(scannedPage.text).toContain('Дилшод Каримов');
    });

    it('answers 404 for an unknown serial: problem+json for JSON, an HTML page for browsers', async () => {
      const unknown = serial.replace(/-\d{6}$/, '-999999');
      expectProblem(await verifyRequest(`/verify/${unknown}`).set('Accept', 'application/json'), 404);
      expectProblem(await verifyRequest('/verify/not-a-serial').set('Accept', 'application/json'), 404);
      const page = await verifyRequest(`/verify/${unknown}`);
      expect(page.status).toBe(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('Document not found');
      expect(page.text).toContain(unknown);
    });

    it('lets only a consul of the mission revoke: officers 403, other missions 404; /verify says revoked at once', async () => {
      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(officer.auth).send({ reason: 'Issued in error' }), 403);
      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(parisOfficer.auth).send({ reason: 'Issued in error' }), 404);
      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(parisConsul.auth).send({ reason: 'Issued in error' }), 404);
      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(citizen.auth).send({ reason: 'Issued in error' }), 403);
      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(consul.auth).send({}), 400);

      const revoked = await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(consul.auth).send({ reason: 'Passport reported stolen' }).expect(200);
      expect(revoked.body).toMatchObject({ serial, status: 'revoked', revocationReason: 'Passport reported stolen', revokedAt: expect.any(String) });
      const json = await verifyRequest(`/verify/${serial}`).set('Accept', 'application/json').expect(200);
      expect(json.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
      const page = await verifyRequest(`/verify/${serial}`).expect(200);
      expect(page.text).toContain('Revoked');
      expect(page.text).toContain('Отозван');
      expect(page.text).toContain('status-revoked');

      const mail = await t.mailbox.waitFor(citizen.email, (m) => m.subject === `Ваш документ ${serial} отозван`);
      expect(mail.text).toContain('Passport reported stolen');
      const [audit] = await t.auditQuery(`SELECT actor_id, details FROM audit_events WHERE action = 'document.revoked' AND entity_id = $1`, [serial]);
      expect(audit).toMatchObject({ actor_id: consul.id, details: { reason: 'Passport reported stolen', type: 'consular-registration-certificate' } });

      expectProblem(await t.http().post(`${API}/staff/documents/${serial}/revoke`).set(consul.auth).send({ reason: 'Again' }), 409);
      // The stored PDF is never rendered again.
      const stored = await storedDocument(serial);
      expect(createHash('sha256').update(stored.pdf).digest('hex')).toBe(stored.pdf_sha256);
    });

    it('refuses to change what was signed, even for the database owner', async () => {
      await expect(t.db.query(`UPDATE documents SET pdf = '\\x00' WHERE serial = $1`, [serial])).rejects.toThrow(/cannot be changed/);
      await expect(t.db.query(`DELETE FROM documents WHERE serial = $1`, [serial])).rejects.toThrow(/never deleted/);
    });
  });

  describe('certificate of return (consuls only), rejection and expiry', () => {
    it('lets only a consul approve a certificate of return, printed in Uzbek with English beside', async () => {
      // Paid online and with a police report before it enters the queue (test/document-fees.e2e-spec.ts tells the steps).
      const { body } = await submit(uzbekCitizen, { type: 'certificate-of-return', missionCode: 'BER', fields: returnFields }).expect(201);
      expect(body.status).toBe('draft');
      await t.http().put(`${API}/document-requests/${body.id}/attachments/policeReport`).set(uzbekCitizen.auth).attach('file', minimalPdf(), 'report.pdf').expect(200);
      await t.http().post(`${API}/document-requests/${body.id}/payment`).set(uzbekCitizen.auth).send().expect(200);
      await t.http().post(`${API}/document-requests/${body.id}/submit`).set(uzbekCitizen.auth).send().expect(200);
      const refused = await approve(officer, body.id);
      expectProblem(refused, 403);
      expect(refused.body.detail).toContain('consul');
      const approved = await approve(consul, body.id).expect(200);
      const text = await pdfText((await storedDocument(approved.body.serial)).pdf);
      expect(text).toContain('Oʻzbekiston Respublikasiga qaytish uchun guvohnoma');
      expect(text).toContain('Certificate of return to the Republic of Uzbekistan');
      expect(text).toContain('Oʻgʻiloy Toshmatova');
      expect(text).toContain('Oʻgʻirlangan');
      expect(text).toContain('Nodira Yusupova, konsul / consul');
      const mail = await t.mailbox.waitFor(uzbekCitizen.email, (m) => m.subject.includes(approved.body.serial));
      expect(mail.subject).toBe(`Hujjatingiz rasmiylashtirildi: ${approved.body.serial}`);
      const json = await verifyRequest(`/verify/${approved.body.serial}`).set('Accept', 'application/json').expect(200);
      expect(json.body).toMatchObject({ status: 'valid', holder: '*****', language: 'uz' });
      expect(new Date(json.body.validUntil).getTime() - new Date(json.body.issuedAt).getTime()).toBe(30 * 24 * 3600 * 1000);
    });

    it('rejects with a reason: the citizen is e-mailed it in Uzbek, and nothing is issued', async () => {
      const { body } = await submit(uzbekCitizen, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields() }).expect(201);
      expectProblem(await t.http().post(`${API}/staff/document-requests/${body.id}/reject`).set(officer.auth).send({}), 400);
      expectProblem(await t.http().post(`${API}/staff/document-requests/${body.id}/reject`).set(parisOfficer.auth).send({ reason: 'Not ours to decide' }), 404);
      const rejected = await t.http().post(`${API}/staff/document-requests/${body.id}/reject`).set(officer.auth).send({ reason: 'Pasport raqami mos kelmadi' }).expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Pasport raqami mos kelmadi', serial: null });
      const mail = await t.mailbox.waitFor(uzbekCitizen.email, (m) => m.subject === 'Hujjat uchun arizangiz maʼqullanmadi');
      expect(mail.text).toContain('Pasport raqami mos kelmadi');
      expect(mail.text).toContain('Konsullik hisobida turganlik toʻgʻrisida guvohnoma');
      expectProblem(await approve(officer, body.id), 409);
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM documents WHERE request_id = $1`, [body.id]);
      expect(count).toBe(0);
      const history = await t.db.query(`SELECT from_status, to_status, reason FROM document_request_history WHERE request_id = $1 ORDER BY id`, [body.id]);
      expect(history).toEqual([
        { from_status: null, to_status: 'submitted', reason: null },
        { from_status: 'submitted', to_status: 'rejected', reason: 'Pasport raqami mos kelmadi' },
      ]);
    });

    it('reports a document past its validity as expired', async () => {
      const { body } = await submit(citizen, { type: 'residence-abroad-certificate', missionCode: 'BER', fields: residenceFields() }).expect(201);
      const { body: approved } = await approve(officer, body.id).expect(200);
      await t.db.query(`UPDATE documents SET valid_until = now() - interval '1 day', issued_at = now() - interval '200 days' WHERE serial = $1`, [approved.serial]);
      const json = await verifyRequest(`/verify/${approved.serial}`).set('Accept', 'application/json').expect(200);
      expect(json.body.status).toBe('expired');
      const page = await verifyRequest(`/verify/${approved.serial}`).expect(200);
      expect(page.text).toContain('Expired');
      expect(page.text).toContain('Срок действия истёк');
      expect(page.text).toContain('status-expired');
    });
  });

  describe('serials under concurrency', () => {
    it('gives 50 concurrent approvals at one mission 50 distinct consecutive serials', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) {
        const { body } = await submit(stranger, { type: 'consular-registration-certificate', missionCode: 'BER', fields: registrationFields({ fullName: `Person ${i}` }) }).expect(201);
        ids.push(body.id);
      }
      const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric' }).format(new Date()));
      const before = (await t.db.query(`SELECT last_value FROM document_serials WHERE mission_code = 'BER' AND year = $1`, [year]))[0]?.last_value ?? 0;
      const responses = await Promise.all(ids.map((id, i) => approve(i % 2 ? officer : consul, id)));
      expect(responses.map((r) => r.status)).toEqual(ids.map(() => 200));
      const numbers = responses.map((r) => Number((r.body.serial as string).slice(-6))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before + 1 + i));
      const stored = await t.db.query(`SELECT serial, request_id FROM documents WHERE request_id = ANY($1)`, [ids]);
      expect(new Set(stored.map((d: { serial: string }) => d.serial)).size).toBe(50);
    });
  });

  describe('throttling', () => {
    it(`answers /verify at most ${VERIFY_RATE_LIMIT_PER_MINUTE} times a minute per address, then 429 with Retry-After`, async () => {
      // The window is fixed and may have begun with this suite's earlier calls: two windows' worth is enough.
      let throttled: { status: number; headers: Record<string, string> } | undefined;
      let answered = 0;
      for (let i = 0; i < 2 * (VERIFY_RATE_LIMIT_PER_MINUTE + 1) && !throttled; i++) {
        const response = await verifyRequest('/verify/UZ-BER-2000-000001').set('Accept', 'application/json');
        if (response.status === 429) {
          throttled = response;
        } else {
          expect(response.status).toBe(404);
          answered += 1;
        }
      }
      expect(throttled).toBeDefined();
      expectProblem(throttled as never, 429);
      expect(Number(throttled!.headers['retry-after'])).toBeGreaterThan(0);
      expect(answered).toBeLessThanOrEqual(VERIFY_RATE_LIMIT_PER_MINUTE);
    });
  });
});

function residenceFields() {
  return {
    fullName: 'Jasur Aliyev',
    dateOfBirth: '1979-07-30',
    passportNumber: 'AB7654321',
    countryOfResidence: 'DE',
    addressAbroad: 'Torstraße 1, 10119 Berlin',
    residingSince: '2015-09-01',
  };
}
