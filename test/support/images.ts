import sharp from 'sharp';
import { crc32 } from 'node:zlib';

/** Test images made with sharp: a flat colour with a little structure, so encoders have something to encode. */
export async function testImage(
  format: 'jpeg' | 'png' | 'gif' | 'webp',
  width: number,
  height: number,
  options: { gps?: boolean; orientation?: number } = {},
): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 180, g: 120, b: 90 } } }).composite([
    { input: { create: { width: Math.ceil(width / 3), height: Math.ceil(height / 3), channels: 3, background: { r: 20, g: 40, b: 160 } } }, left: 0, top: 0 },
  ]);
  image = image[format]();
  if (options.gps) {
    image = image.withExif({
      IFD0: { Make: 'TestCam', Model: 'Location Leaker' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '41/1 18/1 36/1', GPSLongitudeRef: 'E', GPSLongitude: '69/1 16/1 48/1' },
    });
  }
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

/** The EXIF tag that points at the GPS block (0x8825), as it appears in little- or big-endian EXIF. */
export function hasGpsPointer(bytes: Buffer): boolean {
  return bytes.includes(Buffer.from([0x25, 0x88])) || bytes.includes(Buffer.from([0x88, 0x25]));
}

/**
 * A PNG whose header claims `width`×`height` with one tiny (invalid) data chunk: enough for a reader of the header,
 * a decompression bomb for anything that would decode it.
 */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])), chunk('IEND', Buffer.alloc(0))]);
}

/** A minimal PDF (one empty page). */
export function minimalPdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}

/** A ZIP archive's local file header, appended to an image to make a polyglot. */
export const ZIP_TAIL = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('payload.html<script>alert(1)</script>', 'latin1')]);
