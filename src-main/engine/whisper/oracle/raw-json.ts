/**
 * A JSON reader for whisper-cli's `-oj`/`-ojf` files, which are not always valid JSON:
 * whisper-cli escapes only `"` and `\` in strings, so a segment whose tokens decode to
 * control characters (a random model emits any token) or to a partial UTF-8 sequence
 * (byte-level BPE splits multi-byte characters) breaks `JSON.parse`.
 *
 * This reader works on the bytes: strings may hold raw control characters and any bytes,
 * and each string comes back both as its exact bytes and as text decoded the way V8 decodes
 * a C string from the addon (UTF-8, invalid sequences become U+FFFD).
 */

export type RawJson = RawString | number | boolean | null | RawJson[] | { [key: string]: RawJson };

/** A JSON string with its exact bytes. */
export class RawString {
  constructor(
    readonly bytes: Uint8Array,
    readonly text: string,
  ) {}
}

const decoder = new TextDecoder('utf-8', { fatal: false });

const simpleEscapes: Record<number, number> = {
  0x22: 0x22, // "
  0x5c: 0x5c, // \
  0x2f: 0x2f, // /
  0x62: 0x08, // b
  0x66: 0x0c, // f
  0x6e: 0x0a, // n
  0x72: 0x0d, // r
  0x74: 0x09, // t
};

export function parseRawJson(input: Uint8Array): RawJson {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`Malformed whisper-cli JSON at byte ${i}: ${what}.`);
  };
  const skip = () => {
    while (i < input.length) {
      const c = input[i]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const expect = (c: number) => {
    if (input[i] !== c) fail(`expected '${String.fromCharCode(c)}'`);
    i++;
  };

  const string = (): RawString => {
    expect(0x22);
    const bytes: number[] = [];
    for (;;) {
      if (i >= input.length) fail('unterminated string');
      const c = input[i++]!;
      if (c === 0x22) break;
      if (c !== 0x5c) {
        bytes.push(c);
        continue;
      }
      const e = input[i++];
      if (e === undefined) fail('unterminated escape');
      const simple = simpleEscapes[e!];
      if (simple !== undefined) {
        bytes.push(simple);
      } else if (e === 0x75) {
        const hex = String.fromCharCode(...input.subarray(i, i + 4));
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        i += 4;
        bytes.push(...new TextEncoder().encode(String.fromCharCode(Number.parseInt(hex, 16))));
      } else {
        // whisper-cli never writes other escapes; keep the bytes as they are.
        bytes.push(0x5c, e!);
      }
    }
    const raw = Uint8Array.from(bytes);
    return new RawString(raw, decoder.decode(raw));
  };

  const value = (): RawJson => {
    skip();
    const c = input[i];
    if (c === 0x7b) {
      i++;
      const object: { [key: string]: RawJson } = {};
      skip();
      if (input[i] === 0x7d) {
        i++;
        return object;
      }
      for (;;) {
        skip();
        const key = string().text;
        skip();
        expect(0x3a);
        object[key] = value();
        skip();
        if (input[i] === 0x2c) {
          i++;
          continue;
        }
        expect(0x7d);
        return object;
      }
    }
    if (c === 0x5b) {
      i++;
      const array: RawJson[] = [];
      skip();
      if (input[i] === 0x5d) {
        i++;
        return array;
      }
      for (;;) {
        array.push(value());
        skip();
        if (input[i] === 0x2c) {
          i++;
          continue;
        }
        expect(0x5d);
        return array;
      }
    }
    if (c === 0x22) return string();
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (decoder.decode(input.subarray(i, i + word.length)) === word) {
        i += word.length;
        return result;
      }
    }
    const start = i;
    while (i < input.length && /[-+0-9.a-zA-Z]/.test(String.fromCharCode(input[i]!))) i++;
    const word = decoder.decode(input.subarray(start, i));
    // whisper-cli prints floats with iostreams: non-finite ones come out as nan/inf.
    const special: Record<string, number> = {
      nan: Number.NaN,
      '-nan': Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      '-inf': Number.NEGATIVE_INFINITY,
    };
    const number = special[word.toLowerCase()] ?? Number(word);
    if (word === '' || (Number.isNaN(number) && !(word.toLowerCase() in special))) {
      fail('unexpected character');
    }
    return number;
  };

  const result = value();
  skip();
  if (i !== input.length) fail('trailing data');
  return result;
}
