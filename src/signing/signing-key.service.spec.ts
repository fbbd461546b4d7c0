import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../common/canonical-json';
import { AppConfig } from '../config/app-config';
import { SigningKeyService } from './signing-key.service';

describe('SigningKeyService', () => {
  let dataDir: string;
  const configFor = (overrides: Record<string, string | undefined> = {}) =>
    AppConfig.fromEnvironment({ DATA_DIR: dataDir, NODE_ENV: 'test', SIGNING_KEY_FILE: undefined, SIGNING_RETIRED_KEY_FILES: '', ...overrides });
  const payload = {
    serial: 'UZ-BER-2026-000123',
    type: 'certificate-of-return',
    holderHash: 'b1946ac92492d2347c6235b4d2611184',
    issuedAt: '2026-03-01',
    validUntil: '2026-03-31',
    pdfSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'signing-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('verifies what it signed, under the kid it names', () => {
    const keys = new SigningKeyService(configFor());
    const { kid, signature } = keys.sign(payload);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(kid).toBe(keys.kid);
    expect(keys.verify(payload, signature, kid)).toBe(true);
    expect(keys.verify(payload, signature)).toBe(true);
    // Key order does not matter: the signature is over canonical JSON.
    expect(keys.verify(Object.fromEntries(Object.entries(payload).reverse()), signature)).toBe(true);
  });

  it('refuses a changed payload, a changed signature and another kid', () => {
    const keys = new SigningKeyService(configFor());
    const { signature } = keys.sign(payload);
    expect(keys.verify({ ...payload, validUntil: '2027-03-31' }, signature)).toBe(false);
    const flipped = signature[10] === 'A' ? 'B' : 'A';
    expect(keys.verify(payload, signature.slice(0, 10) + flipped + signature.slice(11))).toBe(false);
    expect(keys.verify(payload, signature, 'some-other-kid')).toBe(false);
  });

  it('answers false, never throws, for garbage', () => {
    const keys = new SigningKeyService(configFor());
    const { signature, kid } = keys.sign(payload);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const nonCanonical = signature.slice(0, 85) + String.fromCharCode(signature.charCodeAt(85) ^ 1);
    for (const [p, s, k] of [
      [payload, undefined, kid],
      [payload, null, kid],
      [payload, 42, kid],
      [payload, '', kid],
      [payload, 'not a signature', kid],
      [payload, `${signature}==`, kid],
      [payload, signature.slice(0, 85), kid],
      [payload, nonCanonical, kid],
      [payload, signature, 17],
      [circular, signature, kid],
      [{ n: BigInt(1) }, signature, kid],
    ] as Array<[unknown, unknown, unknown]>) {
      expect(keys.verify(p, s, k)).toBe(false);
    }
  });

  it('publishes a JWKS whose key verifies the signature with plain node:crypto', () => {
    const keys = new SigningKeyService(configFor());
    const { kid, signature } = keys.sign(payload);
    const { keys: published } = keys.jwks();
    expect(published).toHaveLength(1);
    expect(published[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid, use: 'sig', alg: 'EdDSA' });

    const publicKey = createPublicKey({ key: { ...published[0] }, format: 'jwk' });
    const data = Buffer.from(canonicalJson(payload));
    expect(verify(null, data, publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(verify(null, Buffer.from(canonicalJson({ ...payload, serial: 'UZ-BER-2026-000124' })), publicKey, Buffer.from(signature, 'base64url'))).toBe(false);
  });

  it('names keys by their RFC 7638 thumbprint (RFC 8037 appendix A key)', () => {
    const rfcKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      format: 'jwk',
    });
    const keyFile = join(dataDir, 'rfc8037.pem');
    writeFileSync(keyFile, rfcKey.export({ format: 'pem', type: 'pkcs8' }));
    const keys = new SigningKeyService(configFor({ SIGNING_KEY_FILE: keyFile }));
    expect(keys.kid).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('generates the development key once, 0600, and reuses it on the next start', () => {
    const first = new SigningKeyService(configFor());
    const second = new SigningKeyService(configFor());
    expect(second.kid).toBe(first.kid);
    expect(second.verify(payload, first.sign(payload).signature, first.kid)).toBe(true);
    const file = join(dataDir, 'secrets', 'signing', 'ed25519.pem');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps retired keys for verification and publishes them after the active one', () => {
    const retiredService = new SigningKeyService(configFor());
    const oldSignature = retiredService.sign(payload);
    const activeFile = join(dataDir, 'new.pem');
    writeFileSync(activeFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    // A retired key may be kept as its public half only.
    const retiredPublic = join(dataDir, 'retired.pub.pem');
    const retiredPrivate = createPrivateKey(readFileSync(join(dataDir, 'secrets', 'signing', 'ed25519.pem')));
    writeFileSync(retiredPublic, createPublicKey(retiredPrivate).export({ format: 'pem', type: 'spki' }));

    const keys = new SigningKeyService(configFor({ SIGNING_KEY_FILE: activeFile, SIGNING_RETIRED_KEY_FILES: retiredPublic }));
    expect(keys.kid).not.toBe(oldSignature.kid);
    expect(keys.jwks().keys.map((k) => k.kid)).toEqual([keys.kid, oldSignature.kid]);
    expect(keys.verify(payload, oldSignature.signature, oldSignature.kid)).toBe(true);
    expect(keys.verify(payload, oldSignature.signature)).toBe(true);
    expect(keys.sign(payload).kid).toBe(keys.kid);
  });

  it('stops with a clear error when the configured key is not an Ed25519 private key', () => {
    const rsaFile = join(dataDir, 'rsa.pem');
    writeFileSync(rsaFile, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    expect(() => new SigningKeyService(configFor({ SIGNING_KEY_FILE: rsaFile }))).toThrow(/SIGNING_KEY_FILE .* rsa key, not Ed25519/);
    expect(() => new SigningKeyService(configFor({ SIGNING_KEY_FILE: join(dataDir, 'missing.pem') }))).toThrow(/SIGNING_KEY_FILE names an unreadable file/);
  });
});
