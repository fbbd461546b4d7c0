import { Injectable } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type/core';
import { createHash } from 'node:crypto';
import sharp, { Metadata } from 'sharp';
import { UploadErrors } from '../common/http/uploads';
import { VisaFileErrors } from './visa-file.errors';

export type VisaUploadKind = 'photo' | 'passport_scan';

interface UploadRule {
  /** In words, for the refusal. */
  label: string;
  maxBytes: number;
  /** Types recognised by the bytes (file-type), as MIME types. */
  types: readonly string[];
  typesInWords: string;
  minWidth?: number;
  minHeight?: number;
}

const MB = 1024 * 1024;

/** What each upload accepts (issue 12, item 4). */
export const VISA_UPLOAD_RULES: Record<VisaUploadKind, UploadRule> = {
  photo: { label: 'photo', maxBytes: 2 * MB, types: ['image/jpeg', 'image/png'], typesInWords: 'a JPEG or PNG image', minWidth: 600, minHeight: 600 },
  passport_scan: { label: 'passport scan', maxBytes: 5 * MB, types: ['application/pdf', 'image/jpeg', 'image/png'], typesInWords: 'a PDF, JPEG or PNG file' },
};

/**
 * Decoding stops beyond this many pixels (a 600 dpi A4 scan has about 35 million): a small compressed file that
 * would expand to gigabytes in memory is refused instead of decoded.
 */
const MAX_INPUT_PIXELS = 50_000_000;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** A file as it is stored: the bytes, what they are, and their SHA-256. */
export interface SanitisedFile {
  bytes: Buffer;
  contentType: 'image/jpeg' | 'application/pdf';
  width: number | null;
  height: number | null;
  sha256: string;
}

/**
 * Checks an uploaded photo or passport scan by its bytes and makes the copy that is stored. Images are decoded and
 * re-encoded as a new JPEG (auto-rotated by their EXIF orientation first): the copy carries no EXIF, GPS or other
 * metadata, and nothing the original held after or around the image (a ZIP or HTML appended to a JPEG, a file
 * that is two formats at once) survives the decode. PDFs are stored as they are, once their bytes and file-type
 * agree that they are PDFs; they are only ever served back as attachments.
 */
@Injectable()
export class VisaUploadsService {
  async sanitise(kind: VisaUploadKind, bytes: Buffer): Promise<SanitisedFile> {
    const rule = VISA_UPLOAD_RULES[kind];
    if (bytes.length > rule.maxBytes) throw UploadErrors.tooLarge.exception(rule.maxBytes);
    const detected = await fileTypeFromBuffer(bytes);
    if (!detected || !rule.types.includes(detected.mime)) throw VisaFileErrors.unsupportedType.exception(rule.label, rule.typesInWords);
    if (detected.mime === 'application/pdf') {
      if (!bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) throw VisaFileErrors.unsupportedType.exception(rule.label, rule.typesInWords);
      return { bytes, contentType: 'application/pdf', width: null, height: null, sha256: sha256(bytes) };
    }
    const image = await reencodeAsJpeg(bytes);
    if ((rule.minWidth && image.width < rule.minWidth) || (rule.minHeight && image.height < rule.minHeight)) {
      throw VisaFileErrors.photoTooSmall.exception(rule.minWidth ?? 0, rule.minHeight ?? 0);
    }
    return { bytes: image.bytes, contentType: 'image/jpeg', width: image.width, height: image.height, sha256: sha256(image.bytes) };
  }
}

async function reencodeAsJpeg(bytes: Buffer): Promise<{ bytes: Buffer; width: number; height: number }> {
  let metadata: Metadata;
  try {
    // The header only: nothing is decoded yet.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw VisaFileErrors.unreadable.exception();
  }
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_INPUT_PIXELS) throw VisaFileErrors.tooManyPixels.exception(MAX_INPUT_PIXELS);
  try {
    // sharp writes no metadata unless asked (withMetadata/keepExif): the new JPEG has none.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate().flatten({ background: '#ffffff' }).jpeg({ quality: 90, chromaSubsampling: '4:4:4' }).toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw VisaFileErrors.unreadable.exception();
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
