import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, projectPath } from '../config/app-config';
import { DocumentType, DocumentTypeRegistry, loadDocumentTypes } from './document-type.registry';

describe('DocumentTypeRegistry', () => {
  let dataDir: string;
  let registry: DocumentTypeRegistry;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'document-types-'));
    registry = new DocumentTypeRegistry(AppConfig.fromEnvironment({ DATA_DIR: dataDir, NODE_ENV: 'test' }));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const returning = {
    fullName: 'Oʻgʻiloy Toshmatova',
    dateOfBirth: '1995-09-01',
    placeOfBirth: 'Fargʻona',
    passportLossReason: 'stolen',
    travelDestination: 'Toshkent',
    plannedDepartureDate: '2026-04-02',
    phone: '+4915112345678',
  };
  const type = (code: string): DocumentType => {
    const found = registry.get(code);
    if (!found) throw new Error(`no document type ${code}`);
    return found;
  };

  describe('the shipped templates', () => {
    it('include the consular documents, in uz, ru and en, with who approves them and how long they last', () => {
      expect(registry.list().map((t) => t.code)).toEqual(
        expect.arrayContaining(['consular-registration-certificate', 'certificate-of-return', 'residence-abroad-certificate']),
      );
      expect(type('certificate-of-return')).toMatchObject({ approverRoles: ['consul'], validityDays: 30 });
      expect(type('consular-registration-certificate')).toMatchObject({ approverRoles: ['officer', 'consul'], validityDays: 365 });
      expect(type('residence-abroad-certificate')).toMatchObject({ approverRoles: ['officer', 'consul'], validityDays: 180 });
      expect(type('certificate-of-return').fields.map((f) => f.name)).toEqual(
        expect.arrayContaining(['fullName', 'passportLossReason', 'travelDestination']),
      );
      expect(registry.get('no-such-document')).toBeUndefined();
    });

    it('write Uzbek oʻ and gʻ with U+02BB, not an apostrophe or a quotation mark', () => {
      const uzbek = registry.list().flatMap((t) => [t.name.uz, t.description.uz, t.layout.title.uz, ...t.fields.map((f) => f.label.uz)]);
      expect(uzbek.join(' ')).toContain('ʻ');
      for (const text of uzbek) expect(text).not.toMatch(/[oOgG]['‘’`]/);
    });

    it('start a request as a draft only where the fee is paid before the queue or a file is required', () => {
      expect(registry.startsAsDraft(type('certificate-of-return'))).toBe(true);
      expect(registry.startsAsDraft(type('consular-registration-certificate'))).toBe(false);
      expect(registry.startsAsDraft(type('residence-abroad-certificate'))).toBe(false);
      expect(registry.startsAsDraft({ ...type('certificate-of-return'), attachments: [] })).toBe(true);
      expect(registry.startsAsDraft({ ...type('certificate-of-return'), payBeforeQueue: false })).toBe(true);
      expect(registry.startsAsDraft({ ...type('certificate-of-return'), payBeforeQueue: false, attachments: [] })).toBe(false);
    });

    it('are frozen, so no caller changes them for everyone', () => {
      expect(Object.isFrozen(type('certificate-of-return').fields[0])).toBe(true);
    });
  });

  describe('validateFields', () => {
    const residence = () => type('residence-abroad-certificate');
    const valid = {
      fullName: 'Шерзод Тошматов',
      dateOfBirth: '1990-04-12',
      passportNumber: 'FA1234567',
      countryOfResidence: 'DE',
      addressAbroad: 'Perleberger Straße 62, 10559 Berlin',
      residingSince: '2019-05-01',
    };
    const errorsFor = (fields: Record<string, unknown>, code = 'residence-abroad-certificate') =>
      registry.validateFields(type(code), fields);

    it('accepts complete, well-formed data', () => {
      expect(errorsFor(valid)).toEqual([]);
      expect(errorsFor({ ...valid, residencePermitNumber: 'DE-12345', presentedTo: 'Oʻzbekiston Milliy banki' })).toEqual([]);
    });

    it('refuses anything but an object', () => {
      for (const fields of [null, 'text', [valid], 42]) {
        expect(registry.validateFields(residence(), fields)).toEqual([{ field: 'fields', message: 'must be an object' }]);
      }
    });

    it('names missing required fields, unknown fields and values that are not strings', () => {
      const errors = errorsFor({ ...valid, fullName: '  ', dateOfBirth: undefined, addressAbroad: 12, nickname: 'Sherzod' });
      expect(errors).toEqual(
        expect.arrayContaining([
          { field: 'fields.fullName', message: 'is required' },
          { field: 'fields.dateOfBirth', message: 'is required' },
          { field: 'fields.addressAbroad', message: 'must be a string' },
          { field: 'fields.nickname', message: expect.stringContaining('is not a field') },
        ]),
      );
      expect(errors).toHaveLength(4);
    });

    it('checks maximum lengths in characters, and patterns', () => {
      expect(errorsFor({ ...valid, addressAbroad: 'ʻ'.repeat(300) })).toEqual([]);
      expect(errorsFor({ ...valid, addressAbroad: 'x'.repeat(301) })).toEqual([
        { field: 'fields.addressAbroad', message: 'must be at most 300 characters long' },
      ]);
      expect(errorsFor({ ...valid, residencePermitNumber: 'de 123' })).toEqual([
        { field: 'fields.residencePermitNumber', message: 'has an invalid format' },
      ]);
    });

    it('wants real dates written YYYY-MM-DD', () => {
      for (const date of ['2023-02-29', '1990-13-01', '1990-4-12', '12.04.1990', '1990-04-12T00:00:00Z', '0000-01-01']) {
        expect(errorsFor({ ...valid, dateOfBirth: date })).toEqual([{ field: 'fields.dateOfBirth', message: 'must be a real date written YYYY-MM-DD' }]);
      }
      expect(errorsFor({ ...valid, dateOfBirth: '2024-02-29' })).toEqual([]);
    });

    it('wants assigned ISO 3166-1 alpha-2 country codes in capitals', () => {
      for (const country of ['de', 'DEU', 'XX', 'EU', 'SU']) {
        expect(errorsFor({ ...valid, countryOfResidence: country })).toEqual([
          { field: 'fields.countryOfResidence', message: expect.stringContaining('ISO 3166-1 alpha-2') },
        ]);
      }
    });

    it("checks passport numbers against the issuing state's format", () => {
      for (const number of ['fa1234567', 'FA123456', 'F12345678', 'FA 1234567']) {
        expect(errorsFor({ ...valid, passportNumber: number })).toEqual([{ field: 'fields.passportNumber', message: 'is not a valid passport number' }]);
      }
    });

    it('checks enum values, e-mail addresses and phone numbers', () => {
      expect(errorsFor(returning, 'certificate-of-return')).toEqual([]);
      expect(errorsFor({ ...returning, passportLossReason: 'eaten', phone: '0151 123' }, 'certificate-of-return')).toEqual([
        { field: 'fields.passportLossReason', message: 'must be one of lost, stolen, damaged, expired' },
        { field: 'fields.phone', message: expect.stringContaining('international format') },
      ]);
      const registration = { ...valid, placeOfBirth: 'Toshkent', email: 'sherzod@example', phone: '+998901234567' };
      delete (registration as Record<string, unknown>).residingSince;
      expect(errorsFor(registration, 'consular-registration-certificate')).toEqual([{ field: 'fields.email', message: 'must be an e-mail address' }]);
    });
  });

  describe('printing', () => {
    it('gives the printed fields with labels in the holder language and English, enum values as words', () => {
      const printed = registry.printableFields(type('certificate-of-return'), returning, 'ru');
      expect(printed).toContainEqual({ label: { local: 'Причина утраты паспорта', en: 'Reason for loss of passport' }, value: 'Похищен' });
      expect(printed.map((f) => f.value)).not.toContain('+4915112345678');
    });

    it('fills the layout placeholders in each language', () => {
      const residence = { fullName: 'Шерзод Тошматов', countryOfResidence: 'DE', residingSince: '2019-05-01' };
      expect(registry.layoutText(type('residence-abroad-certificate'), 'body', residence, 'ru')).toEqual({
        local: expect.stringContaining('Шерзод Тошматов проживает за рубежом (Германия) с 2019-05-01'),
        en: expect.stringContaining('has lived in Germany since 2019-05-01'),
      });
    });
  });

  describe('loading', () => {
    let directory: string;
    const shipped = JSON.parse(readFileSync(projectPath('templates', 'documents', 'certificate-of-return.json'), 'utf8'));
    const write = (content: unknown, file = 'certificate-of-return.json') =>
      writeFileSync(join(directory, file), typeof content === 'string' ? content : JSON.stringify(content));
    const load = () => loadDocumentTypes(directory, ['uz', 'ru', 'en']);

    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'document-templates-'));
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    it('reads a well-formed template', () => {
      write(shipped);
      expect([...load().keys()]).toEqual(['certificate-of-return']);
    });

    it.each([
      ['broken JSON', '{ "code": ', /certificate-of-return\.json: .*JSON/],
      ['a missing translation', { ...shipped, name: { uz: 'x', en: 'y' } }, /certificate-of-return\.json: name\.ru is missing/],
      ['a code that is not the file name', { ...shipped, code: 'certificate' }, /code must be "certificate-of-return"/],
      ['an unknown role', { ...shipped, approverRoles: ['clerk'] }, /approverRoles must be/],
      ['an unknown key', { ...shipped, fee: { ...shipped.fee, tax: 1 } }, /fee\.tax is not a known key/],
      ['an unknown field type', { ...shipped, fields: [{ ...shipped.fields[0], type: 'number' }] }, /fields\[0\]\.type must be one of/],
      ['an invalid pattern', { ...shipped, fields: [{ ...shipped.fields[0], pattern: '([' }] }, /fields\[0\]\.pattern must be a valid regular expression/],
      ['an enum without options', { ...shipped, fields: [{ ...shipped.fields[4], options: [] }] }, /fields\[0\]\.options must be a non-empty list/],
      ['a placeholder naming no field', { ...shipped, layout: { ...shipped.layout, body: { uz: '{{name}}', ru: '{{name}}', en: '{{name}}' } } }, /layout\.body names \{\{name\}\}/],
      ['payBeforeQueue that is not a boolean', { ...shipped, payBeforeQueue: 'yes' }, /payBeforeQueue must be true or false/],
      ['an attachment of a type no upload takes', { ...shipped, attachments: [{ ...shipped.attachments[0], types: ['text/plain'] }] }, /attachments\[0\]\.types must be/],
      ['an attachment larger than any upload', { ...shipped, attachments: [{ ...shipped.attachments[0], maxBytes: 50 * 1024 * 1024 }] }, /attachments\[0\]\.maxBytes must be/],
      ['two attachments of one name', { ...shipped, attachments: [shipped.attachments[0], shipped.attachments[0]] }, /attachments\[1\]\.name is used twice/],
      ['an attachment without its label in Russian', { ...shipped, attachments: [{ ...shipped.attachments[0], label: { uz: 'x', en: 'y' } }] }, /attachments\[0\]\.label\.ru is missing/],
    ])('refuses %s, naming the file', (_, content, message) => {
      write(content);
      expect(load).toThrow(message);
      expect(load).toThrow(/^Invalid document type .*certificate-of-return\.json/);
    });
  });
});
