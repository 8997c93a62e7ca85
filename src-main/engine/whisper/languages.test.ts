import { describe, expect, it } from 'vitest';
import { nativeLanguages } from './addon';
import { whisperLanguages } from './languages';

describe("the static table of whisper.cpp's languages", () => {
  it("equals the addon's own list (ids, codes and names, in order)", () => {
    const native = nativeLanguages();
    expect(native.length).toBeGreaterThan(90);
    expect(whisperLanguages()).toEqual(native);
  });
});
