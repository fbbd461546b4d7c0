/**
 * Document issuance: issues 1,000 documents through the portal's own approving path (StaffDocumentsService.approve:
 * serial from the locked counter, PDF, SHA-256, two Ed25519 signatures, stored row, audit event, e-mail in the outbox),
 * then renders the same 1,000 documents' content with bare pdfkit (same font, same text, same vector QR code) as the
 * limit, and reports the ratio.
 *
 *   npx ts-node bench/document-issue.ts      (or npm run bench -- document-issue)
 *
 * The database is a fresh one on BENCH_DATABASE_URL or DATABASE_URL (default the local PostgreSQL), or the embedded
 * PostgreSQL when no server answers. Approvals run CONCURRENCY at a time over four missions, as a mission's staff
 * would. The last line printed is one JSON object with the figures; the target ratio is at least 0.7.
 */
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module';
import { createScratchDatabase } from '../src/database/scratch-database';
import { AuthUser } from '../src/common/auth/auth-user';
import { FieldCipher } from '../src/common/crypto/field-cipher';
import { projectPath } from '../src/config/app-config';
import { StaffDocumentsService } from '../src/documents/staff-documents.service';
import { BilingualText } from '../src/config/issuing-state';
import { OfficialDocumentContent, PdfRendererService } from '../src/signing/pdf-renderer.service';

const DOCUMENTS = 1000;
const WARM_UP = 30;
const CONCURRENCY = 4;
const MISSIONS = ['BER', 'MOW', 'LON', 'NYC'];
const TARGET_RATIO = 0.7;
const RENDERER_SAMPLE = 200;
const ROUNDS = 10;

const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A fresh database on the server, or null (embedded) when none answers. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    log(`no PostgreSQL at ${new URL(serverUrl).host} (${(error as Error).message}): using the embedded database`);
    return null;
  }
  await admin.end();
  const database = await createScratchDatabase(serverUrl, 'bench_documents');
  log(`database ${database.name} on ${new URL(serverUrl).host}`);
  return database;
}

/** Citizens, one officer per mission, and `count` submitted requests spread over the missions in turn. */
async function seed(ds: DataSource, count: number): Promise<{ officers: Map<string, AuthUser>; requestIds: string[] }> {
  const officers = new Map<string, AuthUser>();
  for (const mission of MISSIONS) {
    const [{ id }] = await ds.query(
      `INSERT INTO users (email, full_name, role, locale, email_verified_at) VALUES ($1, $2, 'officer', 'en', now()) RETURNING id`,
      [`officer.${mission.toLowerCase()}@bench.example`, `Officer of ${mission}`],
    );
    await ds.query(`INSERT INTO user_missions (user_id, mission_code) VALUES ($1, $2)`, [id, mission]);
    officers.set(mission, { id, email: `officer.${mission.toLowerCase()}@bench.example`, role: 'officer', missions: [mission], emailVerified: true, locale: 'en' });
  }
  const citizens: { id: string; locale: string; name: string }[] = [];
  const people = [
    ['ru', 'Дилшод Каримов'],
    ['uz', 'Oʻgʻiloy Toshmatova'],
    ['en', 'Jasur Aliyev'],
    ['ru', 'Шахноза Юлдашева'],
  ];
  for (const [index, [locale, name]] of people.entries()) {
    const [{ id }] = await ds.query(
      `INSERT INTO users (email, full_name, role, locale, email_verified_at) VALUES ($1, $2, 'citizen', $3, now()) RETURNING id`,
      [`citizen${index}@bench.example`, name, locale],
    );
    citizens.push({ id, locale, name });
  }
  // Two kinds of certificate an officer may approve, alternating.
  const rows: unknown[][] = [];
  for (let i = 0; i < count; i++) {
    const citizen = citizens[i % citizens.length];
    const mission = MISSIONS[i % MISSIONS.length];
    const common = { fullName: `${citizen.name} ${i}`, dateOfBirth: '1990-04-12', passportNumber: `FA${String(1000000 + i)}`, countryOfResidence: 'DE' };
    const [type, fields] =
      i % 2 === 0
        ? ['consular-registration-certificate', { ...common, placeOfBirth: 'Fargʻona', addressAbroad: `Karl-Marx-Allee ${i}, 10243 Berlin` }]
        : ['residence-abroad-certificate', { ...common, addressAbroad: `Torstraße ${i}, 10119 Berlin`, residingSince: '2015-09-01' }];
    rows.push([citizen.id, mission, type, JSON.stringify(fields), citizen.locale, i]);
  }
  const requestIds: string[] = [];
  for (let from = 0; from < rows.length; from += 200) {
    const batch = rows.slice(from, from + 200);
    const inserted = (await ds.query(
      `INSERT INTO document_requests (owner_id, mission_code, type, fields, locale)
       SELECT r.owner_id, r.mission_code, r.type, r.fields, r.locale
         FROM jsonb_to_recordset($1::jsonb) AS r(owner_id uuid, mission_code text, type text, fields jsonb, locale text, i int)
       ORDER BY r.i
       RETURNING id`,
      [JSON.stringify(batch.map(([owner_id, mission_code, type, fields, locale, i]) => ({ owner_id, mission_code, type, fields: JSON.parse(fields as string), locale, i })))],
    )) as { id: string }[];
    requestIds.push(...inserted.map((r) => r.id));
  }
  return { officers, requestIds };
}

