import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { cue, documentOf, sampleDocument } from './__fixtures__/sample-document';
import { csvField, exportCsv } from './csv';
import { exportJson } from './json';
import { exportSrt } from './srt';
import { formatTimecode } from './timecode';
import { exportTxt, type TxtStyle } from './txt';
import { exportVtt } from './vtt';

describe('formatTimecode', () => {
  it('writes hours, minutes, seconds and milliseconds', () => {
    expect(formatTimecode(0, ',')).toBe('00:00:00,000');
    expect(formatTimecode(3_723_456, ',')).toBe('01:02:03,456');
    expect(formatTimecode(3_723_456, '.')).toBe('01:02:03.456');
    expect(formatTimecode(3_723_999, null)).toBe('01:02:03');
    expect(formatTimecode(360_000_000, '.')).toBe('100:00:00.000');
  });
});

describe('exportSrt', () => {
  it('writes numbered cues with the document lines', () => {
    expect(exportSrt(sampleDocument())).toBe(
      '1\n' +
        '00:00:01,000 --> 00:00:03,500\n' +
        'Hello, and welcome\n' +
        'to the show.\n' +
        '\n' +
        '2\n' +
        '00:00:04,000 --> 00:00:05,200\n' +
        'Today: fish & chips, olé!\n' +
        '\n' +
        '3\n' +
        '00:00:06,000 --> 00:00:07,000\n' +
        'Thanks, Ana.\n' +
        '\n' +
        '4\n' +
        '01:02:03,456 --> 01:02:05,000\n' +
        'He said "no",\n' +
        'then left.\n',
    );
  });

  it('writes nothing for a document without captions', () => {
    expect(exportSrt(documentOf([], []))).toBe('');
  });
});

describe('exportVtt', () => {
  it('writes the header, cues and voice tags with display names', () => {
    expect(exportVtt(sampleDocument())).toBe(
      'WEBVTT\n' +
        '\n' +
        '00:00:01.000 --> 00:00:03.500\n' +
        '<v Ana García>Hello, and welcome\n' +
        'to the show.\n' +
        '\n' +
        '00:00:04.000 --> 00:00:05.200\n' +
        '<v Ana García>Today: fish &amp; chips, olé!\n' +
        '\n' +
        '00:00:06.000 --> 00:00:07.000\n' +
        '<v Bob>Thanks, Ana.\n' +
        '\n' +
        '01:02:03.456 --> 01:02:05.000\n' +
        'He said "no",\n' +
        'then left.\n',
    );
  });

  it('escapes &, < and > in text and speaker names', () => {
    const doc = documentOf(
      [cue('c1', 'b', 0, 1000, ['R&D <i>is</i> a<b', 'x>y --> z'])],
      [{ id: 'b', name: 'Bob <Producer> & Co' }],
    );
    expect(exportVtt(doc)).toBe(
      'WEBVTT\n' +
        '\n' +
        '00:00:00.000 --> 00:00:01.000\n' +
        '<v Bob &lt;Producer&gt; &amp; Co>R&amp;D &lt;i&gt;is&lt;/i&gt; a&lt;b\n' +
        'x&gt;y --&gt; z\n',
    );
  });

  it('falls back to the speaker id, and can leave voice tags out', () => {
    const doc = documentOf(
      [cue('c1', 'spk-1', 0, 1000, ['Hi.']), cue('c2', 'spk-2', 1000, 2000, ['Yo.'])],
      [{ id: 'spk-2', name: '  ' }],
    );
    expect(exportVtt(doc)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v spk-1>Hi.\n\n' +
        '00:00:01.000 --> 00:00:02.000\n<v spk-2>Yo.\n',
    );
    expect(exportVtt(doc, { voiceTags: false })).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHi.\n\n00:00:01.000 --> 00:00:02.000\nYo.\n',
    );
  });

  it('writes only the header for a document without captions', () => {
    expect(exportVtt(documentOf([], []))).toBe('WEBVTT\n');
  });
});

describe('exportTxt', () => {
  it('plain: paragraphs that break at speaker changes and long pauses', () => {
    expect(exportTxt(sampleDocument())).toBe(
      'Hello, and welcome to the show. Today: fish & chips, olé!\n' +
        '\n' +
        'Thanks, Ana.\n' +
        '\n' +
        'He said "no", then left.\n',
    );
    // With a shorter paragraph gap, Ana's two captions (500 ms apart) become two paragraphs.
    expect(exportTxt(sampleDocument(), { paragraphGapMs: 500 }).split('\n\n')).toHaveLength(4);
  });

  it('timestamps: one line per segment', () => {
    expect(exportTxt(sampleDocument(), { style: 'timestamps' })).toBe(
      '[00:00:01] Hello, and welcome to the show.\n' +
        '[00:00:04] Today: fish & chips, olé!\n' +
        '[00:00:06] Thanks, Ana.\n' +
        '[01:02:03] He said "no", then left.\n',
    );
  });

  it('speakers: one paragraph per speaker turn', () => {
    expect(exportTxt(sampleDocument(), { style: 'speakers' })).toBe(
      'Ana García: Hello, and welcome to the show. Today: fish & chips, olé!\n' +
        '\n' +
        'Bob: Thanks, Ana.\n' +
        '\n' +
        'Unknown: He said "no", then left.\n',
    );
    expect(exportTxt(sampleDocument(), { style: 'speakers', unknownSpeaker: '?' })).toMatch(
      /\n\n\?: He said "no", then left\.\n$/,
    );
  });

  it('rejects an unknown style', () => {
    const attempt = () => exportTxt(sampleDocument(), { style: 'fancy' as TxtStyle });
    expect(attempt).toThrow(EngineError);
    expect(attempt).toThrow(
      'Unknown text style "fancy". Valid styles: plain, timestamps, speakers.',
    );
  });
});

