import { Injectable, Logger } from '@nestjs/common';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { canonicalJson } from '../common/canonical-json';

/** A public Ed25519 key as published in the JWKS (RFC 8037). */
export interface Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export interface Signature {
  kid: string;
  /** Ed25519 signature over the canonical JSON of the payload, base64url without padding. */
  signature: string;
}

/** An Ed25519 signature is 64 bytes: 86 base64url characters without padding. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{86}$/;

/**
 * Holds the Ed25519 key that signs documents (and later e-visas) and the retired keys that still verify what they
 * signed. Key ids are RFC 7638 JWK thumbprints, so anyone holding the JWKS can recompute them.
 */
@Injectable()
export class SigningKeyService {
  private readonly logger = new Logger(SigningKeyService.name);
  private readonly privateKey: KeyObject;
  private readonly activeKid: string;
  /** Every key that may verify, active first, by kid. */
  private readonly publicKeys = new Map<string, { key: KeyObject; jwk: Jwk }>();

  constructor(config: AppConfig) {
    this.privateKey = this.loadActiveKey(config);
    this.activeKid = this.addPublicKey(createPublicKey(this.privateKey), 'the active signing key');
    for (const file of config.signing.retiredKeyFiles) {
      const key = readKeyFile(file, 'SIGNING_RETIRED_KEY_FILES');
      this.addPublicKey(key.type === 'public' ? key : createPublicKey(key), file);
    }
  }

  /** The id of the key that signs now. */
  get kid(): string {
    return this.activeKid;
  }

  sign(payload: object): Signature {
    const signature = sign(null, Buffer.from(canonicalJson(payload), 'utf8'), this.privateKey);
    return { kid: this.activeKid, signature: signature.toString('base64url') };
  }

  /** Whether `signature` signs `payload` under the key `kid` (or any known key). False, never an error, for garbage. */
  verify(payload: unknown, signature: unknown, kid?: unknown): boolean {
    if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) return false;
    const bytes = Buffer.from(signature, 'base64url');
    // The last character carries 4 unused bits: refuse the non-canonical spellings of the same signature.
    if (bytes.toString('base64url') !== signature) return false;
    let data: Buffer;
    try {
      data = Buffer.from(canonicalJson(payload), 'utf8');
    } catch {
      return false;
    }
    const candidates =
      kid === undefined || kid === null ? [...this.publicKeys.values()] : typeof kid === 'string' ? [this.publicKeys.get(kid)] : [];
    try {
      return candidates.some((entry) => entry !== undefined && verify(null, data, entry.key, bytes));
    } catch {
      return false;
    }
  }

  /** The public keys, active first, for GET /.well-known/jwks.json. */
  jwks(): { keys: Jwk[] } {
    return { keys: [...this.publicKeys.values()].map(({ jwk }) => ({ ...jwk })) };
  }

  private loadActiveKey(config: AppConfig): KeyObject {
    if (config.signing.keyFile) return readKeyFile(config.signing.keyFile, 'SIGNING_KEY_FILE', 'private');
    if (config.isProduction) throw new Error('Invalid configuration: SIGNING_KEY_FILE is required when NODE_ENV=production');
    const path = join(config.dataDir, 'secrets', 'signing', 'ed25519.pem');
    if (!existsSync(path) && createKeyFileOnce(path)) this.logger.log(`Generated a development signing key at ${path}`);
    return readKeyFile(path, 'generated signing key', 'private');
  }

  private addPublicKey(key: KeyObject, source: string): string {
    const { crv, kty, x } = key.export({ format: 'jwk' });
    if (kty !== 'OKP' || crv !== 'Ed25519' || !x) throw new Error(`Invalid signing key: ${source} is not an Ed25519 key`);
    const kid = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
    if (!this.publicKeys.has(kid)) this.publicKeys.set(kid, { key, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' } });
    return kid;
  }
}

/** Reads an Ed25519 key from a PEM file: PKCS#8 private, or (retired keys) SPKI public or PKCS#8 private. */
function readKeyFile(path: string, variable: string, kind: 'private' | 'any' = 'any'): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Invalid configuration: ${variable} names an unreadable file ${path} (${(error as Error).message})`, { cause: error });
  }
  let key: KeyObject;
  try {
    key = kind === 'private' || pem.includes('PRIVATE KEY') ? createPrivateKey(pem) : createPublicKey(pem);
  } catch (error) {
    throw new Error(`Invalid configuration: ${variable} file ${path} is not a PEM key (${(error as Error).message})`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`Invalid configuration: ${variable} file ${path} holds a ${key.asymmetricKeyType} key, not Ed25519`);
  }
  return key;
}

/**
 * Writes a new PKCS#8 key to `path` (0600) unless one appears there first: the key is written to a temporary file and
 * hard-linked into place, which fails when the name exists, so processes starting together all end up using one key
 * and none ever reads a half-written file.
 */
function createKeyFileOnce(path: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, pem, { mode: 0o600, flag: 'wx' });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}
