import fc from 'fast-check';
import type { Schema } from './openapi-walker';

/**
 * Generators of hostile and of well-shaped input. Hostile values are what a careless or malicious client sends;
 * shaped values follow the OpenAPI schema (with realistic values for fields named in `Hints`) so that requests get
 * past validation and reach the services, where a mutation then plants one hostile value.
 */

/** A fragment of JSON text spliced verbatim into a body: numbers JSON.stringify cannot write, deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text.length > 80 ? `RawJson(${this.text.slice(0, 40)}…${this.text.length} chars)` : `RawJson(${this.text})`;
  }
}

/** Realistic values by property or parameter name, gathered from the running portal. */
export type Hints = Record<string, readonly unknown[]>;

const char = (code: number) => String.fromCharCode(code);

/** One character a validator or PostgreSQL may trip over. */
const oddChar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\u200b', '\u202e'),
  fc.integer({ min: 0, max: 0x1f }).map(char),
  fc.integer({ min: 0x80, max: 0x9f }).map(char),
  // A lone surrogate: JSON.stringify writes it as an escape ("\ud800"), which JSON.parse turns back into one.
  fc.integer({ min: 0xd800, max: 0xdfff }).map(char),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.constantFrom("'", '"', '\\', '%', '_', '*', '<', '>', '&', ';', '$', '{', '}', '/', '..', '?', '#', '+', '='),
);

/** Mostly printable text with odd characters mixed in. */
export const oddText: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof({ arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 3 }, { arbitrary: oddChar, weight: 2 }),
  maxLength: 40,
});

const NUMBER_STRINGS = [
  '', ' ', '0', '-0', '+0', '-1', '0.5', '1e308', '-1e308', '1e309', '1e-400', 'NaN', 'Infinity', '-Infinity', '0x10', '1_000', ' 1', '1 ',
  '2147483647', '2147483648', '-2147483649', '9007199254740992', '9007199254740993', '9223372036854775807', '9223372036854775808',
  '-9223372036854775809', '18446744073709551616', '123456789012345678901234567890', 'true', 'null', 'undefined',
];

const DATE_STRINGS = [
  '0000-01-01', '0000-00-00', '0001-01-01', '-000001-01-01', '-271821-04-20', '1899-12-31', '1970-01-01', '1970-01-01T00:00:00Z',
  '2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-01-01T25:00:00Z', '2024-01-01T23:59:60Z',
  '9999-12-31', '9999-12-31T23:59:59.999Z', '10000-01-01', '+010000-01-01T00:00:00.000Z', '275760-09-13', '+275760-09-13T00:00:00.000Z',
  '275761-01-01', '294277-01-01', '5874898-01-01', '4714-11-24 BC', 'infinity', '-infinity', 'epoch', 'now', 'today', 'allballs',
  'Invalid Date', '2024-06-01T12:00:00+99:00', '20240601', '2024-W23', '1e308-01-01',
];

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const WORD_STRINGS = [
  ...PROTOTYPE_KEYS, 'null', 'undefined', '[object Object]', '{}', '[]', '{"__proto__":{"admin":true}}', "' OR '1'='1", "'; --", '%', '_', '\\',
  '$1', '../../etc/passwd', '..', '.', '/', '%00', '%2e%2e', '<script>alert(1)</script>', '{{constructor.constructor}}',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '{00000000-0000-0000-0000-000000000000}',
  '00000000000000000000000000000000', '00000000-0000-0000-0000-00000000000\u0000', 'BER', 'ber', 'XXX', 'BER\u0000', 'UZ-BER-2026-000001',
  'UZ-BER-9999-999999', 'UZ-BER-0000-000000', 'UZ-BER-2026-99999999999999999999',
];

/** Strings that are numbers, dates or words at the edge of what code expects. */
export const edgeString: fc.Arbitrary<string> = fc.constantFrom(...NUMBER_STRINGS, ...DATE_STRINGS, ...WORD_STRINGS);

