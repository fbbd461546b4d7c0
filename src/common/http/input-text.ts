import { DomainException } from './domain.exception';

/**
 * C0 control characters but tab, line feed and carriage return, which free text (a reason, an alert) may hold;
 * and lone surrogates (in Unicode mode, \p{Cs} matches only a surrogate that is not half of a pair).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BAD_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|\p{Cs}/u;
/** Paths and query strings hold no control character at all. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BAD_IN_URL = /[\u0000-\u001f\u007f]|\p{Cs}/u;

export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_ARRAY_LENGTH = 1000;

/** Text PostgreSQL can store and validators can read: no NUL or other control character, no lone surrogate. */
export function isCleanText(text: string): boolean {
  return !BAD_IN_TEXT.test(text);
}

export function badInput(code: string, detail: string): DomainException {
  return new DomainException(code, 400, detail);
}

export function invalidPath(): DomainException {
  return badInput('invalid_path', 'The path has invalid percent-encoding or control characters');
}

/**
 * Refuses a request target whose path or query string does not decode to clean text: invalid percent-encoding
 * or UTF-8, control characters. Cheap for the usual URL, which has no '%' at all.
 */
export function assertCleanUrl(url: string): void {
  if (!url.includes('%') && !BAD_IN_URL.test(url)) return;
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  if (!decodesClean(path, BAD_IN_URL)) throw invalidPath();
  if (mark === -1) return;
  for (const pair of url.slice(mark + 1).split('&')) {
    if (!decodesClean(pair.replace(/\+/g, ' '), BAD_IN_URL)) {
      throw badInput('invalid_query', 'The query string has invalid percent-encoding or control characters');
    }
  }
}

/** Form fields (application/x-www-form-urlencoded) decode as a query string does, with free-text line breaks allowed. */
export function assertCleanForm(body: string): void {
  for (const pair of body.split('&')) {
    if (!decodesClean(pair.replace(/\+/g, ' '), BAD_IN_TEXT)) {
      throw badInput('malformed_body', 'The form has invalid percent-encoding or control characters');
    }
  }
}

function decodesClean(encoded: string, forbidden: RegExp): boolean {
  let decoded: string;
  try {
    // decodeURIComponent refuses malformed escapes and invalid UTF-8.
    decoded = decodeURIComponent(encoded);
  } catch {
    return false;
  }
  return !forbidden.test(decoded);
}

/**
 * One pass over JSON text before JSON.parse, stopping at the first thing the portal refuses: a control character
 * (as a `\u` escape, `\b` or `\f`) or a lone surrogate escape in a string or key, nesting deeper than
 * MAX_JSON_DEPTH, an array longer than MAX_JSON_ARRAY_LENGTH. Syntax errors are left to JSON.parse.
 */
export function assertAcceptableJson(text: string): void {
  const arrayItems = new Int32Array(MAX_JSON_DEPTH + 1);
  const isArray = new Uint8Array(MAX_JSON_DEPTH + 1);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x22) inString = false;
      else if (c === 0x5c) i = checkEscape(text, i);
      continue;
    }
    switch (c) {
      case 0x22:
        inString = true;
        break;
      case 0x5b: // [
      case 0x7b: // {
        if (++depth > MAX_JSON_DEPTH) throw badInput('too_deep', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
        isArray[depth] = c === 0x5b ? 1 : 0;
        arrayItems[depth] = 1;
        break;
      case 0x5d: // ]
      case 0x7d: // }
        if (depth > 0) depth--;
        break;
      case 0x2c: // ,
        if (depth > 0 && isArray[depth] === 1 && ++arrayItems[depth] > MAX_JSON_ARRAY_LENGTH) {
          throw badInput('too_many_items', `An array in the request body has more than ${MAX_JSON_ARRAY_LENGTH} items`);
        }
        break;
    }
  }
}

/** Checks the escape at `i` (a backslash) and returns the index of its last character. */
function checkEscape(text: string, i: number): number {
  const kind = text.charCodeAt(i + 1);
  if (kind === 0x62 || kind === 0x66) throw invalidText(); // \b, \f
  if (kind !== 0x75) return i + 1; // not \u: one character
  const code = hex4(text, i + 2);
  if (code < 0) return i + 1;
  if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) throw invalidText();
  if (code >= 0xdc00 && code <= 0xdfff) throw invalidText(); // a low surrogate with no high one before it
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(i + 6) === 0x5c && text.charCodeAt(i + 7) === 0x75 ? hex4(text, i + 8) : -1;
    if (low < 0xdc00 || low > 0xdfff) throw invalidText();
    return i + 11;
  }
  return i + 5;
}

/** The value of four hex digits at `start`, or -1 (JSON.parse then reports the syntax error). */
function hex4(text: string, start: number): number {
  const digits = text.slice(start, start + 4);
  return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : -1;
}

function invalidText(): DomainException {
  return badInput('invalid_text', 'The request body holds control characters or invalid Unicode');
}
