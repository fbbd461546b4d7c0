import { HttpStatus } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type/core';
import { createHash } from 'node:crypto';
import sharp, { Metadata } from 'sharp';
import { DomainError } from '../http/domain.exception';
import { UploadErrors } from '../http/uploads';

/** What one kind of upload accepts (an e-visa photo, a passport scan, a document request's police report…). */
export interface UploadRule {
  /** In words, for the refusal. */
  label: string;
  maxBytes: number;
  /** Types recognised by the bytes (file-type), as MIME types; images are JPEG or PNG, documents PDF. */
  types: readonly string[];
  typesInWords: string;
  minWidth?: number;
  minHeight?: number;
}

/** What an upload route answers when it refuses a file for its content. */
export const UploadContentErrors = {
  unsupportedType: new DomainError(
    'unsupported_file_type',
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    'The file is not of a type this upload takes, judged by its bytes (its name and declared type are not trusted): a photo is JPEG or PNG, a scan or report PDF, JPEG or PNG',
    (what: string, allowed: string) => `A ${what} must be ${allowed}`,
  ),
  unreadable: new DomainError('unreadable_file', HttpStatus.UNPROCESSABLE_ENTITY, 'The file looks like an image or PDF but cannot be read as one', () => 'The file is damaged or incomplete'),
  tooManyPixels: new DomainError(
    'image_too_large',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The image has more pixels than the portal decodes',
    (maxPixels: number) => `The image must have at most ${maxPixels / 1_000_000} million pixels`,
  ),
  imageTooSmall: new DomainError(
    'photo_too_small',
    HttpStatus.UNPROCESSABLE_ENTITY,
    'The photo is smaller than the minimum size in pixels',
    (what: string, width: number, height: number) => `The ${what} must be at least ${width}×${height} pixels`,
  ),
} as const;

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
 * Checks an uploaded file by its bytes against `rule` and makes the copy that is stored. Images are decoded and
 * re-encoded as a new JPEG (auto-rotated by their EXIF orientation first): the copy carries no EXIF, GPS or other
 * metadata, and nothing the original held after or around the image (a ZIP or HTML appended to a JPEG, a file
 * that is two formats at once) survives the decode. PDFs are stored as they are, once their bytes and file-type
 * agree that they are PDFs; they are only ever served back as attachments.
 */
export async function sanitiseUpload(rule: UploadRule, bytes: Buffer): Promise<SanitisedFile> {
  if (bytes.length > rule.maxBytes) throw UploadErrors.tooLarge.exception(rule.maxBytes);
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !rule.types.includes(detected.mime)) throw UploadContentErrors.unsupportedType.exception(rule.label, rule.typesInWords);
  if (detected.mime === 'application/pdf') {
    if (!bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) throw UploadContentErrors.unsupportedType.exception(rule.label, rule.typesInWords);
    return { bytes, contentType: 'application/pdf', width: null, height: null, sha256: sha256(bytes) };
  }
  const image = await reencodeAsJpeg(bytes);
  if ((rule.minWidth && image.width < rule.minWidth) || (rule.minHeight && image.height < rule.minHeight)) {
    throw UploadContentErrors.imageTooSmall.exception(rule.label, rule.minWidth ?? 0, rule.minHeight ?? 0);
  }
  return { bytes: image.bytes, contentType: 'image/jpeg', width: image.width, height: image.height, sha256: sha256(image.bytes) };
}

async function reencodeAsJpeg(bytes: Buffer): Promise<{ bytes: Buffer; width: number; height: number }> {
  let metadata: Metadata;
  try {
    // The header only: nothing is decoded yet.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw UploadContentErrors.unreadable.exception();
  }
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > MAX_INPUT_PIXELS) throw UploadContentErrors.tooManyPixels.exception(MAX_INPUT_PIXELS);
  try {
    // sharp writes no metadata unless asked (withMetadata/keepExif): the new JPEG has none.
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw UploadContentErrors.unreadable.exception();
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
