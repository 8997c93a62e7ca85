import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../../engine/documents/build-document';
import {
  jfk,
  options,
  seg,
  special,
  tok,
} from '../../../engine/documents/__fixtures__/whisper-result';
import type { FileTranscription } from '../../../engine/transcription/transcribe-file';
import { documentText, openaiReply, openaiSegment, verboseTranscription } from './responses';

const transcription: FileTranscription = {
  document: buildDocument(jfk, options),
  segments: jfk.segments,
  language: 'en',
  languageName: 'english',
  durationSec: 11,
  modelId: 'base.en',
};

describe('openaiSegment', () => {
  it('reports times in seconds within the media, text-token ids and their mean log-probability', () => {
    const segment = seg(10_500, 12_000, [special('[_BEG_]', 0), tok(' ask', 10_600, 10_900, 0.5)]);
    const shaped = openaiSegment({ ...segment, noSpeechProb: 0.25 }, 3, 11_000, 0.2);
    expect(shaped).toEqual({
      id: 3,
      seek: 1050,
      start: 10.5,
      end: 11,
      text: ' ask',
      tokens: [1000],
      temperature: 0.2,
      avg_logprob: Math.log(0.5),
      compression_ratio: expect.any(Number),
      no_speech_prob: 0.25,
    });
  });

  it('measures repetitive text as compressing better', () => {
    const plain = openaiSegment(
      seg(0, 1000, [tok(' ask not what your country', 0, 1000)]),
      0,
      11_000,
      0,
    );
    const loop = openaiSegment(
      seg(0, 1000, [tok(' the the the the the the the the the the', 0, 1000)]),
      0,
      11_000,
      0,
    );
    expect(loop.compression_ratio).toBeGreaterThan(plain.compression_ratio);
  });
});

describe('verboseTranscription', () => {
  const common = { task: 'transcribe', temperature: 0 } as const;

  it('gives segments by default and words only when asked', () => {
    const byDefault = verboseTranscription(transcription, { ...common, granularities: [] });
    expect(byDefault.segments).toHaveLength(jfk.segments.length);
    expect(byDefault).not.toHaveProperty('words');
    const both = verboseTranscription(transcription, {
      ...common,
      granularities: ['word', 'segment'],
    });
    expect(both.segments).toHaveLength(jfk.segments.length);
    expect(both.words!.map((w) => w.word).join(' ')).toBe(both.text);
    const words = verboseTranscription(transcription, { ...common, granularities: ['word'] });
    expect(words).not.toHaveProperty('segments');
    expect(words).toMatchObject({ task: 'transcribe', language: 'english', duration: 11 });
  });
});

describe('openaiReply', () => {
  const reply = (format: 'json' | 'text' | 'srt' | 'vtt' | 'verbose_json') =>
    openaiReply(transcription, { format, task: 'transcribe', granularities: [], temperature: 0 });

  it('answers each format with its content type and the exporters’ text', () => {
    expect(reply('json')).toEqual({
      contentType: 'application/json; charset=utf-8',
      body: { text: documentText(transcription.document) },
    });
    expect(documentText(transcription.document)).toMatch(/^And so my fellow/);
    expect(reply('text').contentType).toMatch(/^text\/plain/);
    expect(reply('srt')).toMatchObject({
      contentType: expect.stringMatching(/^application\/x-subrip/),
      body: expect.stringMatching(/^1\n00:00:00,\d{3} --> /),
    });
    expect(reply('vtt').body).toMatch(/^WEBVTT\n\n00:00:00\.\d{3} --> /);
    expect(reply('verbose_json').body).toHaveProperty('segments');
  });
});
