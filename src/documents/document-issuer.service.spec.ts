import { formatSerial, qrClaim, SERIAL_PATTERN } from './document-issuer.service';

describe('document serials', () => {
  it('are <STATE>-<MISSION>-<YEAR>-<6 digits>, zero-padded', () => {
    expect(formatSerial('UZ', 'BER', 2026, 123)).toBe('UZ-BER-2026-000123');
    expect(formatSerial('UZ', 'NYC', 2027, 999_999)).toBe('UZ-NYC-2027-999999');
    expect(SERIAL_PATTERN.test(formatSerial('UZ', 'BER', 2026, 1))).toBe(true);
  });

  it('refuse numbers a mission-year cannot hold', () => {
    expect(() => formatSerial('UZ', 'BER', 2026, 0)).toThrow(RangeError);
    expect(() => formatSerial('UZ', 'BER', 2026, 1_000_000)).toThrow(RangeError);
    expect(() => formatSerial('UZ', 'BER', 2026, 1.5)).toThrow(RangeError);
  });

  it('match only the serial format', () => {
    for (const wrong of ['uz-ber-2026-000123', 'UZ-BER-2026-123', 'UZ-BER-26-000123', 'UZ-BER-2026-000123 ', 'UZB-BER-2026-000123', '../etc']) {
      expect(SERIAL_PATTERN.test(wrong)).toBe(false);
    }
  });
});

describe('the QR claim', () => {
  it('is the signed payload without the PDF hash, and nothing else', () => {
    const payload = { serial: 'UZ-BER-2026-000123', type: 't', holderHash: 'h', issuedAt: 'i', validUntil: 'v', pdfSha256: 'p', extra: 'x' };
    expect(qrClaim(payload)).toEqual({ serial: 'UZ-BER-2026-000123', type: 't', holderHash: 'h', issuedAt: 'i', validUntil: 'v' });
  });
});
