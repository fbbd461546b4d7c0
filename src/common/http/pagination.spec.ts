import { AppConfig } from '../../config/app-config';
import { DomainException } from './domain.exception';
import { keyset, Paginator } from './pagination';

interface Row {
  at: Date;
  id: string;
  seq: string;
  name: string;
}

const LIST = keyset<Row>('things', 'ASC', [
  { property: 't.at', type: 'timestamp', of: (r) => r.at },
  { property: 't.seq', type: 'bigint', of: (r) => r.seq },
  { property: 't.name', type: 'text', of: (r) => r.name },
  { property: 't.id', type: 'uuid', of: (r) => r.id },
]);
const ROW: Row = { at: new Date('2026-03-04T05:06:07.089Z'), seq: '9007199254740993', name: 'Ünal', id: '0b4e7c2a-1d3f-4e5a-9b6c-7d8e9f0a1b2c' };

const paginator = (key = 1) => new Paginator({ dataEncryptionKey: Buffer.alloc(32, key) } as AppConfig);

/** A cursor with this payload and a valid MAC, as someone holding the key could make: the type checks still hold. */
function signed(payload: unknown): string {
  const p = paginator();
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const mac = (p as unknown as { mac(payload: string): Buffer }).mac(body).toString('base64url');
  return `${body}.${mac}`;
}

function expectInvalid(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).code).toBe('invalid_cursor');
    expect((error as DomainException).status).toBe(400);
    return;
  }
  throw new Error('the cursor was accepted');
}

describe('list cursors', () => {
  it('round-trip the sort key with its types', () => {
    const p = paginator();
    expect(p.decode(LIST, p.encode(LIST, ROW))).toEqual([ROW.at, ROW.seq, ROW.name, ROW.id]);
    expect(p.decode(LIST, undefined)).toBeNull();
  });

  it('refuse a cursor edited by hand, signed with another key, or given out by another list', () => {
    const p = paginator();
    const cursor = p.encode(LIST, ROW);
    const [payload, mac] = cursor.split('.');
    const edited = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('Ünal', 'Zzzz')).toString('base64url');
    expectInvalid(() => p.decode(LIST, `${edited}.${mac}`));
    expectInvalid(() => p.decode(LIST, payload));
    expectInvalid(() => p.decode(LIST, `${cursor}.x`));
    expectInvalid(() => paginator(2).decode(LIST, cursor));
    expectInvalid(() => p.decode(keyset<Row>('other', 'ASC', [...LIST.columns]), cursor));
    expectInvalid(() => p.decode(LIST, 'not a cursor'));
  });

  it('check every part against its type even with a valid signature', () => {
    const good = [ROW.at.toISOString(), ROW.seq, ROW.name, ROW.id];
    const withPart = (i: number, value: unknown) => signed({ l: 'things', k: good.map((g, j) => (j === i ? value : g)) });
    expect(paginator().decode(LIST, signed({ l: 'things', k: good }))).toHaveLength(4);
    for (const bad of ['2026-02-30T00:00:00.000Z', '99999-01-01T00:00:00.000Z', '2026-03-04', 'yesterday', 1_700_000_000_000]) {
      expectInvalid(() => paginator().decode(LIST, withPart(0, bad)));
    }
    for (const bad of ['9223372036854775808', '-9223372036854775809', '1e3', '12a']) expectInvalid(() => paginator().decode(LIST, withPart(1, bad)));
    expectInvalid(() => paginator().decode(LIST, withPart(2, 'x'.repeat(321))));
    expectInvalid(() => paginator().decode(LIST, withPart(3, "0' OR '1'='1")));
    expectInvalid(() => paginator().decode(LIST, signed({ l: 'things', k: good.slice(0, 3) })));
    expectInvalid(() => paginator().decode(LIST, signed(['things', good])));
  });
});