/** A long string: one character repeated, or a short text repeated. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(fc.constant('a'), oddText.filter((s) => s.length > 0), fc.constant('\u0000'), fc.constant('\ud800')), fc.integer({ min: 256, max: 120_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: edgeString, weight: 4 },
  { arbitrary: oddText, weight: 4 },
  { arbitrary: longString, weight: 1 },
);

const EDGE_NUMBERS = [0, -0, 1, -1, 0.5, -0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 63, -(2 ** 63), 2 ** 64, 1e308, -1e308, Number.MIN_VALUE, Number.EPSILON, 1e21];

export const edgeNumber: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 3 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
);

/** Numbers only JSON text can carry: past double range (Infinity once parsed), past 2^64, odd spellings. */
const rawNumber = fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0', '1E+2', '0.0000000000000000000000001', '9223372036854775808').map((text) => new RawJson(text));

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` levels deep, written as text (building it as objects would overflow here). */
export const deepNesting: fc.Arbitrary<RawJson> = fc
  .tuple(fc.integer({ min: 50, max: 100_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    if (kind === 'array') return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    if (kind === 'object') return new RawJson(`${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`);
    return new RawJson(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);
  });

/** A flat array of up to 150,000 elements (about 300 kB to 1 MB of text). */
export const hugeArray: fc.Arbitrary<RawJson> = fc
  .tuple(fc.integer({ min: 1_000, max: 150_000 }), fc.constantFrom('0', '{}', '"a"', 'null', '[]'))
  .map(([length, element]) => new RawJson(`[${new Array<string>(length).fill(element).join(',')}]`));

/** An object whose own keys are the ones that reach prototypes when code copies carelessly. */
const prototypeObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.subarray(PROTOTYPE_KEYS, { minLength: 1 }), fc.constantFrom<unknown>({ admin: true, role: 'admin' }, { prototype: { polluted: true } }, null, 'x', 1))
  .map(([keys, value]) => Object.fromEntries(keys.map((key) => [key, value])));

/** Any value a hostile JSON body may hold at one spot. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: edgeNumber, weight: 3 },
  { arbitrary: rawNumber, weight: 1 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.constantFrom<unknown>({}, [], [null], [{}], ['']), weight: 2 },
  { arbitrary: prototypeObject, weight: 2 },
  { arbitrary: fc.array(hostileString, { maxLength: 5 }), weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: hugeArray, weight: 1 },
);

/** One part of a cursor's sort key at the edge of what a query can hold. */
const edgeKeyPart: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NUMBER_STRINGS, ...DATE_STRINGS),
  fc.constantFrom(...DATE_STRINGS).map((date) => (date.includes('T') ? date : `${date}T00:00:00.000Z`)),
  edgeNumber,
  oddText,
  fc.constant(null),
);

/** A list cursor as this API writes them (base64url of a JSON array of sort-key parts), holding edge values. */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(edgeKeyPart).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')), weight: 3 },
  { arbitrary: fc.tuple(edgeKeyPart, fc.uuid()).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')), weight: 3 },
  { arbitrary: fc.array(fc.oneof(edgeKeyPart, fc.uuid()), { maxLength: 3 }).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')), weight: 1 },
  { arbitrary: fc.constantFrom('1e400', '[1e400,"x"]', '{"a":1}', '"x"', '[[[[[[]]]]]]').map((text) => Buffer.from(text).toString('base64url')), weight: 1 },
  { arbitrary: hostileString, weight: 1 },
);

const isoDate = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));

/** A value following `schema`: what a correct client sends. `name` picks realistic values from `hints`. */
export function shapedValue(schema: Schema, hints: Hints, name?: string): fc.Arbitrary<unknown> {
  const hinted = name !== undefined ? hints[name] : undefined;
  const own = ownShape(schema, hints);
  if (hinted && hinted.length > 0) return fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 4 }, { arbitrary: own, weight: 1 });
  return own;
}

function ownShape(schema: Schema, hints: Hints): fc.Arbitrary<unknown> {
  const withExample = (arbitrary: fc.Arbitrary<unknown>) =>
    schema.example !== undefined ? fc.oneof({ arbitrary: fc.constant(schema.example), weight: 2 }, { arbitrary, weight: 1 }) : arbitrary;
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      return withExample(shapedString(schema));
    case 'integer':
      return withExample(fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) }));
    case 'number':
      return withExample(
        Number.isInteger(schema.example) || schema.example === undefined
          ? fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) })
          : fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return withExample(
        fc.array(shapedValue(schema.items ?? {}, hints), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, Math.max(3, schema.minItems ?? 0)) }),
      );
    case 'object':
      return withExample(shapedObject(schema, hints));
    default:
      return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean());
  }
}

function shapedString(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.format === 'date') return isoDate;
  if (schema.format === 'date-time') return isoDate.map((date) => `${date}T12:00:00.000Z`);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern));
    } catch {
      // a pattern JavaScript cannot read: plain text below
    }
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)) });
}

function shapedObject(schema: Schema, hints: Hints): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = (schema.required ?? []).filter((key) => key in properties);
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, shapedValue(value, hints, key)])),
    { requiredKeys: required },
  );
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && Object.keys(properties).length === 0) {
    return fc.dictionary(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), shapedValue(schema.additionalProperties, hints), { maxKeys: 4 });
  }
  return record;
}

type Mutation = 'replace' | 'delete' | 'null' | 'prototypeKey' | 'wrongType';

/**
 * One hostile change at one spot of a shaped value: the rest of the value stays valid, so the bad part is what
 * reaches (and may break) the code behind validation.
 */
export function mutated(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(value, fc.array(fc.tuple(fc.nat(), fc.constantFrom<Mutation>('replace', 'replace', 'delete', 'null', 'prototypeKey', 'wrongType'), hostileValue), { minLength: 1, maxLength: 3 }))
    .map(([original, mutations]) => mutations.reduce((current, [spot, kind, replacement]) => mutateAt(current, spot, kind, copied(replacement)), copied(original)));
}

/** A deep copy (own `__proto__` keys kept as data), so a mutation never edits a value fast-check hands out again. */
function copied(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof RawJson) return value;
  if (Array.isArray(value)) return value.map(copied);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copied(item)]));
}

function mutateAt(root: unknown, spot: number, kind: Mutation, replacement: unknown): unknown {
  const spots: { parent: Record<string, unknown> | unknown[] | null; key: string | number | null; value: unknown }[] = [];
  const visit = (parent: Record<string, unknown> | unknown[] | null, key: string | number | null, value: unknown, depth: number) => {
    spots.push({ parent, key, value });
    if (depth > 6 || value === null || typeof value !== 'object' || value instanceof RawJson) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(value, index, item, depth + 1));
    else for (const [childKey, child] of Object.entries(value)) visit(value as Record<string, unknown>, childKey, child, depth + 1);
  };
  visit(null, null, root, 0);
  const target = spots[spot % spots.length];
  const next = (() => {
    switch (kind) {
      case 'replace':
        return replacement;
      case 'null':
        return null;
      case 'wrongType':
        return wrongType(target.value);
      case 'prototypeKey':
        if (target.value !== null && typeof target.value === 'object' && !Array.isArray(target.value) && !(target.value instanceof RawJson)) {
          return { ...target.value, [PROTOTYPE_KEYS[spot % PROTOTYPE_KEYS.length]]: replacement };
        }
        return replacement;
      case 'delete':
        return undefined;
    }
  })();
  if (target.parent === null) return next === undefined ? {} : next;
  if (Array.isArray(target.parent)) {
    if (next === undefined) target.parent.splice(target.key as number, 1);
    else target.parent[target.key as number] = next;
  } else if (next === undefined) delete target.parent[target.key as string];
  else target.parent[target.key as string] = next;
  return root;
}

function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? 0 : [value];
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 1;
  if (Array.isArray(value)) return value.length > 0 ? value[0] : {};
  if (value !== null && typeof value === 'object') return [value];
  return 'null';
}

/** JSON text for a value that may hold RawJson fragments. */
export function jsonText(value: unknown): string {
  const fragments: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof RawJson) {
      fragments.push(item.text);
      return `\u0000raw${fragments.length - 1}\u0000`;
    }
    return item;
  });
  if (text === undefined) return 'null';
  return fragments.length === 0 ? text : text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => fragments[Number(index)]);
}

/** A body as it goes on the wire. */
export interface WireBody {
  contentType?: string;
  text?: string;
  bytes?: readonly number[];
}

/** Bodies no JSON serialiser would write: broken syntax, bytes that are not UTF-8, other media types. */
export const rawBody: fc.Arbitrary<WireBody> = fc.oneof(
  fc.constantFrom('', '{', '{"a":}', "{'a':1}", 'nul', '[1,]', '{"a":1,"a":2}', '\u0000', '{"a":"\u0000"}', '{"a":"\t\n"}', '\ufeff{}', '"\\ud800"', '{"\\u0000":1}', '{"a":"\\udc00\\ud800"}').map((text) => ({ contentType: 'application/json', text })),
  fc.constantFrom([0xff, 0xfe], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0x80, 0x22, 0x7d], [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], [0x22, 0xff, 0x22]).map((bytes) => ({ contentType: 'application/json', bytes })),
  fc.tuple(fc.constantFrom('application/json; charset=utf-16', 'application/json; charset=latin1', 'application/merge-patch+json', 'text/plain', 'application/xml', 'application/octet-stream'), fc.constantFrom('{}', '{"a":1}', 'x')).map(([contentType, text]) => ({ contentType, text })),
  fc.constantFrom('a=%00&__proto__[admin]=true&constructor[prototype][x]=1', 'reason=%ED%A0%80', 'email[]=x&email[]=y', '%', 'a'.repeat(70_000)).map((text) => ({ contentType: 'application/x-www-form-urlencoded', text })),
  fc.constant({ contentType: 'multipart/form-data; boundary=x', text: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF\r\n--x--\r\n' }),
  fc.oneof(deepNesting, hugeArray).map((raw) => ({ contentType: 'application/json', text: raw.text })),
);

/** Percent-encodes text for a URL, writing a lone surrogate as the bytes it would have in WTF-8 (%ED%A0%80). */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(text[i]);
    }
  }
  return out;
}

/** Percent-encodings that decode to nothing valid: a bare %, bad hex, overlong NUL, a lone surrogate, a stray byte. */
export const brokenEncoding: fc.Arbitrary<string> = fc.constantFrom('%', '%zz', '%C0%80', '%ED%A0%80', '%FF', '%E2%82', 'a%00b', '%252e', '%u0041');
