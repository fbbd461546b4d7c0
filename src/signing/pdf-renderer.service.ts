import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { projectPath } from '../config/app-config';
import type { BilingualText } from '../config/issuing-state';

export type { BilingualText };

/** Everything printed on an official document; the caller has resolved every text into the holder's language. */
export interface OfficialDocumentContent {
  /** The holder's language (BCP 47), for the built-in captions and the PDF's language tag. */
  language: string;
  issuer: { state: BilingualText; mission: BilingualText };
  title: BilingualText;
  /** An official sentence under the title, placeholders already filled in. */
  body?: BilingualText;
  fields: Array<{ label: BilingualText; value: string }>;
  serial: string;
  issuedAt: Date;
  validUntil: Date | null;
  /** Name (and rank) of the officer who issued the document. */
  officer: string;
  /** What the QR code holds: the verification address with the signature. */
  qrPayload: string;
  /** The address printed beside the QR code for people who type it (without the signature). */
  verifyUrl: string;
  /** IANA time zone in which dates are printed (the mission's); UTC when absent. */
  timeZone?: string;
  footerNote?: BilingualText;
  /** The holder's photograph (JPEG or PNG), beside the fields; null draws its empty frame. Absent: no photo. */
  photo?: Buffer | null;
  /** A machine-readable zone (an e-visa's ICAO lines), printed at the foot of the page in OCR-B at 10 characters an inch. */
  machineReadableZone?: string[];
}

type Caption = 'serial' | 'issuedAt' | 'validUntil' | 'noExpiry' | 'officer' | 'verifyAt' | 'signedNote';

/** Captions every official document carries, in the languages the portal speaks; others fall back to English alone. */
const CAPTIONS: Record<string, Record<Caption, string>> = {
  en: {
    serial: 'Serial number',
    issuedAt: 'Date of issue',
    validUntil: 'Valid until',
    noExpiry: 'No expiry',
    officer: 'Issuing officer',
    verifyAt: 'Verify at',
    signedNote: 'This document is signed electronically. Scan the QR code to check that it is genuine and valid.',
  },
  ru: {
    serial: 'Серийный номер',
    issuedAt: 'Дата выдачи',
    validUntil: 'Действителен до',
    noExpiry: 'Бессрочно',
    officer: 'Выдавшее должностное лицо',
    verifyAt: 'Проверить подлинность',
    signedNote: 'Документ подписан электронной подписью. Отсканируйте QR-код, чтобы проверить его подлинность и действительность.',
  },
  uz: {
    serial: 'Seriya raqami',
    issuedAt: 'Berilgan sana',
    validUntil: 'Amal qilish muddati',
    noExpiry: 'Muddatsiz',
    officer: 'Hujjatni bergan mansabdor shaxs',
    verifyAt: 'Haqiqiyligini tekshirish',
    signedNote: 'Hujjat elektron imzo bilan imzolangan. Haqiqiyligi va amal qilishini tekshirish uchun QR kodni skanerlang.',
  },
};

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const PAGE_BOTTOM = A4.height - MARGIN;
/** Room a row needs below its top (a label in two languages, a value over up to three lines). */
const ROW_ROOM = 48;
const LABEL_WIDTH = 190;
const VALUE_X = MARGIN + LABEL_WIDTH + 15;
const VALUE_WIDTH = A4.width - MARGIN - VALUE_X;
const QR_SIZE = 110;
/** Light modules drawn around the code; the white page margin and the gap before the text complete the quiet zone. */
const QR_QUIET_ZONE = 1;
/** 35 × 45 mm, the ICAO photograph's proportions. */
const PHOTO = { width: 99, height: 128 };
const PHOTO_GAP = 12;
/** OCR-B's advance is 0.723 em: this size gives the MRZ pitch of 2.54 mm (10 characters an inch) of Doc 9303. */
const MRZ_FONT_SIZE = 7.2 / 0.723;
const MRZ_LINE_HEIGHT = 12;
const MRZ_PADDING = 10;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#8a8a8a';

/**
 * Renders signed official documents (consular documents now, e-visas later) as A4 PDFs with an embedded Unicode font,
 * so Cyrillic and Uzbek Latin (oʻ, gʻ) print as typed. The caller hashes and signs the bytes it gets back and stores
 * them: a document is never rendered twice.
 */
@Injectable()
export class PdfRendererService {
  // Read once; parsed per document, because fontkit caches each glyph with the code points it first met, so a parsed
  // font shared between documents gives later PDFs a history-dependent ToUnicode map (see the spec).
  private readonly regular = readFileSync(projectPath('assets', 'fonts', 'DejaVuSans.ttf'));
  private readonly bold = readFileSync(projectPath('assets', 'fonts', 'DejaVuSans-Bold.ttf'));
  private readonly ocrB = readFileSync(projectPath('assets', 'fonts', 'OCRB.otf'));
  private readonly dateFormats = new Map<string, Intl.DateTimeFormat>();

