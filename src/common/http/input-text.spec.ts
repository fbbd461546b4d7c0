import { assertAcceptableJson, assertCleanForm, assertCleanUrl, isCleanText, MAX_JSON_ARRAY_LENGTH, MAX_JSON_DEPTH } from './input-text';

const refusal = (check: () => void): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('assertAcceptableJson', () => {
  it('lets ordinary JSON through, brackets and escapes inside strings included', () => {
    for (const text of [
      '{"a":"[[[[{{{{","b":"\\\\","c":"\\"]","d":[1,2,3],"e":"\\t\\n\\r\\u00e9\\ud83d\\ude00"}',
      JSON.stringify({ list: new Array(MAX_JSON_ARRAY_LENGTH).fill('x,y') }),
      '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH),
    ]) {
      expect(refusal(() => assertAcceptableJson(text))).toBeUndefined();
    }
  });

  it.each([
    ['a NUL escape', '{"a":"x\\u0000"}', 'invalid_text'],
    ['an escape control character in a key', '{"\\u001b":1}', 'invalid_text'],
    ['a backspace escape', '{"a":"\\b"}', 'invalid_text'],
    ['a lone high surrogate', '{"a":"\\ud800"}', 'invalid_text'],
    ['a high surrogate before a non-surrogate', '{"a":"\\uD800\\u0041"}', 'invalid_text'],
    ['a lone low surrogate', '{"a":"\\udc00"}', 'invalid_text'],
    ['nesting one level too deep', '['.repeat(MAX_JSON_DEPTH + 1), 'too_deep'],
    ['an array one item too long', `[${new Array(MAX_JSON_ARRAY_LENGTH + 1).fill(0).join(',')}]`, 'too_many_items'],
  ])('refuses %s', (_name, text, code) => {
    expect(refusal(() => assertAcceptableJson(text))).toBe(code);
  });

  it('counts the items of each array, not the commas of an object or a string inside it', () => {
    const wide = JSON.stringify({ a: new Array(MAX_JSON_ARRAY_LENGTH).fill({ x: 1, y: 'p,q' }), ...Object.fromEntries(new Array(2000).fill(0).map((_, i) => [`k${i}`, i])) });
    expect(refusal(() => assertAcceptableJson(wide))).toBeUndefined();
  });
});

describe('text, URLs and forms', () => {
  it('allows tab and line breaks in text, not other control characters or lone surrogates', () => {
    expect(isCleanText('line one\nline\ttwo\r\n😀')).toBe(true);
    for (const text of ['a\u0000', 'a\u0008', 'x\ud800', '\udc00y']) expect(isCleanText(text)).toBe(false);
  });

  it('refuses paths and query strings that do not decode to clean text', () => {
    expect(refusal(() => assertCleanUrl('/api/v1/missions?country=DE&q=caf%C3%A9+bar'))).toBeUndefined();
    expect(refusal(() => assertCleanUrl('/api/v1/missions/B%00R'))).toBe('invalid_path');
    expect(refusal(() => assertCleanUrl('/api/v1/missions/%E0%A4%A'))).toBe('invalid_path');
    expect(refusal(() => assertCleanUrl('/api/v1/missions?country=%0A'))).toBe('invalid_query');
    expect(refusal(() => assertCleanUrl('/api/v1/missions?country=%ED%A0%80'))).toBe('invalid_query');
  });

  it('reads form fields like a query string, with line breaks allowed', () => {
    expect(refusal(() => assertCleanForm('reason=one%0Atwo&x=%C3%A9'))).toBeUndefined();
    expect(refusal(() => assertCleanForm('reason=a%00b'))).toBe('malformed_body');
  });
});
