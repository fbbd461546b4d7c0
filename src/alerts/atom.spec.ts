import { XMLParser } from 'fast-xml-parser';
import { ATOM_NAMESPACE, AtomEntry, renderAtom } from './atom';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => ['entry', 'link'].includes(name), parseTagValue: false });

const entry = (n: number, overrides: Partial<AtomEntry> = {}): AtomEntry => ({
  id: `5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d3${n}`,
  language: 'ru',
  title: `Оповещение ${n}`,
  summary: `Текст <${n}> & ещё`,
  published: new Date(`2026-11-2${n}T10:00:00.000Z`),
  updated: new Date(`2026-11-2${n}T10:00:00.000Z`),
  page: `https://consular.example/alerts/${n}`,
  cap: `https://consular.example/api/v1/public/alerts/${n}/cap`,
  ...overrides,
});

describe('renderAtom', () => {
  it('writes an Atom 1.0 feed whose entries carry a urn:uuid id, title, times, the page and CAP links and a summary', () => {
    const xml = renderAtom({
      self: 'https://consular.example/api/v1/public/missions/BER/alerts.atom',
      title: 'Embassy in Berlin: alerts',
      author: 'Embassy in Berlin',
      now: new Date('2026-12-01T00:00:00Z'),
      entries: [entry(4, { updated: new Date('2026-11-25T12:00:00.000Z') }), entry(3)],
    });
    const { feed } = parser.parse(xml);
    expect(feed['@_xmlns']).toBe(ATOM_NAMESPACE);
    expect(feed.id).toBe('https://consular.example/api/v1/public/missions/BER/alerts.atom');
    // The feed changed when its latest entry did.
    expect(feed.updated).toBe('2026-11-25T12:00:00.000Z');
    expect(feed.link[0]).toEqual({ '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': 'https://consular.example/api/v1/public/missions/BER/alerts.atom' });
    expect(feed.author.name).toBe('Embassy in Berlin');
    expect(feed.entry).toHaveLength(2);
    expect(feed.entry[0]).toMatchObject({
      '@_xml:lang': 'ru',
      id: 'urn:uuid:5b0c7d2e-8f3a-4c1b-9e6d-2a4f8b7c1d34',
      title: 'Оповещение 4',
      updated: '2026-11-25T12:00:00.000Z',
      published: '2026-11-24T10:00:00.000Z',
      summary: 'Текст <4> & ещё',
    });
    expect(feed.entry[0].link).toEqual([
      { '@_rel': 'alternate', '@_type': 'text/html', '@_href': 'https://consular.example/alerts/4' },
      { '@_rel': 'alternate', '@_type': 'application/cap+xml', '@_href': 'https://consular.example/api/v1/public/alerts/4/cap' },
    ]);
    expect(xml).toContain('Текст &lt;4&gt; &amp; ещё');
  });

  it('still has an updated time without entries', () => {
    const { feed } = parser.parse(renderAtom({ self: 'https://x.example/feed', title: 't', author: 'a', now: new Date('2026-12-01T00:00:00Z'), entries: [] }));
    expect(feed.updated).toBe('2026-12-01T00:00:00.000Z');
    expect(feed.entry).toBeUndefined();
  });
});
