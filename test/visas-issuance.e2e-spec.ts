import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import sharp from 'sharp';
import { canonicalJson } from '../src/common/canonical-json';
import { UnitOfWork } from '../src/common/database/unit-of-work';
import { JobQueue } from '../src/jobs/job-queue.service';
import { EvisasService } from '../src/visas/evisas.service';
import { VisaApplicationsRepository, VisaPersonValues } from '../src/visas/visa-applications.repository';
import { VisaFilesService } from '../src/visas/visa-files.service';
import { VisaIssuanceService } from '../src/visas/visa-issuance.service';
import { decodeMrvB } from './support/mrv';
import { readPdf } from './support/pdf';
import { Account, createAccount, expectProblem, startTestApp, TestApp } from './support/test-app';

const API = '/api/v1';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const yymmdd = (iso: string) => iso.slice(2).replace(/-/g, '');

type Person = Omit<VisaPersonValues, 'position' | 'mrz' | 'placeOfBirth' | 'passportIssueDate' | 'passportExpiryDate'>;

const MUELLER: Person = { surname: 'Müller', givenNames: 'Anna-Lena Sophie', sex: 'F', dateOfBirth: '1988-02-29', nationality: 'DEU', passportNumber: 'C01X00T47' };
const GROUP: Person[] = [
  { surname: 'Иванов', givenNames: 'Пётр', sex: 'M', dateOfBirth: '1979-11-03', nationality: 'RUS', passportNumber: '751234567' },
  { surname: 'Иванова', givenNames: 'Юлия Сергеевна', sex: 'F', dateOfBirth: '1981-06-14', nationality: 'RUS', passportNumber: '751234568' },
  { surname: 'Ivanov', givenNames: 'Alexander', sex: 'M', dateOfBirth: '2012-01-09', nationality: 'RUS', passportNumber: '751234569' },
];

