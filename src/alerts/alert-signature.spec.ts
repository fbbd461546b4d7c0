import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json';
import type { SigningKeyService } from '../signing/signing-key.service';
import type { Alert } from './alert.entity';
import { alertSignatureValid, alertSignedContent, canonicalAlert } from './alert-signature';

describe('alert signature', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // The verifying half of SigningKeyService, over a key of this test.
  const signing = {
    verify: (payload: unknown, signature: string) =>
      verify(null, Buffer.from(canonicalJson(payload), 'utf8'), publicKey, Buffer.from(signature, 'base64url')),
  } as unknown as SigningKeyService;

  const approvedAt = new Date('2026-11-25T10:00:00.123Z');
  const draft = {
    id: '6f1c1b9e-8a1d-4f4e-9a51-0d6a9c3f2b10',
    missionCode: 'BER',
    kind: 'evacuation',
    severity: 'extreme',
    area: { circle: { lat: 52.52, lon: 13.405, radiusKm: 5 } },
    content: { ru: { title: 'Эвакуация', body: 'Покиньте район.' }, en: { title: 'Evacuate', body: 'Leave the area.' } },
    languages: ['ru', 'en'],
    expiresAt: null,
    supersedesId: null,
  } as unknown as Alert;

  function approved(): Alert {
    const canonical = canonicalAlert(alertSignedContent(draft, approvedAt, '+49 30 3940980'));
    const signature = sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64url');
    return { ...draft, approvedAt, emergencyPhone: '+49 30 3940980', canonical, signature, kid: 'test' } as Alert;
  }

  it('covers what a reader acts on, with keys sorted', () => {
    const content = alertSignedContent(draft, approvedAt, '+49 30 3940980');
    expect(Object.keys(JSON.parse(canonicalAlert(content)))).toEqual(
      ['approvedAt', 'area', 'content', 'emergencyPhone', 'expiresAt', 'id', 'kind', 'languages', 'missionCode', 'severity', 'supersedes'],
    );
    expect(content).toMatchObject({ approvedAt: '2026-11-25T10:00:00.123Z', expiresAt: null, supersedes: null, emergencyPhone: '+49 30 3940980' });
  });

  it('is valid as signed, and not once the text, the phone or the canonical bytes change', () => {
    expect(alertSignatureValid(signing, approved())).toBe(true);
    const changedText = approved();
    changedText.content = { ...changedText.content, en: { title: 'Stay home', body: 'Leave the area.' } };
    expect(alertSignatureValid(signing, changedText)).toBe(false);
    expect(alertSignatureValid(signing, { ...approved(), emergencyPhone: '+1 555 0100' } as Alert)).toBe(false);
    const forged = approved();
    forged.canonical = forged.canonical!.replace('Evacuate', 'Stay calm');
    expect(alertSignatureValid(signing, forged)).toBe(false);
    expect(alertSignatureValid(signing, { ...draft } as Alert)).toBe(false);
  });
});