  async render(content: OfficialDocumentContent): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      compress: true,
      // No default font: pdfkit would load Helvetica's metrics for every document, and only DejaVu is ever used.
      font: '',
      lang: content.language,
      info: { Title: `${content.title.en} ${content.serial}`, Author: content.issuer.mission.en, CreationDate: content.issuedAt },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finished = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    doc.registerFont('regular', this.regular).registerFont('bold', this.bold);
    if (content.machineReadableZone) doc.registerFont('ocr-b', this.ocrB);

    const captions = CAPTIONS[content.language.split('-')[0]] ?? CAPTIONS.en;
    const caption = (key: Caption): BilingualText => ({ local: captions[key], en: CAPTIONS.en[key] });

    this.drawHeader(doc, content);
    this.drawTitle(doc, content);

    const rows = [
      ...content.fields,
      { label: caption('serial'), value: content.serial },
      { label: caption('issuedAt'), value: this.formatDate(content.issuedAt, content.timeZone) },
      {
        label: caption('validUntil'),
        value: content.validUntil ? this.formatDate(content.validUntil, content.timeZone) : this.pair(caption('noExpiry')),
      },
      { label: caption('officer'), value: content.officer },
    ];
    let y = doc.y + 6;
    const photoBottom = content.photo === undefined ? y : this.drawPhoto(doc, content.photo, y);
    for (const row of rows) y = this.drawRow(doc, row.label, row.value, y, y < photoBottom ? PHOTO.width + PHOTO_GAP : 0);
    y = Math.max(y, photoBottom);