describe('E-visa issuance: numbers, signed PDF with an MRV-B zone, e-mail attachment, /verify', () => {
  let t: TestApp;
  let officer: Account;

  /** An application put straight into `approved` (as the staff's approve leaves it), its people approved. */
  const approvedApplication = async (owner: Account, people: Person[], options: { locale?: string; refuse?: number[]; photos?: string[] } = {}) => {
    const repository = t.app.get(VisaApplicationsRepository);
    const application = await t.app.get(UnitOfWork).run((tx) =>
      repository.create(
        tx.manager,
        {
          ownerId: owner.id,
          visaType: 'tourist',
          entries: 'single',
          arrivalDate: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
          stayDays: 14,
          purpose: 'tourism',
          addressInCountry: 'Hotel Uzbekistan, Tashkent',
          email: owner.email,
          phone: '+4915112345678',
          locale: options.locale ?? 'en',
          countryOfResidence: 'DE',
          feeAmount: 2000,
          feeCurrency: 'USD',
          processingMissionCode: 'TAS',
        },
        people.map((person, position) => ({
          ...person,
          position,
          placeOfBirth: 'Berlin',
          passportIssueDate: '2020-01-01',
          passportExpiryDate: '2030-01-01',
          mrz: null,
        })),
        owner.id,
      ),
    );
    const applicantIds = ((await t.db.query(`SELECT id FROM visa_applicants WHERE application_id = $1 ORDER BY position`, [application.id])) as { id: string }[]).map(
      (a) => a.id,
    );
    // Photos through the upload route while the application is a draft, as its owner does
    for (const [i, background] of (options.photos ?? []).entries()) {
      const jpeg = await sharp({ create: { width: 600, height: 772, channels: 3, background } }).jpeg().toBuffer();
      await t
        .http()
        .put(`${API}/visa-applications/${application.id}/photo`)
        .query({ applicantId: applicantIds[i] })
        .set(owner.auth)
        .attach('file', jpeg, { filename: 'photo.jpg', contentType: 'image/jpeg' })
        .expect(200);
    }
    await t.db.query(
      `UPDATE visa_applications SET status = 'approved', submitted_at = now(), due_at = now() + interval '2 days', decided_at = now(), decided_by = $2
        WHERE id = $1`,
      [application.id, officer.id],
    );
    await t.db.query(
      `UPDATE visa_applicants SET decision = CASE WHEN position = ANY($2::int[]) THEN 'refused' ELSE 'approved' END,
              refusal_reason_code = CASE WHEN position = ANY($2::int[]) THEN 'documents_invalid' END
        WHERE application_id = $1`,
      [application.id, options.refuse ?? []],
    );
    return { id: application.id, reference: application.reference, applicantIds };
  };

  /** A person's photo as the upload stored it (re-encoded), read back through the visa files service. */
  const storedPhoto = async (applicantId: string): Promise<Buffer> => (await t.app.get(VisaFilesService).read(t.db.manager, applicantId, 'photo'))!.bytes;

  const evisasOf = async (applicationId: string) =>
    (await t.db.query(
      `SELECT e.id, e.visa_number, e.applicant_id, e.valid_from::text, e.valid_until::text, e.pdf_sha256, e.status
         FROM evisas e JOIN visa_applicants p ON p.id = e.applicant_id WHERE e.application_id = $1 ORDER BY p.position`,
      [applicationId],
    )) as { id: string; visa_number: string; applicant_id: string; valid_from: string; valid_until: string; pdf_sha256: string; status: string }[];

  const statusOf = async (id: string) => ((await t.db.query(`SELECT status FROM visa_applications WHERE id = $1`, [id])) as { status: string }[])[0].status;

  const pdfOf = (account: Account, applicationId: string, applicantId?: string) =>
    t
      .http()
      .get(`${API}/visa-applications/${applicationId}/evisa.pdf`)
      .query(applicantId ? { applicantId } : {})
      .set(account.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
          const body = Buffer.concat(chunks);
          // A refusal is problem+json: parsed, for expectProblem
          done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(body.toString('utf8')) : body);
        });
      });

  /** The two MRV-B lines as the PDF's text gives them back, found by their shape alone. */
  const zoneIn = async (pdf: Buffer): Promise<[string, string]> => {
    const lines = (await readPdf(pdf)).text.split('\n').map((line) => line.trim());
    const first = lines.findIndex((line) => /^V[A-Z<][A-Z<]{3}[A-Z<]{31}$/.test(line));
    expect(first).toBeGreaterThanOrEqual(0);
    return [lines[first], lines[first + 1]];
  };

  const issue = (applicationId: string) => t.app.get(VisaIssuanceService).issueApplication(applicationId);

  beforeAll(async () => {
    t = await startTestApp();
    officer = await createAccount(t, { role: 'officer', missions: ['TAS'], fullName: 'Dilnoza Rahimova' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the visas.issue job issues the e-visa: its MRZ, read from the PDF, decodes by position to the holder with valid check digits', async () => {
    const owner = await createAccount(t, { locale: 'ru' });
    const application = await approvedApplication(owner, [MUELLER], { locale: 'ru', photos: ['#b0c4de'] });
    const photo = await storedPhoto(application.applicantIds[0]);
    await t.app.get(JobQueue).send('visas.issue', { applicationId: application.id });
    for (let waited = 0; (await statusOf(application.id)) !== 'issued'; waited += 200) {
      if (waited > 20_000) throw new Error('The visas.issue job did not issue the application');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const [evisa] = await evisasOf(application.id);
    expect(evisa.visa_number).toMatch(new RegExp(`^E${String(new Date().getUTCFullYear() % 100).padStart(2, '0')}\\d{6}$`));
    expect(evisa.valid_from).toBe(new Date().toISOString().slice(0, 10));
    // Tourist: valid 90 days from issue (data/states/uz.visa.json), the issue day included
    expect((Date.parse(evisa.valid_until) - Date.parse(evisa.valid_from)) / 86_400_000).toBe(89);

    const response = await pdfOf(owner, application.id).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(`evisa-${evisa.visa_number}.pdf`);
    const pdf = response.body as Buffer;
    expect(sha256(pdf)).toBe(evisa.pdf_sha256);
    // pdfkit embeds a JPEG as it is: the holder's own photo is in the PDF byte for byte
    expect(pdf.includes(photo)).toBe(true);

    const zone = await zoneIn(pdf);
    expect(zone.map((line) => line.length)).toEqual([36, 36]);
    expect(decodeMrvB(zone)).toEqual({
      documentCode: 'V',
      typeCode: 'T',
      issuingState: 'UZB',
      primaryIdentifier: 'MUELLER',
      secondaryIdentifiers: ['ANNA', 'LENA', 'SOPHIE'],
      visaNumber: evisa.visa_number,
      nationality: 'D<<',
      dateOfBirth: '880229',
      sex: 'F',
      validUntil: yymmdd(evisa.valid_until),
      optionalData: '1014<<<<',
      checkDigits: { visaNumber: true, dateOfBirth: true, validUntil: true },
    });
    const text = (await readPdf(pdf)).text;
    expect(text).toContain('Электронная виза');
    expect(text).toContain('C01X00T47');
    expect(text).toContain(application.reference);

    const verify = await t.http().get(`/verify/${evisa.visa_number}`).set('Accept', 'application/json').expect(200);
    expect(verify.body).toEqual(
      expect.objectContaining({ serial: evisa.visa_number, type: 'evisa-tourist', status: 'valid', holder: '*****', sha256: evisa.pdf_sha256, signature: 'absent' }),
    );
    expect(verify.body.validUntil).toBe(`${evisa.valid_until}T00:00:00.000Z`);
    // The QR code's signature shows the holder; the record's seal verifies under the published key
    const stored = ((await t.db.query(`SELECT signed_payload, signature, qr_signature, kid FROM evisas WHERE id = $1`, [evisa.id])) as Record<string, string>[])[0];
    const signed = await t.http().get(`/verify/${evisa.visa_number}`).query({ s: stored.qr_signature }).set('Accept', 'application/json').expect(200);
    expect(signed.body).toEqual(expect.objectContaining({ signature: 'valid', holderName: 'Anna-Lena Sophie Müller' }));
    const jwk = (await t.http().get('/.well-known/jwks.json').expect(200)).body.keys.find((key: { kid: string }) => key.kid === stored.kid);
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    expect(stored.signed_payload).toEqual(expect.objectContaining({ serial: evisa.visa_number, type: 'evisa-tourist', pdfSha256: evisa.pdf_sha256 }));
    expect(verifySignature(null, Buffer.from(canonicalJson(stored.signed_payload)), publicKey, Buffer.from(stored.signature, 'base64url'))).toBe(true);
    const page = await t.http().get(`/verify/${evisa.visa_number.toLowerCase()}`).expect(200);
    expect(page.text).toContain(evisa.visa_number);
    expect(page.text).not.toContain('Müller');

    const mail = await t.mailbox.waitFor(owner.email, (m) => m.subject.includes(evisa.visa_number));
    expect(mail.subject).toBe(`Ваша электронная виза оформлена: ${evisa.visa_number}`);
    expect(mail.text).toContain('Anna-Lena Sophie Müller');
    expect(mail.text).toContain(`https://consular.test/visa-applications/${application.id}`);
    expect(mail.text).toContain(`https://consular.test/verify/${evisa.visa_number}`);
    expect(mail.parsed.attachments).toHaveLength(1);
    const [attachment] = mail.parsed.attachments;
    expect(attachment.contentType).toBe('application/pdf');
    expect(attachment.filename).toBe(`evisa-${evisa.visa_number}.pdf`);
    expect(attachment.content.equals(pdf)).toBe(true);
    // The message refers to the e-visa; the PDF is stored once, in evisas
    const [message] = (await t.db.query(`SELECT attachments FROM email_messages WHERE template = 'visa-issued' AND recipient = $1`, [owner.email])) as {
      attachments: unknown;
    }[];
    expect(message.attachments).toEqual([{ kind: 'evisa', id: evisa.id }]);

    const history = (await t.db.query(`SELECT from_status, to_status, action, actor_id FROM visa_application_history WHERE application_id = $1 ORDER BY id DESC LIMIT 1`, [
      application.id,
    ])) as Record<string, unknown>[];
    expect(history).toEqual([{ from_status: 'approved', to_status: 'issued', action: 'issue', actor_id: null }]);
    const audit = (await t.auditQuery(`SELECT action FROM audit_events WHERE entity_id IN ($1, $2) ORDER BY id`, [application.id, evisa.visa_number])) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['visa.photo_uploaded', 'visa_application.issued', 'evisa.issued']);
  });

  it('running issuance twice, or twice at once, issues nothing twice', async () => {
    const owner = await createAccount(t);
    const application = await approvedApplication(owner, [MUELLER]);
    const [first, second] = await Promise.all([issue(application.id), issue(application.id)]);
    expect(first.length + second.length).toBe(1);
    expect(await issue(application.id)).toEqual([]);
    await t.app.get(JobQueue).send('visas.issue', { applicationId: application.id });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await evisasOf(application.id)).toHaveLength(1);
    expect(await statusOf(application.id)).toBe('issued');
    const messages = (await t.db.query(`SELECT count(*)::int AS n FROM email_messages WHERE template = 'visa-issued' AND recipient = $1`, [owner.email])) as { n: number }[];
    expect(messages[0].n).toBe(1);
  });

  it('a group of three gets three e-visas with distinct consecutive numbers, each its own holder’s, each e-mailed', async () => {
    const owner = await createAccount(t);
    const application = await approvedApplication(owner, GROUP, { photos: ['#aa0000', '#00aa00', '#0000aa'] });
    const photos = await Promise.all(application.applicantIds.map(storedPhoto));
    expect(await issue(application.id)).toHaveLength(3);
    const evisas = await evisasOf(application.id);
    expect(evisas.map((e) => e.applicant_id)).toEqual(application.applicantIds);
    const numbers = evisas.map((e) => Number(e.visa_number.slice(3)));
    expect(new Set(evisas.map((e) => e.visa_number)).size).toBe(3);
    expect(numbers).toEqual([numbers[0], numbers[0] + 1, numbers[0] + 2]);
    expect(await t.app.get(EvisasService).issuedFor(application.id)).toEqual(
      evisas.map((e) => ({ applicantId: e.applicant_id, visaNumber: e.visa_number, validFrom: e.valid_from, validUntil: e.valid_until, status: 'valid' })),
    );

    const expected = [
      { primaryIdentifier: 'IVANOV', secondaryIdentifiers: ['PETR'], dateOfBirth: '791103', sex: 'M' },
      { primaryIdentifier: 'IVANOVA', secondaryIdentifiers: ['IULIIA', 'SERGEEVNA'], dateOfBirth: '810614', sex: 'F' },
      { primaryIdentifier: 'IVANOV', secondaryIdentifiers: ['ALEXANDER'], dateOfBirth: '120109', sex: 'M' },
    ];
    for (const [i, evisa] of evisas.entries()) {
      const pdf = (await pdfOf(owner, application.id, evisa.applicant_id).expect(200)).body as Buffer;
      expect(sha256(pdf)).toBe(evisa.pdf_sha256);
      expect(photos.map((photo) => pdf.includes(photo))).toEqual(photos.map((_, j) => j === i));
      const decoded = decodeMrvB(await zoneIn(pdf));
      expect(decoded).toEqual(
        expect.objectContaining({ ...expected[i], visaNumber: evisa.visa_number, nationality: 'RUS', checkDigits: { visaNumber: true, dateOfBirth: true, validUntil: true } }),
      );
      const mail = await t.mailbox.waitFor(owner.email, (m) => m.subject.includes(evisa.visa_number));
      expect(mail.parsed.attachments.map((a) => sha256(a.content))).toEqual([evisa.pdf_sha256]);
    }
    // without applicantId: the lead applicant's
    expect(sha256((await pdfOf(owner, application.id).expect(200)).body as Buffer)).toBe(evisas[0].pdf_sha256);
  });

  it('numbers e-visas of applications issued at the same time without gaps or duplicates', async () => {
    const owner = await createAccount(t);
    const applications = await Promise.all(Array.from({ length: 6 }, () => approvedApplication(owner, [MUELLER])));
    await Promise.all(applications.map((application) => issue(application.id)));
    const numbers = (await Promise.all(applications.map(async (application) => (await evisasOf(application.id))[0].visa_number))).map((n) => Number(n.slice(3))).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
  });

  it('issues nothing to a refused member of a group', async () => {
    const owner = await createAccount(t);
    const application = await approvedApplication(owner, GROUP, { refuse: [1] });
    await issue(application.id);
    expect((await evisasOf(application.id)).map((e) => e.applicant_id)).toEqual([application.applicantIds[0], application.applicantIds[2]]);
    expectProblem(await pdfOf(owner, application.id, application.applicantIds[1]), 404);
  });

  it('gives the PDF to its owner only: 404 for anyone else, an unknown person, or an application not issued; 403 for staff', async () => {
    const owner = await createAccount(t);
    const stranger = await createAccount(t);
    const issued = await approvedApplication(owner, [MUELLER]);
    await issue(issued.id);
    const pending = await approvedApplication(owner, [MUELLER]);
    expectProblem(await pdfOf(stranger, issued.id), 404);
    expectProblem(await pdfOf(stranger, issued.id, issued.applicantIds[0]), 404);
    expectProblem(await pdfOf(owner, issued.id, pending.applicantIds[0]), 404);
    expectProblem(await pdfOf(owner, pending.id), 404);
    expectProblem(await pdfOf(owner, '00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await pdfOf(owner, issued.id, 'not-a-uuid'), 400);
    expectProblem(await pdfOf(owner, 'not-a-uuid'), 400);
    expectProblem(await pdfOf(officer, issued.id), 403);
  });

  it('a revoked e-visa verifies as revoked; its signed content cannot be changed or deleted', async () => {
    const owner = await createAccount(t);
    const consul = await createAccount(t, { role: 'consul', missions: ['TAS'] });
    const application = await approvedApplication(owner, GROUP.slice(0, 2));
    await issue(application.id);
    const consulUser = { id: consul.id, role: 'consul' as const, email: consul.email, missions: ['TAS'] } as Parameters<EvisasService['revokeForApplication']>[2];
    const revoked = await t.app.get(UnitOfWork).run((tx) => t.app.get(EvisasService).revokeForApplication(tx, application.id, consulUser, 'passport reported stolen', 'TAS'));
    const evisas = await evisasOf(application.id);
    expect(revoked.sort()).toEqual(evisas.map((e) => e.visa_number).sort());
    expect(evisas.map((e) => e.status)).toEqual(['revoked', 'revoked']);
    const verify = await t.http().get(`/verify/${evisas[1].visa_number}`).set('Accept', 'application/json').expect(200);
    expect(verify.body.status).toBe('revoked');
    expect(verify.body.revokedAt).toEqual(expect.any(String));

    await expect(t.db.query(`UPDATE evisas SET pdf = 'x'::bytea WHERE id = $1`, [evisas[0].id])).rejects.toThrow(/cannot be changed/);
    await expect(t.db.query(`UPDATE evisas SET valid_until = valid_until + 30 WHERE id = $1`, [evisas[0].id])).rejects.toThrow(/cannot be changed/);
    await expect(t.db.query(`DELETE FROM evisas WHERE id = $1`, [evisas[0].id])).rejects.toThrow(/never deleted/);
  });

  it('refuses an e-mail whose attachment kind no module loads, with the change that asked for it', async () => {
    const owner = await createAccount(t);
    const application = await approvedApplication(owner, [MUELLER]);
    await expect(
      t.app.get(UnitOfWork).run(async (tx) => {
        await tx.manager.query(`UPDATE visa_applications SET stay_days = 7 WHERE id = $1`, [application.id]);
        const context = { fullName: 'A', reference: 'R', link: 'L', holderName: 'H', visaNumber: 'V', validFrom: 'F', validUntil: 'U', stayDays: 1, verifyLink: 'L' };
        tx.email({ to: owner.email, template: 'visa-issued', context, attachments: [{ kind: 'passport-scan', id: application.id }] });
      }),
    ).rejects.toThrow('E-mail attachments of kind passport-scan have no registered source');
    expect(((await t.db.query(`SELECT stay_days FROM visa_applications WHERE id = $1`, [application.id])) as { stay_days: number }[])[0].stay_days).toBe(14);
  });

  it('answers /verify for an unknown visa number with a 404', async () => {
    expectProblem(await t.http().get('/verify/E99999999').set('Accept', 'application/json'), 404);
    expect((await t.http().get('/verify/E99999999')).status).toBe(404);
  });
});