describe('exportCsv', () => {
  it('writes one row per word with RFC 4180 quoting and CRLF', () => {
    const rows = [
      'start_seconds,end_seconds,word,confidence,speaker,flags',
      '1.000,1.200,"Hello,",0.900,Ana García,',
      '1.200,1.400,and,0.900,Ana García,',
      '1.400,1.600,welcome,0.900,Ana García,',
      '1.600,1.800,to,0.900,Ana García,',
      '1.800,2.000,the,0.900,Ana García,',
      '2.000,2.200,show.,0.900,Ana García,',
      '4.000,4.200,Today:,0.900,Ana García,',
      '4.200,4.400,fish,0.900,Ana García,',
      '4.400,4.600,&,0.900,Ana García,',
      '4.600,4.800,"chips,",0.900,Ana García,',
      '4.800,5.000,olé!,0.900,Ana García,',
      '6.000,6.200,"Thanks,",0.900,Bob,',
      '6.200,6.400,Ana.,0.412,Bob,low-confidence',
      '3723.456,3723.656,He,0.900,,',
      '3723.656,3723.856,said,0.900,,',
      '3723.856,3724.056,"""no"",",0.900,,corrected;edited',
      '3724.056,3724.256,then,0.900,,',
      '3724.256,3724.456,left.,0.900,,',
    ];
    expect(exportCsv(sampleDocument())).toBe(rows.map((row) => `${row}\r\n`).join(''));
  });

  it('quotes commas, quotes, CR and LF, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField("it's; fine")).toBe("it's; fine");
  });

  it('quotes speaker names too', () => {
    const doc = documentOf([cue('c1', 's', 0, 1000, ['Hi'])], [{ id: 's', name: 'Smith, "Jr"' }]);
    expect(exportCsv(doc).split('\r\n')[1]).toBe('0.000,0.200,Hi,0.900,"Smith, ""Jr""",');
  });
});

describe('exportJson', () => {
  const tiny = () => {
    const doc = documentOf([cue('c1', 'ana', 0, 1000, ['Hi.'])], [{ id: 'ana', name: 'Ana' }]);
    return {
      ...doc,
      targetCounts: { zulu: 2, alpha: 1 },
      source: { ...doc.source, params: { temperature: 0, beamSize: 5 } },
    };
  };

  it('writes the document with $schema, pretty, in schema order, maps sorted', () => {
    expect(exportJson(tiny())).toBe(`{
  "$schema": "https://transcription-studio.local/schemas/document-v1.json",
  "version": 1,
  "language": "en",
  "durationMs": 2000,
  "speakers": [
    {
      "id": "ana",
      "name": "Ana"
    }
  ],
  "segments": [
    {
      "id": "c1",
      "start": 0,
      "end": 1000,
      "speaker": "ana",
      "lines": [
        {
          "start": 0,
          "end": 200,
          "words": [
            {
              "id": "c1-0-0",
              "text": "Hi.",
              "start": 0,
              "end": 200,
              "confidence": 0.9,
              "speaker": "ana",
              "flags": [],
              "structure": [
                "line-first",
                "line-last",
                "segment-first",
                "segment-last",
                "document-first",
                "document-last"
              ],
              "tags": []
            }
          ]
        }
      ]
    }
  ],
  "captions": {
    "preset": "broadcast",
    "rules": {
      "maxCharsPerLine": 42,
      "maxLines": 2,
      "maxCharsPerSecond": 17,
      "minDurationMs": 1000,
      "maxDurationMs": 7000,
      "minGapMs": 80
    }
  },
  "corrections": [],
  "targetCounts": {
    "alpha": 1,
    "zulu": 2
  },
  "notes": [],
  "source": {
    "modelId": "test",
    "modelSha256": null,
    "engineVersion": "0.0.0-test",
    "params": {
      "beamSize": 5,
      "temperature": 0
    },
    "createdAt": "2025-01-01T00:00:00.000Z"
  }
}
`);
  });

  it('gives the same text whatever the key order of the input', () => {
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reversed(v)]),
      );
    };
    const doc = sampleDocument();
    expect(exportJson(reversed(doc) as typeof doc)).toBe(exportJson(doc));
  });

  it('rejects a document that does not match the schema', () => {
    const doc = { ...sampleDocument(), version: 2 } as unknown as ReturnType<typeof sampleDocument>;
    expect(() => exportJson(doc)).toThrow(/does not match the transcript schema: version/);
  });
});