/** Approves every request, CONCURRENCY at a time, through the portal's service; returns the seconds taken. */
async function issueThroughPortal(service: StaffDocumentsService, requests: { id: string; officer: AuthUser }[]): Promise<{ seconds: number; serials: string[] }> {
  const serials: string[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const approved = await service.approve(request.officer, request.id);
        serials.push(approved.serial as string);
      }
    }),
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, serials };
}

// ---- The limit: the same documents with pdfkit alone -------------------------------------------------------------

const CAPTIONS: Record<string, string[]> = {
  // serial, issued, valid until, officer, verify at, signed note
  en: ['Serial number', 'Date of issue', 'Valid until', 'Issuing officer', 'Verify at', 'This document is signed electronically. Scan the QR code to check that it is genuine and valid.'],
  ru: ['Серийный номер', 'Дата выдачи', 'Действителен до', 'Выдавшее должностное лицо', 'Проверить подлинность', 'Документ подписан электронной подписью. Отсканируйте QR-код, чтобы проверить его подлинность и действительность.'],
  uz: ['Seriya raqami', 'Berilgan sana', 'Amal qilish muddati', 'Hujjatni bergan mansabdor shaxs', 'Haqiqiyligini tekshirish', 'Hujjat elektron imzo bilan imzolangan. Haqiqiyligi va amal qilishini tekshirish uchun QR kodni skanerlang.'],
};
const regular = readFileSync(projectPath('assets', 'fonts', 'DejaVuSans.ttf'));
const bold = readFileSync(projectPath('assets', 'fonts', 'DejaVuSans-Bold.ttf'));
const ymd = (date: Date, timeZone = 'UTC') => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);

