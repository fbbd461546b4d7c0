import { IssuedDocumentsRepository } from '../src/documents/issued-documents.repository';
import { RegistrationsRepository } from '../src/registrations/registrations.repository';
import { activeRegistration } from './support/registration-seed';
import { Account, createAccount, startTestApp, TestApp } from './support/test-app';

const api = (path: string) => `/api/v1${path}`;

/** Distinctive values: none of them can turn up in a dump by chance. */
const STREET = 'Quittenweg 4719';
const POSTAL_CODE = 'QX-8817';
const PHONE = '+4915778812345';
const BIRTH_DATE = '1977-03-29';
const CHILD = { fullName: 'Zuhra Quvvatova', dateOfBirth: '2016-11-07', relation: 'child' };
const CONTACT = { fullName: 'Bahodir Xolqoziyev', relation: 'brother', phone: '+998907771234', email: 'bahodir.xolqoziyev@example.org' };
const SECRETS = [STREET, POSTAL_CODE, PHONE, BIRTH_DATE, CHILD.fullName, CHILD.dateOfBirth, CONTACT.fullName, CONTACT.phone, CONTACT.email];

/** Every row of every table of the portal and of its job queue as text: what a dump of the database holds. */
async function databaseDump(t: TestApp): Promise<string> {
  const tables: { schema: string; name: string }[] = await t.db.query(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const table of tables) {
    const rows: { row: string }[] = await t.db.query(`SELECT t::text AS row FROM "${table.schema}"."${table.name}" t`);
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

function leaked(dump: string, secrets: string[]): string[] {
  return secrets.filter((secret) => dump.includes(secret));
}

describe('Personal data at rest', () => {
  let t: TestApp;
  let officer: Account;
  beforeAll(async () => {
    t = await startTestApp();
    officer = await createAccount(t, { role: 'officer', missions: ['BER'], fullName: 'Berlin Officer' });
  });
  afterAll(() => t.close());

  const register = async (citizen: Account) =>
    (
      await t
        .http()
        .post(api('/registrations'))
        .set(citizen.auth)
        .send({
          missionCode: 'BER',
          kind: 'permanent',
          address: { line1: STREET, city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: POSTAL_CODE },
          location: { lat: 52.5163, lon: 13.3889 },
          phone: PHONE,
          arrivalDate: '2024-09-01',
          purpose: 'Employment',
          passportNumber: 'AA7654321',
          dateOfBirth: BIRTH_DATE,
          familyMembers: [CHILD],
          emergencyContact: CONTACT,
        })
        .expect(201)
    ).body as { id: string };

  const expectInFull = (body: Record<string, unknown>) =>
    expect(body).toMatchObject({
      address: { line1: STREET, city: 'Berlin', region: 'DE-BE', country: 'DE', postalCode: POSTAL_CODE },
      phone: PHONE,
      dateOfBirth: BIRTH_DATE,
      familyMembers: [expect.objectContaining({ fullName: CHILD.fullName, dateOfBirth: CHILD.dateOfBirth, relation: 'child' })],
      emergencyContact: { fullName: CONTACT.fullName, relation: CONTACT.relation, phone: CONTACT.phone, email: CONTACT.email },
    });

  it('keeps a registration’s street, postal code, phone, birth date, family and emergency contact out of a dump, and shows them to the owner and staff', async () => {
    const citizen = await createAccount(t);
    const registration = await register(citizen);
    expect(leaked(await databaseDump(t), SECRETS)).toEqual([]);

    expectInFull((await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200)).body);
    expectInFull((await t.http().get(api(`/staff/registrations/${registration.id}`)).set(officer.auth).expect(200)).body);
    const queue = await t.http().get(api('/staff/registrations?missionCode=BER&limit=100')).set(officer.auth).expect(200);
    expect(queue.body.items.find((r: { id: string }) => r.id === registration.id)).toMatchObject({ dateOfBirth: BIRTH_DATE, familyCount: 1, country: 'DE' });

    // What stays in clear is what the queries filter on.
    const [row] = await t.db.query(`SELECT country, region, lat, lon, mission_code, status, family_count FROM registrations WHERE id = $1`, [registration.id]);
    expect(row).toEqual({ country: 'DE', region: 'DE-BE', lat: 52.5163, lon: 13.3889, mission_code: 'BER', status: 'pending', family_count: 1 });

    // Changed details are sealed the same way.
    const newPhone = '+4915112233445';
    const changed = await t
      .http()
      .patch(api(`/registrations/${registration.id}`))
      .set(citizen.auth)
      .send({ phone: newPhone, emergencyContact: { ...CONTACT, phone: '+998901112233' } })
      .expect(200);
    expect(changed.body).toMatchObject({ phone: newPhone, emergencyContact: { phone: '+998901112233' }, address: { line1: STREET } });
    expect(leaked(await databaseDump(t), [...SECRETS, newPhone, '+998901112233'])).toEqual([]);
  });

  it('seals rows stored in clear before, once, without touching the records', async () => {
    const citizen = await createAccount(t);
    const registration = await register(citizen);
    // A row as the table held it before personal data was sealed.
    await t.db.query(
      `UPDATE registrations SET address_line1 = $2, address_postal_code = $3, phone = $4, date_of_birth = $5,
              family_members = $6::jsonb, emergency_contact = $7
        WHERE id = $1`,
      [
        registration.id,
        STREET,
        POSTAL_CODE,
        PHONE,
        BIRTH_DATE,
        JSON.stringify([{ name: CHILD.fullName, dateOfBirth: CHILD.dateOfBirth, relation: 'child', passportNumberEnc: null, passportNumberMasked: null }]),
        JSON.stringify({ name: CONTACT.fullName, relation: CONTACT.relation, phone: CONTACT.phone, email: CONTACT.email }),
      ],
    );
    const [before] = await t.db.query(`SELECT updated_at, version FROM registrations WHERE id = $1`, [registration.id]);
    expect(leaked(await databaseDump(t), SECRETS).length).toBeGreaterThan(0);
    // Until the step has run, the row still reads.
    expectInFull((await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200)).body);

    await t.app.get(RegistrationsRepository).onApplicationBootstrap();
    expect(leaked(await databaseDump(t), SECRETS)).toEqual([]);
    const [after] = await t.db.query(`SELECT updated_at, version, address_line1 FROM registrations WHERE id = $1`, [registration.id]);
    expect({ updated_at: after.updated_at, version: after.version }).toEqual(before);
    expectInFull((await t.http().get(api(`/registrations/${registration.id}`)).set(citizen.auth).expect(200)).body);

    // A second run finds nothing to do.
    await t.app.get(RegistrationsRepository).onApplicationBootstrap();
    const [again] = await t.db.query(`SELECT address_line1 FROM registrations WHERE id = $1`, [registration.id]);
    expect(again.address_line1).toBe(after.address_line1);
  });

  describe('documents', () => {
    /** A distinctive name: its letter sequences appear nowhere else on the page. */
    const HOLDER = 'Zyxqoph Vqulmbjirt';
    /** Every run of three letters of each part of the name, lower-cased. */
    const trigrams = HOLDER.toLowerCase()
      .split(' ')
      .flatMap((word) => Array.from({ length: word.length - 2 }, (_, i) => word.slice(i, i + 3)));
    let serial: string;
    let qrSignature: string;

    beforeAll(async () => {
      const citizen = await createAccount(t, { fullName: 'Account Name' });
      await activeRegistration(t, citizen);
      const request = await t
        .http()
        .post(api('/document-requests'))
        .set(citizen.auth)
        .send({
          type: 'consular-registration-certificate',
          missionCode: 'BER',
          fields: {
            fullName: HOLDER,
            dateOfBirth: '1979-08-14',
            placeOfBirth: 'Samarqand',
            passportNumber: 'FA7777123',
            countryOfResidence: 'DE',
            addressAbroad: 'Karl-Marx-Allee 12, 10243 Berlin',
            phone: '+493012349876',
          },
        })
        .expect(201);
      serial = (await t.http().post(api(`/staff/document-requests/${request.body.id}/approve`)).set(officer.auth).expect(200)).body.serial;
      [{ qr_signature: qrSignature }] = await t.db.query(`SELECT qr_signature FROM documents WHERE serial = $1`, [serial]);
    });

    it('stores the holder’s name sealed', async () => {
      const [row] = await t.db.query(`SELECT d::text AS text, holder_name FROM documents d WHERE serial = $1`, [serial]);
      expect(row.holder_name).toMatch(/^v1\./);
      expect(row.text.toLowerCase()).not.toContain('zyxqoph');
      expect(leaked((await databaseDump(t)).toLowerCase(), ['zyxqoph', 'vqulmbjirt'])).toEqual([]);
    });

    it('shows no part of the name on /verify without the QR code’s signature, and the full name with it', async () => {
      const page = (await t.http().get(`/verify/${serial}`).expect(200)).text;
      const json = (await t.http().get(`/verify/${serial}`).set('Accept', 'application/json').expect(200)).body;
      const forged = (await t.http().get(`/verify/${serial}?s=${'A'.repeat(86)}`).expect(200)).text;
      for (const shown of [page.toLowerCase(), JSON.stringify(json).toLowerCase(), forged.toLowerCase()]) {
        expect(trigrams.filter((trigram) => shown.includes(trigram))).toEqual([]);
        // No initials and no letter counts either.
        expect(shown).not.toMatch(/[zv]\*/);
        expect(shown).not.toMatch(/\*{6}/);
      }
      expect(json).toMatchObject({ holder: '*****', signature: 'absent' });
      expect(json).not.toHaveProperty('holderName');

      const scanned = (await t.http().get(`/verify/${serial}?s=${qrSignature}`).expect(200)).text;
      expect(scanned).toContain(HOLDER);
      expect(trigrams.every((trigram) => scanned.toLowerCase().includes(trigram))).toBe(true);
      const scannedJson = (await t.http().get(`/verify/${serial}?s=${qrSignature}`).set('Accept', 'application/json').expect(200)).body;
      expect(scannedJson).toMatchObject({ holder: HOLDER, holderName: HOLDER, signature: 'valid' });
    });

    it('seals holder names stored in clear before', async () => {
      await t.db.query(`UPDATE documents SET holder_name = $2 WHERE serial = $1`, [serial, HOLDER]);
      await t.app.get(IssuedDocumentsRepository).onApplicationBootstrap();
      const [row] = await t.db.query(`SELECT holder_name FROM documents WHERE serial = $1`, [serial]);
      expect(row.holder_name).toMatch(/^v1\./);
      const scannedJson = (await t.http().get(`/verify/${serial}?s=${qrSignature}`).set('Accept', 'application/json').expect(200)).body;
      expect(scannedJson.holderName).toBe(HOLDER);
    });
  });
});
