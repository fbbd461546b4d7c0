import { randomBytes } from 'node:crypto';
import { FieldCipher, normalisePassportNumber } from './field-cipher';

describe('FieldCipher', () => {
  const cipher = new FieldCipher(randomBytes(32));

  it('decrypts what it encrypted, in the versioned compact form', () => {
    const token = cipher.encrypt('AB1234567');
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('1234567');
    expect(cipher.decrypt(token)).toBe('AB1234567');
    expect(cipher.decrypt(cipher.encrypt('Ўзбекистон ё'))).toBe('Ўзбекистон ё');
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('uses a fresh IV for every encryption', () => {
    const a = cipher.encrypt('AB1234567');
    const b = cipher.encrypt('AB1234567');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  it('refuses an altered value', () => {
    const [version, iv, sealed] = cipher.encrypt('AB1234567').split('.');
    const flipped = Buffer.from(sealed, 'base64url');
    flipped[0] ^= 0x01;
    expect(() => cipher.decrypt(`${version}.${iv}.${flipped.toString('base64url')}`)).toThrow(/authentication/);

    const otherIv = Buffer.from(iv, 'base64url');
    otherIv[11] ^= 0x80;
    expect(() => cipher.decrypt(`${version}.${otherIv.toString('base64url')}.${sealed}`)).toThrow(/authentication/);

    const tag = Buffer.from(sealed, 'base64url');
    expect(() => cipher.decrypt(`${version}.${iv}.${tag.subarray(0, tag.length - 1).toString('base64url')}`)).toThrow();
    expect(() => cipher.decrypt(`v2.${iv}.${sealed}`)).toThrow(/Malformed/);
    expect(() => cipher.decrypt('AB1234567')).toThrow(/Malformed/);
  });

  it('cannot decrypt with another master key', () => {
    const other = new FieldCipher(randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('AB1234567'))).toThrow(/authentication/);
  });

  it('gives a stable, key-dependent lookup hash', () => {
    const key = randomBytes(32);
    const hash = new FieldCipher(key).lookupHash('AB1234567');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new FieldCipher(Buffer.from(key)).lookupHash('AB1234567')).toBe(hash);
    expect(new FieldCipher(randomBytes(32)).lookupHash('AB1234567')).not.toBe(hash);
    expect(new FieldCipher(key).lookupHash('AB1234568')).not.toBe(hash);
  });

  it('hashes passport numbers as normalised', () => {
    expect(normalisePassportNumber('  ab 123 4567 ')).toBe('AB1234567');
    expect(cipher.passportLookupHash(' ab1234567')).toBe(cipher.lookupHash('AB1234567'));
  });

  it('masks all but the first two and last two characters', () => {
    expect(cipher.mask('AB1234567')).toBe('AB*****67');
    expect(cipher.mask('1234')).toBe('****');
  });

  it('rejects a master key of the wrong length', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow(/32-byte/);
  });

  it('encrypts binary values (issued PDFs) with a fresh IV and refuses altered ones', () => {
    const cipher = new FieldCipher(randomBytes(32));
    const pdf = Buffer.from('%PDF-1.7 holder AB1234567');
    const sealed = cipher.encryptBytes(pdf);
    expect(sealed.includes(Buffer.from('AB1234567'))).toBe(false);
    expect(cipher.encryptBytes(pdf).equals(sealed)).toBe(false);
    expect(cipher.decryptBytes(sealed).equals(pdf)).toBe(true);
    const altered = Buffer.from(sealed);
    altered[20] ^= 1;
    expect(() => cipher.decryptBytes(altered)).toThrow(/authentication/);
    expect(() => new FieldCipher(randomBytes(32)).decryptBytes(sealed)).toThrow(/authentication/);
    expect(cipher.isEncrypted(cipher.encrypt('x'))).toBe(true);
    expect(cipher.isEncrypted('AB1234567')).toBe(false);
  });
});