/** The same page drawn with plain pdfkit calls: header, title, body, rows, QR code as vector squares, footer. */
function renderBare(content: OfficialDocumentContent): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: true, font: '', lang: content.language, info: { CreationDate: content.issuedAt } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('regular', regular).registerFont('bold', bold);
  const both = (text: BilingualText) => (text.local === text.en ? text.local : `${text.local} / ${text.en}`);
  const captions = CAPTIONS[content.language] ?? CAPTIONS.en;
  const caption = (i: number): BilingualText => ({ local: captions[i], en: CAPTIONS.en[i] });
  doc.font('bold').fontSize(13).text(content.issuer.state.local, 50, 50, { width: 495, align: 'center' });
  doc.font('regular').fontSize(9).text(content.issuer.state.en, { width: 495, align: 'center' });
  doc.fontSize(11).text(content.issuer.mission.local, { width: 495, align: 'center' });
  doc.fontSize(9).text(content.issuer.mission.en, { width: 495, align: 'center' });
  doc.moveTo(50, doc.y + 8).lineTo(545, doc.y + 8).stroke();
  doc.font('bold').fontSize(16).text(content.title.local, 50, doc.y + 24, { width: 495, align: 'center' });
  doc.font('regular').fontSize(11).text(content.title.en, { width: 495, align: 'center' });
  if (content.body) doc.fontSize(10.5).text(content.body.local, 50, doc.y + 10, { width: 495 }).fontSize(9).text(content.body.en, { width: 495 });
  let y = doc.y + 16;
  const rows = [
    ...content.fields,
    { label: caption(0), value: content.serial },
    { label: caption(1), value: ymd(content.issuedAt, content.timeZone) },
    { label: caption(2), value: content.validUntil ? ymd(content.validUntil, content.timeZone) : '' },
    { label: caption(3), value: content.officer },
  ];
  for (const row of rows) {
    doc.font('regular').fontSize(9).text(row.label.local, 50, y, { width: 190 }).fontSize(7.5).text(row.label.en, { width: 190 });
    const labelBottom = doc.y;
    doc.font('bold').fontSize(11).text(row.value, 255, y, { width: 290 });
    y = Math.max(labelBottom, doc.y) + 7;
  }
  const top = 841.89 - 50 - 110 - 40;
  const { size, data } = QRCode.create(content.qrPayload, { errorCorrectionLevel: 'M' }).modules;
  const cell = 110 / (size + 2);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      if (!data[row * size + column]) continue;
      const start = column;
      while (column + 1 < size && data[row * size + column + 1]) column++;
      doc.rect(50 + (start + 1) * cell, top + (row + 1) * cell, (column - start + 1) * cell, cell);
    }
  }
  doc.fill('#000000');
  doc.font('regular').fontSize(8.5).text(`${caption(5).local}\n${caption(5).en}`, 174, top + 4, { width: 371 });
  doc.fontSize(9).text(`${both(caption(4))}:`, { width: 371 }).font('bold').text(content.verifyUrl, { width: 371 });
  if (content.footerNote) doc.font('regular').fontSize(8).text(`${content.footerNote.local}\n${content.footerNote.en}`, 50, top + 120, { width: 495, align: 'center' });
  doc.end();
  return done;
}