    this.drawVerification(doc, content, caption('verifyAt'), caption('signedNote'), y + 14);
    doc.end();
    return finished;
  }

  private drawHeader(doc: PDFKit.PDFDocument, content: OfficialDocumentContent): void {
    const { state, mission } = content.issuer;
    doc.font('bold').fontSize(13).fillColor(INK).text(state.local, MARGIN, MARGIN, { width: CONTENT_WIDTH, align: 'center' });
    if (this.showEnglish(state)) doc.font('regular').fontSize(9).fillColor(MUTED).text(state.en, { width: CONTENT_WIDTH, align: 'center' });
    doc.moveDown(0.3);
    doc.font('regular').fontSize(11).fillColor(INK).text(mission.local, { width: CONTENT_WIDTH, align: 'center' });
    if (this.showEnglish(mission)) doc.fontSize(9).fillColor(MUTED).text(mission.en, { width: CONTENT_WIDTH, align: 'center' });
    const ruleY = doc.y + 8;
    doc.moveTo(MARGIN, ruleY).lineTo(A4.width - MARGIN, ruleY).lineWidth(0.8).strokeColor(RULE).stroke();
    doc.y = ruleY + 18;
  }

  private drawTitle(doc: PDFKit.PDFDocument, content: OfficialDocumentContent): void {
    doc.font('bold').fontSize(16).fillColor(INK).text(content.title.local, MARGIN, doc.y, { width: CONTENT_WIDTH, align: 'center' });
    if (this.showEnglish(content.title)) doc.font('regular').fontSize(11).fillColor(MUTED).text(content.title.en, { width: CONTENT_WIDTH, align: 'center' });
    doc.moveDown(0.8);
    if (content.body) {
      doc.font('regular').fontSize(10.5).fillColor(INK).text(content.body.local, MARGIN, doc.y, { width: CONTENT_WIDTH });
      if (this.showEnglish(content.body)) doc.moveDown(0.2).fontSize(9).fillColor(MUTED).text(content.body.en, { width: CONTENT_WIDTH });
      doc.moveDown(0.8);
    }
  }

  /** The photograph at the right of the first rows, in a thin frame; returns the frame's bottom. */
  private drawPhoto(doc: PDFKit.PDFDocument, photo: Buffer | null, y: number): number {
    const x = A4.width - MARGIN - PHOTO.width;
    if (photo) doc.image(photo, x, y, { fit: [PHOTO.width, PHOTO.height], align: 'center', valign: 'center' });
    doc.rect(x, y, PHOTO.width, PHOTO.height).lineWidth(0.5).strokeColor(RULE).stroke();
    return y + PHOTO.height + 7;
  }

  /** One label (holder's language above, English below) and its value; returns where the next row starts. */
  private drawRow(doc: PDFKit.PDFDocument, label: BilingualText, value: string, y: number, rightInset = 0): number {
    if (y + ROW_ROOM > PAGE_BOTTOM) {
      doc.addPage();
      y = MARGIN;
    }
    doc.font('regular').fontSize(9).fillColor(INK).text(label.local, MARGIN, y, { width: LABEL_WIDTH });
    if (this.showEnglish(label)) doc.fontSize(7.5).fillColor(MUTED).text(label.en, { width: LABEL_WIDTH });
    const labelBottom = doc.y;
    doc.font('bold').fontSize(11).fillColor(INK).text(value, VALUE_X, y, { width: VALUE_WIDTH - rightInset });
    return Math.max(labelBottom, doc.y) + 7;
  }

  private drawVerification(
    doc: PDFKit.PDFDocument,
    content: OfficialDocumentContent,
    verifyAt: BilingualText,
    signedNote: BilingualText,
    minimumY: number,
  ): void {
    const footer = content.footerNote && this.pair(content.footerNote, '\n');
    doc.font('regular').fontSize(8);
    const footerHeight = footer ? doc.heightOfString(footer, { width: CONTENT_WIDTH, align: 'center' }) + 10 : 0;
    const zone = content.machineReadableZone;
    const zoneHeight = zone ? zone.length * MRZ_LINE_HEIGHT + 2 * MRZ_PADDING + 10 : 0;
    let top = PAGE_BOTTOM - QR_SIZE - footerHeight - zoneHeight;
    if (minimumY > top) {
      doc.addPage();
      top = MARGIN;
    }
    doc.moveTo(MARGIN, top - 12).lineTo(A4.width - MARGIN, top - 12).lineWidth(0.5).strokeColor(RULE).stroke();
    this.drawQrCode(doc, content.qrPayload, MARGIN, top);
    const textX = MARGIN + QR_SIZE + 14;
    const textWidth = A4.width - MARGIN - textX;
    doc.font('regular').fontSize(8.5).fillColor(INK).text(this.pair(signedNote, '\n'), textX, top + 4, { width: textWidth });
    doc.moveDown(0.5).fontSize(9).text(`${this.pair(verifyAt)}:`, { width: textWidth });
    doc.font('bold').text(content.verifyUrl, { width: textWidth });
    if (footer) {
      doc.font('regular').fontSize(8).fillColor(MUTED).text(footer, MARGIN, top + QR_SIZE + 10, { width: CONTENT_WIDTH, align: 'center' });
    }
    if (zone) this.drawMachineReadableZone(doc, zone, top + QR_SIZE + footerHeight + 10);
  }

  /** Each line in one text run, so a reader (and pdf-parse) gets it back whole; a rule above marks the clear zone. */
  private drawMachineReadableZone(doc: PDFKit.PDFDocument, lines: string[], top: number): void {
    doc.moveTo(MARGIN, top).lineTo(A4.width - MARGIN, top).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('ocr-b').fontSize(MRZ_FONT_SIZE).fillColor('#000000');
    lines.forEach((line, i) => doc.text(line, MARGIN + 6, top + MRZ_PADDING + i * MRZ_LINE_HEIGHT, { lineBreak: false }));
  }

  /**
   * Draws the QR code as vector squares (one rectangle per run of dark modules, one fill): sharp at any print size,
   * and it spares encoding a PNG that pdfkit would decode again to embed.
   */
  private drawQrCode(doc: PDFKit.PDFDocument, payload: string, x: number, y: number): void {
    const { size, data } = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
    const cell = QR_SIZE / (size + 2 * QR_QUIET_ZONE);
    const origin = { x: x + QR_QUIET_ZONE * cell, y: y + QR_QUIET_ZONE * cell };
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < size; column++) {
        if (!data[row * size + column]) continue;
        const start = column;
        while (column + 1 < size && data[row * size + column + 1]) column++;
        doc.rect(origin.x + start * cell, origin.y + row * cell, (column - start + 1) * cell, cell);
      }
    }
    doc.fillColor('#000000').fill();
  }

  /** English goes beside or below the holder's text unless the holder reads English. */
  private showEnglish(text: BilingualText): boolean {
    return text.local !== text.en;
  }

  private pair(text: BilingualText, separator = ' / '): string {
    return this.showEnglish(text) ? `${text.local}${separator}${text.en}` : text.local;
  }

  /** YYYY-MM-DD in the mission's time zone: unambiguous to a reader of any language. */
  private formatDate(date: Date, timeZone = 'UTC'): string {
    let format = this.dateFormats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
      this.dateFormats.set(timeZone, format);
    }
    return format.format(date);
  }
}
