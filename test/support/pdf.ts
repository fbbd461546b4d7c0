import { execFile } from 'node:child_process';
import { inflateSync } from 'node:zlib';

/**
 * A PDF read back with pdf-parse in a plain node process: its text and creation date. pdf.js loads its worker with a
 * dynamic import(), which Jest's module sandbox refuses.
 */
export function readPdf(pdf: Buffer): Promise<{ text: string; creationDate: string }> {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      const { text } = await parser.getText();
      const { info } = await parser.getInfo();
      process.stdout.write(JSON.stringify({ text, creationDate: info.CreationDate }));
      await parser.destroy();
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: __dirname, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
    child.stdin?.end(pdf);
  });
}

/** The PDF's text with line breaks and runs of spaces as single spaces (long titles wrap). */
export async function pdfText(pdf: Buffer): Promise<string> {
  return (await readPdf(pdf)).text.replace(/\s+/g, ' ');
}

/** Every stream of the PDF that inflates, as latin1 text (page content streams among them). */
function inflatedStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  const start = /stream\r?\n/g;
  for (let match = start.exec(raw); match; match = start.exec(raw)) {
    const from = match.index + match[0].length;
    const end = raw.indexOf('endstream', from);
    if (end === -1) break;
    try {
      streams.push(inflateSync(pdf.subarray(from, end)).toString('latin1'));
    } catch {
      // not a Flate stream, or trailing end-of-line bytes pdfkit does not add: skip
    }
    start.lastIndex = end;
  }
  return streams;
}

/**
 * Reads back the QR code the renderer draws as vector rectangles (one `re` per run of dark modules in a row):
 * the module matrix, row by row, as strings of '1' and '0'. Compare it with the matrix of the expected payload.
 */
export function qrMatrixInPdf(pdf: Buffer): string[] {
  const rects: number[][] = [];
  for (const content of inflatedStreams(pdf)) {
    for (const m of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)) rects.push(m.slice(1, 5).map(Number));
  }
  if (rects.length === 0) throw new Error('No QR code rectangles in the PDF');
  const cell = Math.min(...rects.map((r) => r[3]));
  const x0 = Math.min(...rects.map((r) => r[0]));
  const y0 = Math.min(...rects.map((r) => r[1]));
  const size = Math.round((Math.max(...rects.map((r) => r[1])) - y0) / cell) + 1;
  const grid = Array.from({ length: size }, () => Array<string>(size).fill('0'));
  for (const [x, y, w] of rects) {
    const row = Math.round((y - y0) / cell);
    const first = Math.round((x - x0) / cell);
    for (let column = first; column < first + Math.round(w / cell); column++) grid[row][column] = '1';
  }
  return grid.map((row) => row.join(''));
}

/** The same matrix form for a module grid from the qrcode package. */
export function qrMatrix(modules: { size: number; data: Uint8Array | boolean[] }): string[] {
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, column) => (modules.data[row * modules.size + column] ? '1' : '0')).join(''),
  );
}
