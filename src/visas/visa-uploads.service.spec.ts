import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DomainException } from '../common/http/domain.exception';
import { hasGpsPointer, minimalPdf, pngHeaderClaiming, testImage, ZIP_TAIL } from '../../test/support/images';
import { VisaUploadsService } from './visa-uploads.service';

describe('VisaUploadsService.sanitise', () => {
  const uploads = new VisaUploadsService();
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainException);
    return { status: (error as DomainException).status, code: (error as DomainException).code };
  };

  it('re-encodes a photo as a JPEG without EXIF or GPS, with its SHA-256 and size', async () => {
    const original = await testImage('jpeg', 640, 700, { gps: true });
    expect(hasGpsPointer((await sharp(original).metadata()).exif!)).toBe(true);
    const stored = await uploads.sanitise('photo', original);
    const metadata = await sharp(stored.bytes).metadata();
    expect(metadata).toEqual(expect.objectContaining({ format: 'jpeg', width: 640, height: 700 }));
    expect(metadata.exif).toBeUndefined();
    expect(stored.bytes.includes(Buffer.from('Location Leaker'))).toBe(false);
    expect(stored).toEqual(expect.objectContaining({ contentType: 'image/jpeg', width: 640, height: 700 }));
    expect(stored.sha256).toBe(createHash('sha256').update(stored.bytes).digest('hex'));
  });

  it('turns a PNG photo into a JPEG', async () => {
    const stored = await uploads.sanitise('photo', await testImage('png', 600, 600));
    expect((await sharp(stored.bytes).metadata()).format).toBe('jpeg');
  });

  it('applies the EXIF orientation before measuring and dropping it', async () => {
    const stored = await uploads.sanitise('photo', await testImage('jpeg', 800, 640, { orientation: 6 }));
    expect([stored.width, stored.height]).toEqual([640, 800]);
    expect((await sharp(stored.bytes).metadata()).orientation).toBeUndefined();
  });

  it('keeps nothing appended to an image (a JPEG that is also a ZIP)', async () => {
    const polyglot = Buffer.concat([await testImage('jpeg', 640, 640), ZIP_TAIL]);
    const stored = await uploads.sanitise('photo', polyglot);
    expect(stored.bytes.includes(Buffer.from('PK\u0003\u0004', 'latin1'))).toBe(false);
    expect(stored.bytes.includes(Buffer.from('<script>'))).toBe(false);
    expect(stored.bytes.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('refuses a photo under 600×600 pixels (422)', async () => {
    expect(await refusal(uploads.sanitise('photo', await testImage('jpeg', 599, 599)))).toEqual({ status: 422, code: 'photo_too_small' });
    expect(await refusal(uploads.sanitise('photo', await testImage('png', 1200, 599)))).toEqual({ status: 422, code: 'photo_too_small' });
  });

  it('refuses by the bytes, whatever the name: text, GIF, WebP, PDF photos (415)', async () => {
    for (const bytes of [Buffer.from('just some text, named photo.jpg'), await testImage('gif', 640, 640), await testImage('webp', 640, 640), minimalPdf(), Buffer.alloc(0)]) {
      expect(await refusal(uploads.sanitise('photo', bytes))).toEqual({ status: 415, code: 'unsupported_file_type' });
    }
  });

  it('refuses what is over the size limit of its kind (413)', async () => {
    const big = Buffer.concat([await testImage('jpeg', 640, 640), Buffer.alloc(2 * 1024 * 1024)]);
    expect(await refusal(uploads.sanitise('photo', big))).toEqual({ status: 413, code: 'file_too_large' });
    expect((await uploads.sanitise('passport_scan', big)).contentType).toBe('image/jpeg');
  });

  it('refuses a damaged image and one whose header claims too many pixels (422), without decoding it', async () => {
    const jpeg = await testImage('jpeg', 640, 640);
    expect(await refusal(uploads.sanitise('photo', jpeg.subarray(0, jpeg.length / 2)))).toEqual({ status: 422, code: 'unreadable_file' });
    expect(await refusal(uploads.sanitise('passport_scan', pngHeaderClaiming(20_000, 20_000)))).toEqual({ status: 422, code: 'image_too_large' });
  });

  it('stores a PDF passport scan as it is, and any size of scan image', async () => {
    const pdf = minimalPdf();
    const stored = await uploads.sanitise('passport_scan', pdf);
    expect(stored).toEqual({ bytes: pdf, contentType: 'application/pdf', width: null, height: null, sha256: createHash('sha256').update(pdf).digest('hex') });
    expect((await uploads.sanitise('passport_scan', await testImage('png', 300, 200))).width).toBe(300);
    expect(await refusal(uploads.sanitise('passport_scan', await testImage('gif', 640, 640)))).toEqual({ status: 415, code: 'unsupported_file_type' });
  });
});
