import { XMLBuilder } from 'fast-xml-parser';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const ATOM_CONTENT_TYPE = 'application/atom+xml';

export interface AtomEntry {
  id: string;
  /** The language the title and summary are in (the alert's first). */
  language: string;
  title: string;
  summary: string;
  published: Date;
  /** The last time the alert changed publicly (approval, or its withdrawal). */
  updated: Date;
  /** The alert's public page. */
  page: string;
  /** The alert as CAP. */
  cap: string;
}

export interface AtomFeed {
  /** The feed's own address: its permanent id and its rel="self" link. */
  self: string;
  title: string;
  author: string;
  /** When the feed has no entry yet, the time it answers for. */
  now: Date;
  entries: AtomEntry[];
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ' });

/** An Atom 1.0 feed (RFC 4287) of a mission's alerts, newest first, built with the same XMLBuilder as CAP. */
export function renderAtom(feed: AtomFeed): string {
  const updated = feed.entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), new Date(0));
  const document = {
    '@_xmlns': ATOM_NAMESPACE,
    id: feed.self,
    title: feed.title,
    updated: (feed.entries.length > 0 ? updated : feed.now).toISOString(),
    link: { '@_rel': 'self', '@_type': ATOM_CONTENT_TYPE, '@_href': feed.self },
    author: { name: feed.author },
    entry: feed.entries.map((entry) => ({
      '@_xml:lang': entry.language,
      id: `urn:uuid:${entry.id}`,
      title: entry.title,
      updated: entry.updated.toISOString(),
      published: entry.published.toISOString(),
      link: [
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': entry.page },
        { '@_rel': 'alternate', '@_type': 'application/cap+xml', '@_href': entry.cap },
      ],
      summary: entry.summary,
    })),
  };
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, feed: document }) as string;
}
