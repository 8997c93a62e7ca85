import { open } from 'node:fs/promises';
import {
  GGML_FILE_MAGIC,
  readHparams,
  WHISPER_HPARAMS_BYTES,
  type WhisperHparams,
} from '../whisper/test-model/ggml-format';

/** What a whisper.cpp model file says about itself in its header. */
export interface WhisperFileFacts {
  /** false for the English-only models (n_vocab 51864), true for the multilingual ones. */
  multilingual: boolean;
  /**
   * The size class, from the encoder width and layer counts: tiny, base, small, medium, large,
   * large-v3 or large-v3-turbo (large-v1 and v2 cannot be told apart); null when the shape is
   * none of Whisper's.
   */
  family: string | null;
  /** e.g. "q5_1"; null for f32 and f16 weights. */
  quantization: string | null;
}

/** n_vocab of the English-only models; the multilingual ones have 51865 (51866 from large-v3). */
const englishOnlyVocab = 51864;

/** Encoder width (n_audio_state) and depth (n_audio_layer) of each size class. */
const sizeClasses: readonly { family: string; state: number; layers: number }[] = [
  { family: 'tiny', state: 384, layers: 4 },
  { family: 'base', state: 512, layers: 6 },
  { family: 'small', state: 768, layers: 12 },
  { family: 'medium', state: 1024, layers: 24 },
  { family: 'large', state: 1280, layers: 32 },
];

/** ggml_ftype values (less the quantization version, a multiple of 1000) of quantized files. */
const quantizations: Readonly<Record<number, string>> = {
  2: 'q4_0',
  3: 'q4_1',
  4: 'q4_1',
  7: 'q8_0',
  8: 'q5_0',
  9: 'q5_1',
  10: 'q2_k',
  11: 'q3_k',
  12: 'q4_k',
  13: 'q5_k',
  14: 'q6_k',
};

/** Language coverage, size class and quantization from a whisper.cpp header. */
export function whisperFileFacts(hparams: WhisperHparams): WhisperFileFacts {
  const size = sizeClasses.find(
    (c) => c.state === hparams.nAudioState && c.layers === hparams.nAudioLayer,
  );
  let family = size?.family ?? null;
  if (family === 'large' && hparams.nMels === 128) {
    family = hparams.nTextLayer === 4 ? 'large-v3-turbo' : 'large-v3';
  }
  return {
    multilingual: hparams.nVocab > englishOnlyVocab,
    family,
    quantization: quantizations[hparams.ftype % 1000] ?? null,
  };
}

/**
 * Reads only the first bytes of a model file: whether it starts with the ggml magic, and for a
 * whisper.cpp file what its header says (undefined when the header is not Whisper's).
 */
export async function readModelHeader(
  path: string,
): Promise<{ ggml: boolean; whisper: WhisperFileFacts | undefined }> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(WHISPER_HPARAMS_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const ggml = bytesRead >= 4 && head.readUInt32LE(0) === GGML_FILE_MAGIC;
    const hparams = readHparams(head.subarray(0, bytesRead));
    const plausible =
      hparams !== undefined && hparams.nVocab >= englishOnlyVocab && hparams.nAudioState > 0;
    return { ggml, whisper: plausible ? whisperFileFacts(hparams) : undefined };
  } finally {
    await file.close();
  }
}
