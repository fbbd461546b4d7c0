/**
 * Whether an Accept header prefers JSON to HTML, as Express's `req.accepts(['html', 'json'])` decided: the higher
 * quality wins, then the more specific range, then the range named first; without a header, HTML.
 */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = preference(accept, 'text', 'html');
  const json = preference(accept, 'application', 'json');
  if (json.quality !== html.quality) return json.quality > html.quality;
  if (json.quality === 0) return false;
  if (json.specificity !== html.specificity) return json.specificity > html.specificity;
  return json.position < html.position;
}

interface Preference {
  quality: number;
  specificity: number;
  position: number;
}

/** The most specific range of the header that matches the type, with its quality and position. */
function preference(accept: string, type: string, subtype: string): Preference {
  let best: Preference = { quality: 0, specificity: -1, position: Infinity };
  accept.split(',').forEach((part, position) => {
    const [range, ...parameters] = part.split(';');
    const [rangeType, rangeSubtype] = range.trim().toLowerCase().split('/');
    const specificity = rangeType === type && rangeSubtype === subtype ? 2 : rangeType === type && rangeSubtype === '*' ? 1 : rangeType === '*' && rangeSubtype === '*' ? 0 : -1;
    if (specificity < best.specificity || specificity < 0) return;
    const q = parameters.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((value) => value !== undefined);
    const quality = q === undefined ? 1 : Math.min(1, Number(q) || 0);
    if (specificity > best.specificity) best = { quality, specificity, position };
  });
  return best;
}
