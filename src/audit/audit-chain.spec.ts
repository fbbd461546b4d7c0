import { canonicalJson } from '../common/canonical-json';
import { chainHash, GENESIS_HASH } from './audit-chain';

describe('audit chain', () => {
  const content = {
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    actorId: null,
    actorRole: 'system',
    action: 'mission.created',
    entityType: 'mission',
    entityId: 'BER',
    missionCode: 'BER',
    ip: null,
    requestId: null,
    details: { b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } },
  };

  it('renders objects with sorted keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same hash for the same content whatever the key order', () => {
    const reordered = { ...content, details: { a: { c: 'x', d: [2, { y: 2, z: 1 }] }, b: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, content));
  });

  it('changes when the content or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, content);
    expect(chainHash(GENESIS_HASH, { ...content, action: 'mission.changed' })).not.toBe(base);
    expect(chainHash('f'.repeat(64), content)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