async function renderAllBare(contents: OfficialDocumentContent[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const content of contents) await renderBare(content);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  const database = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-documents-'));
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(
      AppModule.forRoot({
        NODE_ENV: 'development',
        ROLE: 'api', // no job workers: e-mails stay in the outbox, as queued work for the worker processes
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        DATABASE_URL: database?.url,
        EMBEDDED_DB_IN_MEMORY: 'true',
        SMTP_URL: undefined,
        PUBLIC_BASE_URL: 'https://consular.example.uz',
        DATABASE_POOL_SIZE: String(CONCURRENCY + 2),
      }),
      { logger: ['error', 'warn'] },
    );
    const ds = app.get(DataSource);
    const service = app.get(StaffDocumentsService);
    const [{ version }] = await ds.query(`SELECT current_setting('server_version') AS version`);
    log(`PostgreSQL ${version}${database ? '' : ' (embedded PGlite)'}; ${DOCUMENTS} documents, ${CONCURRENCY} approvals at a time over ${MISSIONS.join(', ')}`);

    // Record what the portal renders, so that the bare run draws exactly the same content.
    const renderer = app.get(PdfRendererService);
    const render = renderer.render.bind(renderer);
    const rendered: OfficialDocumentContent[] = [];
    renderer.render = (content: OfficialDocumentContent) => {
      rendered.push(content);
      return render(content);
    };

    const { officers, requestIds } = await seed(ds, WARM_UP + DOCUMENTS);
    const byId = await ds.query(`SELECT id, mission_code FROM document_requests`);
    const missionOf = new Map<string, string>(byId.map((r: { id: string; mission_code: string }) => [r.id, r.mission_code]));
    const requests = requestIds.map((id) => ({ id, officer: officers.get(missionOf.get(id)!)! }));

    await issueThroughPortal(service, requests.slice(0, WARM_UP));
    await renderAllBare(rendered.slice(0, WARM_UP));
    rendered.length = 0;

    // Portal and bare runs alternate in rounds, so that whatever else the machine does weighs on both alike.
    let portalSeconds = 0;
    let bareSeconds = 0;
    let rendererSeconds = 0;
    let rendererCount = 0;
    const serials: string[] = [];
    const perRound = DOCUMENTS / ROUNDS;
    for (let round = 0; round < ROUNDS; round++) {
      const issued = await issueThroughPortal(service, requests.slice(WARM_UP + round * perRound, WARM_UP + (round + 1) * perRound));
      portalSeconds += issued.seconds;
      serials.push(...issued.serials);
      const contents = rendered.splice(0);
      bareSeconds += await renderAllBare(contents);
      // Where the portal's time goes: its renderer alone, sequentially, over part of the same contents.
      const sample = contents.slice(0, RENDERER_SAMPLE / ROUNDS);
      const started = process.hrtime.bigint();
      for (const content of sample) await render(content);
      rendererSeconds += Number(process.hrtime.bigint() - started) / 1e9;
      rendererCount += sample.length;
    }
    const rendererMs = (1000 * rendererSeconds) / rendererCount;

    // Check what was issued: every serial once, each mission's numbers consecutive, each stored PDF matching its hash.
    // PDFs are encrypted at rest: decrypt each one and hash what a holder would download.
    const cipher = app.get(FieldCipher);
    const stored = (await ds.query(`SELECT pdf, pdf_sha256 FROM documents`)) as { pdf: Buffer; pdf_sha256: string }[];
    const documents = stored.length;
    const hashes_match = stored.every((row) => createHash('sha256').update(cipher.decryptBytes(row.pdf)).digest('hex') === row.pdf_sha256);
    const gaps = await ds.query(`
      SELECT mission_code FROM documents
       GROUP BY mission_code HAVING max(right(serial, 6)::int) - min(right(serial, 6)::int) + 1 <> count(*) OR min(right(serial, 6)::int) <> 1`);
    const [{ pdf_kb }] = await ds.query(`SELECT round(avg(octet_length(pdf)) / 1024.0, 1) AS pdf_kb FROM documents`);
    const correct = documents === WARM_UP + DOCUMENTS && new Set(serials).size === DOCUMENTS && hashes_match === true && gaps.length === 0;

    const docsPerSecond = DOCUMENTS / portalSeconds;
    const barePdfkitDocsPerSecond = DOCUMENTS / bareSeconds;
    const ratio = docsPerSecond / barePdfkitDocsPerSecond;
    log(`portal: ${DOCUMENTS} issued in ${round(portalSeconds, 2)} s (${round(docsPerSecond)} docs/s, ${round((1000 * portalSeconds) / DOCUMENTS, 2)} ms each)`);
    log(`bare pdfkit: ${DOCUMENTS} rendered in ${round(bareSeconds, 2)} s (${round(barePdfkitDocsPerSecond)} docs/s, ${round((1000 * bareSeconds) / DOCUMENTS, 2)} ms each)`);
    log(`portal renderer alone (PdfRendererService, ${rendererCount} of them): ${round(rendererMs, 2)} ms each`);
    log(`average PDF ${pdf_kb} KiB; serials unique and consecutive per mission, stored PDFs match their hashes: ${correct ? 'yes' : 'NO'}`);
    if (!correct) log('FAIL issued documents are not what they should be');
    if (ratio < TARGET_RATIO) log(`FAIL ratio ${round(ratio, 3)} below the target ${TARGET_RATIO}`);
    process.exitCode = correct && ratio >= TARGET_RATIO ? 0 : 1;
    log(
      JSON.stringify({
        bench: 'document-issue',
        documents: DOCUMENTS,
        docsPerSecond: round(docsPerSecond),
        barePdfkitDocsPerSecond: round(barePdfkitDocsPerSecond),
        ratio: round(ratio, 3),
        concurrency: CONCURRENCY,
        database: database ? 'postgresql' : 'embedded',
        correct,
      }),
    );
  } finally {
    await app?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
