import { describe, expect, it } from 'vitest';
import { parseRawJson, type RawString } from './raw-json';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
  );

describe('parseRawJson', () => {
  it('reads what JSON.parse reads', () => {
    const text =
      '{"a": [1, -2.5e3, true, false, null], "b": {"c": "x\\"y\\\\z\\n\\u00e9"}, "d": []}';
    const parsed = parseRawJson(Buffer.from(text)) as Record<string, unknown>;
    expect(parsed.a).toEqual([1, -2500, true, false, null]);
    const c = (parsed.b as Record<string, RawString>).c!;
    expect(c.text).toBe(JSON.parse(text).b.c);
    expect(parsed.d).toEqual([]);
  });

  it('keeps raw control characters and invalid UTF-8 that whisper-cli writes unescaped', () => {
    const input = bytes('{"text": " a', [0x0c, 0x01], ' b', [0xe2, 0x82], '"}');
    const text = (parseRawJson(input) as Record<string, RawString>).text!;
    expect(Array.from(text.bytes)).toEqual([0x20, 0x61, 0x0c, 0x01, 0x20, 0x62, 0xe2, 0x82]);
    expect(text.text).toBe(' a\f\u0001 b\ufffd');
  });

  it('reads nan and inf as iostreams print them, and rejects garbage', () => {
    expect(parseRawJson(Buffer.from('[nan, -nan, inf, -inf]'))).toEqual([
      NaN,
      NaN,
      Infinity,
      -Infinity,
    ]);
    expect(() => parseRawJson(Buffer.from('{"a": 1'))).toThrow(/Malformed/);
    expect(() => parseRawJson(Buffer.from('[1] x'))).toThrow(/trailing/);
    expect(() => parseRawJson(Buffer.from('[wat]'))).toThrow(/Malformed/);
  });
});
