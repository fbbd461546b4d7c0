import sharp from 'sharp';
import { pdfText, readPdf } from '../../test/support/pdf';
import { OfficialDocumentContent, PdfRendererService } from './pdf-renderer.service';

describe('PdfRendererService', () => {
  const renderer = new PdfRendererService();
  const serial = 'UZ-BER-2026-000123';
  const content = (overrides: Partial<OfficialDocumentContent> = {}): OfficialDocumentContent => ({
    language: 'ru',
    issuer: {
      state: { local: 'Республика Узбекистан', en: 'Republic of Uzbekistan' },
      mission: { local: 'Посольство Республики Узбекистан в Германии', en: 'Embassy of the Republic of Uzbekistan in Germany' },
    },
    title: { local: 'Свидетельство на возвращение в Республику Узбекистан', en: 'Certificate of return to the Republic of Uzbekistan' },
    body: { local: 'Выдано гражданину Шерзод Тошматов.', en: 'Issued to Шерзод Тошматов.' },
    fields: [
      { label: { local: 'Фамилия, имя, отчество', en: 'Full name' }, value: 'Шерзод Тошматов' },
      { label: { local: 'Место рождения', en: 'Place of birth' }, value: 'Fargʻona' },
      { label: { local: 'Пункт назначения', en: 'Travel destination' }, value: 'Toshkent' },
    ],
    serial,
    issuedAt: new Date('2026-03-01T10:00:00Z'),
    validUntil: new Date('2026-03-31T10:00:00Z'),
    officer: 'Oʻgʻiloy Karimova, consul',
    qrPayload: `https://portal.example.uz/verify/${serial}?s=${'A'.repeat(86)}`,
    verifyUrl: `https://portal.example.uz/verify/${serial}`,
    timeZone: 'Europe/Berlin',
    footerNote: { local: 'Подлежит сдаче пограничной службе.', en: 'To be surrendered to the border service.' },
    ...overrides,
  });

  it('prints the serial, Cyrillic and Uzbek Latin (oʻ, gʻ) text as typed, in both languages', async () => {
    const pdf = await renderer.render(content());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain(serial);
    expect(text).toContain('Шерзод Тошматов');
    expect(text).toContain('Oʻgʻiloy Karimova');
    expect(text).toContain('Fargʻona');
    expect(text).toContain('Свидетельство на возвращение в Республику Узбекистан');
    expect(text).toContain('Certificate of return to the Republic of Uzbekistan');
    expect(text).toContain('Посольство Республики Узбекистан в Германии');
    expect(text).toContain('Серийный номер');
    expect(text).toContain('Serial number');
    expect(text).toContain('2026-03-31');
    expect(text).toContain(`https://portal.example.uz/verify/${serial}`);
    expect(text).toContain('Verify at');
  });

  it('embeds the font and dates the file at issue', async () => {
    const pdf = await renderer.render(content());
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile2/);
    expect(raw).toMatch(/\+DejaVuSans/);
    expect((await readPdf(pdf)).creationDate).toBe('D:20260301100000Z');
  });

  it('renders the same bytes for the same content, whatever it rendered before', async () => {
    const english = (en: string) => ({ local: en, en });
    const document = content({ language: 'en', title: english('Certificate of registration'), fields: [{ label: english('Office'), value: 'ﬁnance' }] });
    const fresh = await new PdfRendererService().render(document);
    const used = new PdfRendererService();
    await used.render(content());
    await used.render(content({ language: 'uz', title: { local: 'Qaytish uchun guvohnoma', en: 'Certificate of return' } }));
    expect((await used.render(document)).equals(fresh)).toBe(true);
  });

  it('prints English once for a holder who reads English, and "no expiry" without a validity', async () => {
    const english = (en: string) => ({ local: en, en });
    const text = await pdfText(
      await renderer.render(
        content({
          language: 'en',
          issuer: { state: english('Republic of Uzbekistan'), mission: english('Embassy in Germany') },
          title: english('Certificate of return'),
          body: undefined,
          footerNote: undefined,
          validUntil: null,
        }),
      ),
    );
    expect(text.match(/Republic of Uzbekistan/g)).toHaveLength(1);
    expect(text.match(/Embassy in Germany/g)).toHaveLength(1);
    expect(text.match(/Certificate of return/g)).toHaveLength(1);
    expect(text).toContain('No expiry');
    expect(text).not.toContain('Серийный номер');
  });

  it('moves the verification block to a second page when the fields fill the first', async () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ label: { local: `Поле ${i}`, en: `Field ${i}` }, value: `Значение ${i}` }));
    const text = await pdfText(await renderer.render(content({ fields })));
    expect(text).toContain('Значение 29');
    expect(text).toContain('-- 2 of 2 --');
    expect(text).toContain(serial);
  });
  it('prints a machine-readable zone line by line in the embedded OCR-B font, and the photograph', async () => {
    const zone = ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'];
    const photo = await sharp({ create: { width: 600, height: 775, channels: 3, background: '#c0d0e0' } }).jpeg().toBuffer();
    const pdf = await renderer.render(content({ machineReadableZone: zone, photo }));
    const lines = (await readPdf(pdf)).text.split(/\n/).map((line) => line.trim());
    expect(lines).toEqual(expect.arrayContaining(zone));
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\+OCRB-Regular/);
    expect(raw).toMatch(/\/Subtype \/Image/);
  });

  it('draws an empty photo frame for a null photo, and no OCR-B without a zone', async () => {
    const raw = (await renderer.render(content({ photo: null }))).toString('latin1');
    expect(raw).not.toMatch(/\/Subtype \/Image/);
    expect(raw).not.toMatch(/OCRB/);
  });
});
