import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { UnitOfWork } from '../src/common/database/unit-of-work';
import { VisaApplicationsRepository } from '../src/visas/visa-applications.repository';
import { VisaFileSweeper } from '../src/visas/visa-file-sweeper.service';
import { hasGpsPointer, minimalPdf, testImage, ZIP_TAIL } from './support/images';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Visa photo and passport-scan uploads: checked by their bytes, re-encoded, stored encrypted, read back by staff. */
describe('E-visa uploads', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  let tasOfficer: Account;
  let berOfficer: Account;
  let goodPhoto: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    [owner, stranger, tasOfficer, berOfficer] = await Promise.all([
      createAccount(t),
      createAccount(t),
      createAccount(t, { role: 'officer', missions: ['TAS'] }),
      createAccount(t, { role: 'officer', missions: ['BER'] }),
    ]);
    goodPhoto = await testImage('jpeg', 640, 640);
  });
  afterAll(() => t.close());

  /** A draft processed by TAS with a lead applicant and `companions` more people, made through the repository. */
  const draft = async (account: Account, companions = 0) => {
    const repository = t.app.get(VisaApplicationsRepository);
    const application = await t.app.get(UnitOfWork).run((tx) =>
      repository.create(
        tx.manager,
        {
          ownerId: account.id,
          visaType: 'tourist',
          entries: 'single',
          arrivalDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
          stayDays: 10,
          purpose: 'tourism',
          addressInCountry: 'Hotel Uzbekistan, Tashkent',
          email: account.email,
          phone: '+4915112345678',
          locale: 'en',
          countryOfResidence: 'DE',
          feeAmount: 2000,
          feeCurrency: 'USD',
          processingMissionCode: 'TAS',
        },
        Array.from({ length: companions + 1 }, (_, position) => ({
          position,
          surname: 'Schmidt',
          givenNames: ['Jonas', 'Lena', 'Paul'][position] ?? 'Mia',
          sex: 'X' as const,
          dateOfBirth: '1990-01-01',
          placeOfBirth: 'Hamburg',
          nationality: 'DEU',
          passportNumber: `C01X0${position}T47`,
          passportIssueDate: '2020-01-01',
          passportExpiryDate: '2030-01-01',
          mrz: null,
        })),
        account.id,
      ),
    );
    const people = (await t.db.query(`SELECT id FROM visa_applicants WHERE application_id = $1 ORDER BY position`, [application.id])) as { id: string }[];
    return { id: application.id, people: people.map((p) => p.id) };
  };

  const put = (account: Account, applicationId: string, kind: 'photo' | 'passport-scan', bytes: Buffer, options: { filename?: string; contentType?: string; query?: Record<string, string> } = {}) =>
    t
      .http()
      .put(`${API}/visa-applications/${applicationId}/${kind}`)
      .query(options.query ?? {})
      .set(account.auth)
      .attach('file', bytes, { filename: options.filename ?? (kind === 'photo' ? 'photo.jpg' : 'scan.pdf'), contentType: options.contentType ?? 'image/jpeg' });

  const download = (account: Account, applicationId: string, fileId: string) =>
    t
      .http()
      .get(`${API}/staff/visa-applications/${applicationId}/files/${fileId}`)
      .set(account.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
          const body = Buffer.concat(chunks);
          done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
        });
      });

  const storedKey = async (fileId: string) => ((await t.db.query(`SELECT storage_key FROM visa_files WHERE id = $1`, [fileId])) as { storage_key: string }[])[0]?.storage_key;

  it('takes a JPEG photo with GPS EXIF and gives staff back a re-encoded JPEG without it, stored encrypted', async () => {
    const application = await draft(owner);
    const original = await testImage('jpeg', 720, 640, { gps: true });
    expect(hasGpsPointer((await sharp(original).metadata()).exif!)).toBe(true);

    const response = await put(owner, application.id, 'photo', original);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      expect.objectContaining({ kind: 'photo', applicantId: application.people[0], contentType: 'image/jpeg', width: 720, height: 640, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    );

    const served = await download(tasOfficer, application.id, response.body.id);
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.headers['content-disposition']).toBe('attachment; filename="photo.jpg"');
    expect(served.headers['cache-control']).toBe('no-store');
    const bytes = served.body as Buffer;
    expect(sha256(bytes)).toBe(response.body.sha256);
    expect(bytes.length).toBe(response.body.size);
    const metadata = await sharp(bytes).metadata();
    expect(metadata).toEqual(expect.objectContaining({ format: 'jpeg', width: 720, height: 640 }));
    expect(metadata.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('Location Leaker'))).toBe(false);

    // On disk: under a generated name, and not the bytes (nor any recognisable JPEG).
    const key = await storedKey(response.body.id);
    expect(key).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{32}$/);
    const onDisk = readFileSync(join(t.dataDir, 'files', key));
    expect(onDisk.equals(bytes)).toBe(false);
    expect(onDisk.includes(bytes.subarray(0, 64))).toBe(false);
    expect(onDisk.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(false);

    const audit = await t.auditQuery(`SELECT action, actor_id FROM audit_events WHERE entity_type = 'visa_application' AND entity_id = $1 AND action LIKE 'visa.photo%'`, [application.id]);
    expect(audit).toEqual([{ action: 'visa.photo_uploaded', actor_id: owner.id }]);
  });

  it('refuses by the bytes: a text file named photo.jpg and a GIF are 415, whatever they claim', async () => {
    const application = await draft(owner);
    const text = await put(owner, application.id, 'photo', Buffer.from('This is not a photo, only text.\n'), { filename: 'photo.jpg', contentType: 'image/jpeg' });
    expectProblem(text, 415);
    expect(text.body.code).toBe('unsupported_file_type');
    const gif = await put(owner, application.id, 'photo', await testImage('gif', 640, 640), { filename: 'photo.png', contentType: 'image/png' });
    expectProblem(gif, 415);
    expectProblem(await put(owner, application.id, 'passport-scan', Buffer.from('<html><body>scan</body></html>'), { filename: 'scan.pdf', contentType: 'application/pdf' }), 415);
    expect(await t.db.query(`SELECT 1 FROM visa_files WHERE application_id = $1`, [application.id])).toEqual([]);
  });

  it('refuses a 3 MB photo with 413, and a photo under 600×600 with 422', async () => {
    const application = await draft(owner);
    const big = Buffer.concat([goodPhoto, Buffer.alloc(3 * 1024 * 1024 - goodPhoto.length, 7)]);
    const tooBig = await put(owner, application.id, 'photo', big);
    expectProblem(tooBig, 413);
    expect(tooBig.body.code).toBe('file_too_large');
    expectProblem(await put(owner, application.id, 'passport-scan', Buffer.alloc(5 * 1024 * 1024 + 1, 1), { contentType: 'application/pdf' }), 413);
    const small = await put(owner, application.id, 'photo', await testImage('jpeg', 599, 599));
    expectProblem(small, 422);
    expect(small.body.code).toBe('photo_too_small');
    // The 3 MB JPEG is fine as a passport scan (limit 5 MB): re-encoded, the padding gone.
    const scan = await put(owner, application.id, 'passport-scan', big);
    expect(scan.status).toBe(200);
    expect(scan.body.size).toBeLessThan(big.length);
  });

  it('turns a JPEG with a ZIP and HTML appended into a clean JPEG', async () => {
    const application = await draft(owner);
    const polyglot = Buffer.concat([goodPhoto, ZIP_TAIL]);
    const response = await put(owner, application.id, 'photo', polyglot);
    expect(response.status).toBe(200);
    const bytes = (await download(tasOfficer, application.id, response.body.id)).body as Buffer;
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(false);
    expect(bytes.includes(Buffer.from('<script>'))).toBe(false);
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect((await sharp(bytes).metadata()).format).toBe('jpeg');
  });

  it('stores a PDF passport scan as sent, and serves it as an attachment', async () => {
    const application = await draft(owner);
    const pdf = minimalPdf();
    const response = await put(owner, application.id, 'passport-scan', pdf, { contentType: 'application/pdf' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expect.objectContaining({ kind: 'passport_scan', contentType: 'application/pdf', size: pdf.length, width: null, height: null, sha256: sha256(pdf) }));
    const served = await download(tasOfficer, application.id, response.body.id);
    expect(served.headers['content-type']).toBe('application/pdf');
    expect(served.headers['content-disposition']).toBe('attachment; filename="passport-scan.pdf"');
    expect((served.body as Buffer).equals(pdf)).toBe(true);
  });

  it("uploads for a companion with applicantId, replaces an earlier file and deletes the earlier one's bytes", async () => {
    const application = await draft(owner, 2);
    const first = await put(owner, application.id, 'photo', goodPhoto, { query: { applicantId: application.people[2] } });
    expect(first.status).toBe(200);
    expect(first.body.applicantId).toBe(application.people[2]);
    const firstKey = await storedKey(first.body.id);
    expect(existsSync(join(t.dataDir, 'files', firstKey))).toBe(true);

    const second = await put(owner, application.id, 'photo', await testImage('png', 800, 900), { contentType: 'image/png', query: { applicantId: application.people[2] } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(expect.objectContaining({ width: 800, height: 900, contentType: 'image/jpeg' }));
    expect(second.body.sha256).not.toBe(first.body.sha256);
    expect(existsSync(join(t.dataDir, 'files', firstKey))).toBe(false);
    expect(await t.db.query(`SELECT 1 FROM visa_file_discards WHERE storage_key = $1`, [firstKey])).toEqual([]);
    const rows = await t.db.query(`SELECT applicant_id, kind FROM visa_files WHERE application_id = $1`, [application.id]);
    expect(rows).toEqual([{ applicant_id: application.people[2], kind: 'photo' }]);
    const actions = await t.auditQuery(`SELECT action FROM audit_events WHERE entity_type = 'visa_application' AND entity_id = $1 ORDER BY id`, [application.id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['visa.photo_uploaded', 'visa.photo_replaced']));

    // Someone on another application is not found.
    const other = await draft(owner);
    expectProblem(await put(owner, application.id, 'photo', goodPhoto, { query: { applicantId: other.people[0] } }), 404);
    expectProblem(await put(owner, application.id, 'photo', goodPhoto, { query: { applicantId: 'not-a-uuid' } }), 400);
  });

  it('deletes the bytes of a file whose person is taken off the application, in the sweep', async () => {
    const application = await draft(owner, 1);
    const uploaded = await put(owner, application.id, 'photo', goodPhoto, { query: { applicantId: application.people[1] } });
    expect(uploaded.status).toBe(200);
    const key = await storedKey(uploaded.body.id);
    // What changing a draft to fewer people does: the person's row goes, and their file's row with it.
    await t.db.query(`DELETE FROM visa_applicants WHERE id = $1`, [application.people[1]]);
    expect(await t.db.query(`SELECT storage_key FROM visa_file_discards WHERE storage_key = $1`, [key])).toEqual([{ storage_key: key }]);
    expect(existsSync(join(t.dataDir, 'files', key))).toBe(true);
    expect(await t.app.get(VisaFileSweeper).sweep()).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(t.dataDir, 'files', key))).toBe(false);
    expect(await t.db.query(`SELECT 1 FROM visa_file_discards WHERE storage_key = $1`, [key])).toEqual([]);

    // A key the store cannot have made is kept for a later sweep, and does not stop the others.
    await t.db.query(`INSERT INTO visa_file_discards (storage_key, discarded_at) VALUES ('../not-a-key', now() - interval '1 hour')`);
    const another = await draft(owner);
    const second = await put(owner, another.id, 'photo', goodPhoto);
    const secondKey = await storedKey(second.body.id);
    await t.db.query(`DELETE FROM visa_applicants WHERE id = $1`, [another.people[0]]);
    await t.app.get(VisaFileSweeper).sweep();
    expect(existsSync(join(t.dataDir, 'files', secondKey))).toBe(false);
    expect(await t.db.query(`SELECT storage_key FROM visa_file_discards`)).toEqual([{ storage_key: '../not-a-key' }]);
    await t.db.query(`DELETE FROM visa_file_discards`);
  });

  it("answers 404 for another person's application, and staff see files of their missions' applications only", async () => {
    const application = await draft(owner);
    const response = await put(owner, application.id, 'photo', goodPhoto);
    expect(response.status).toBe(200);
    expectProblem(await put(stranger, application.id, 'photo', goodPhoto), 404);
    const listed = await t.http().get(`${API}/staff/visa-applications/${application.id}/files`).set(tasOfficer.auth);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([response.body]);
    expectProblem(await t.http().get(`${API}/staff/visa-applications/${application.id}/files`).set(berOfficer.auth), 404);
    expectProblem(await t.http().get(`${API}/staff/visa-applications/${application.id}/files`).set(owner.auth), 403);
    expectProblem(await put(owner, '00000000-0000-4000-8000-000000000000', 'photo', goodPhoto), 404);
    expectProblem(await download(berOfficer, application.id, response.body.id), 404);
    expectProblem(await download(owner, application.id, response.body.id), 403);
    const elsewhere = await draft(owner);
    expectProblem(await download(tasOfficer, elsewhere.id, response.body.id), 404);
  });

  it('takes files only while the application is a draft or sent back for information (409 otherwise)', async () => {
    const application = await draft(owner);
    await t.db.query(`UPDATE visa_applications SET status = 'submitted', submitted_at = now(), due_at = now() + interval '2 days' WHERE id = $1`, [application.id]);
    const refused = await put(owner, application.id, 'photo', goodPhoto);
    expectProblem(refused, 409);
    expect(refused.body.code).toBe('visa_application_not_editable');
    await t.db.query(`UPDATE visa_applications SET status = 'info_requested' WHERE id = $1`, [application.id]);
    expect((await put(owner, application.id, 'photo', goodPhoto)).status).toBe(200);
  });

  it('refuses what is not a multipart form with a part named file', async () => {
    const application = await draft(owner);
    const url = `${API}/visa-applications/${application.id}/photo`;
    expectProblem(await t.http().put(url).set(owner.auth).send({ file: 'x' }), 415);
    expectProblem(await t.http().put(url).set(owner.auth).set('Content-Type', 'image/jpeg').send(goodPhoto), 415);
    const wrongPart = await t.http().put(url).set(owner.auth).attach('photo', goodPhoto, 'photo.jpg');
    expectProblem(wrongPart, 400);
    expect(wrongPart.body.code).toBe('file_part_missing');
    expectProblem(await t.http().put(url).set(owner.auth).field('note', 'no file'), 400);
    const twoFiles = await t.http().put(url).set(owner.auth).attach('file', goodPhoto, 'a.jpg').attach('file', goodPhoto, 'b.jpg');
    expectProblem(twoFiles, 400);
    expect(twoFiles.body.code).toBe('one_file_only');
    const crowded = t.http().put(url).set(owner.auth);
    for (let i = 0; i < 6; i += 1) crowded.field(`f${i}`, 'x');
    expectProblem(await crowded.attach('file', goodPhoto, 'a.jpg'), 413);
    expect((await t.http().put(url).set(owner.auth).set('Content-Type', 'multipart/form-data').send('garbage')).status).toBe(400);
    // Multipart is refused by every route that does not take a file.
    expectProblem(await t.http().post(`${API}/registrations`).set(owner.auth).attach('file', goodPhoto, 'photo.jpg'), 415);
  });
});
