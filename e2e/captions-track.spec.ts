import { expect, test } from '@playwright/test';
import type { TranscriptDocument } from '../src-main/contract/document';
import { sampleDocument } from '../src-main/engine/exports/__fixtures__/sample-document';
import { exportDocument } from '../src-main/engine/exports/index';

// A real consumer of our WebVTT: Chromium's own parser, through a <track> element.
test('Chromium loads an exported WebVTT file through <track> with every cue, time and voice', async ({
  page,
}) => {
  const doc: TranscriptDocument = sampleDocument();
  const vtt = String(await exportDocument(doc, 'vtt'));
  await page.route('http://studio.test/**', (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/captions.vtt') {
      return route.fulfill({ contentType: 'text/vtt; charset=utf-8', body: vtt });
    }
    return route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><video id="v" muted><track id="t" kind="subtitles" srclang="en" src="/captions.vtt" default></video>',
    });
  });
  await page.goto('http://studio.test/');
  const cues = await page.evaluate(async () => {
    const track = document.getElementById('t') as HTMLTrackElement;
    if (track.readyState !== 2) {
      await new Promise((resolve, reject) => {
        track.addEventListener('load', resolve, { once: true });
        track.addEventListener('error', () => reject(new Error('the track failed to load')), {
          once: true,
        });
      });
    }
    return [...(track.track.cues ?? [])].map((cue) => {
      const vttCue = cue as VTTCue;
      return { start: vttCue.startTime, end: vttCue.endTime, text: vttCue.text };
    });
  });

  expect(cues).toHaveLength(doc.segments.length);
  doc.segments.forEach((segment, i) => {
    expect(cues[i]!.start).toBeCloseTo(segment.start / 1000, 3);
    expect(cues[i]!.end).toBeCloseTo(segment.end / 1000, 3);
    const words = segment.lines.map((line) => line.words.map((w) => w.text).join(' '));
    const text = cues[i]!.text.replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    expect(text.split('\n')).toEqual(words);
    if (segment.speaker) expect(cues[i]!.text).toMatch(/^<v [^>]+>/);
  });
});
