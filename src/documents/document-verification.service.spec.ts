import { HIDDEN_HOLDER, shownHolder, DocumentVerification } from './document-verification.service';

describe('shownHolder', () => {
  const verification = { holderName: 'Дилшод Каримов' } as DocumentVerification;

  it('gives the full name only with the QR code’s signature', () => {
    expect(shownHolder({ ...verification, signature: 'valid' })).toBe('Дилшод Каримов');
  });

  it('gives the same mask for every name without it, so nothing of the name shows', () => {
    expect(shownHolder({ ...verification, signature: 'absent' })).toBe(HIDDEN_HOLDER);
    expect(shownHolder({ ...verification, signature: 'invalid' })).toBe(HIDDEN_HOLDER);
    expect(shownHolder({ ...verification, holderName: 'Ann', signature: 'absent' })).toBe(HIDDEN_HOLDER);
  });
});
