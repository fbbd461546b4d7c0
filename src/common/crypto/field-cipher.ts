import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'consular-portal/field-cipher';
const BYTES_VERSION = Buffer.from([1]);

/**
 * Personal data at rest, for every feature: encrypts personal identifiers (passport numbers, personal identification numbers) for storage, and computes
 * the keyed lookup hash stored beside them for duplicate checks. Both sub-keys are derived from the one master
 * key, so a database dump without the key reveals neither the values nor a way to test guesses against them.
 */
export class FieldCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error(`FieldCipher needs a 32-byte master key, got ${masterKey.length} bytes`);
    this.encryptionKey = derive(masterKey, 'aes-256-gcm field encryption v1');
    this.lookupKey = derive(masterKey, 'hmac-sha256 lookup hash v1');
  }

  /** `v1.<iv>.<ciphertext+tag>`, base64url parts, a fresh random IV each time. */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** Throws when the value is malformed, was made with another key, or was altered. */
  decrypt(token: string): string {
    const [version, ivPart, sealedPart, ...rest] = token.split('.');
    if (version !== VERSION || !ivPart || !sealedPart || rest.length > 0) throw new Error('Malformed encrypted field');
    const iv = Buffer.from(ivPart, 'base64url');
    const sealed = Buffer.from(sealedPart, 'base64url');
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new Error('Malformed encrypted field');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Encrypted field failed authentication (wrong key or altered value)');
    }
  }

  /** Binary form for larger values (issued PDFs): version byte, IV, ciphertext and tag. */
  encryptBytes(plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
    return Buffer.concat([BYTES_VERSION, iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  decryptBytes(sealed: Buffer): Buffer {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || !sealed.subarray(0, 1).equals(BYTES_VERSION)) throw new Error('Malformed encrypted value');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new Error('Encrypted value failed authentication (wrong key or altered value)');
    }
  }

  /** Whether a stored string is one of this cipher's tokens (`v1.<iv>.<sealed>`). */
  isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && SEALED_TOKEN.test(value);
  }

  /** A stored value opened: a token decrypted; a value stored before encryption (until it is sealed) as it is. */
  open(stored: string): string {
    return this.isEncrypted(stored) ? this.decrypt(stored) : stored;
  }

  /** HMAC-SHA256 (hex) of an already normalised value: equal inputs give equal hashes under the same key. */
  lookupHash(normalisedValue: string): string {
    return createHmac('sha256', this.lookupKey).update(normalisedValue, 'utf8').digest('hex');
  }

  /** Lookup hash of a passport number as typed, normalised first. */
  passportLookupHash(passportNumber: string): string {
    return this.lookupHash(normalisePassportNumber(passportNumber));
  }

  /** Shows the first two and last two characters: `AB*****67`. */
  mask(value: string): string {
    if (value.length <= 4) return '*'.repeat(value.length);
    return `${value.slice(0, 2)}${'*'.repeat(value.length - 4)}${value.slice(-2)}`;
  }
}

/**
 * What a token looks like, as a regular expression both JavaScript and PostgreSQL (`~`) read the same way: SQL that
 * finds values still stored in clear passes it as a parameter.
 */
export const SEALED_TOKEN_PATTERN = '^v1\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+$';
const SEALED_TOKEN = new RegExp(SEALED_TOKEN_PATTERN);

/** The one spelling of a passport number that is validated, hashed and stored: no spaces, upper case. */
export function normalisePassportNumber(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

function derive(masterKey: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, HKDF_SALT, info, 32));
}
