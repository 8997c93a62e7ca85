import { describe, expect, it } from 'vitest';
import { readZip } from './__fixtures__/read-zip';
import { sampleDocument } from './__fixtures__/sample-document';
import { exportDocx, type DocxOptions } from './docx';

async function documentXml(options?: DocxOptions): Promise<string> {
  const docx = await exportDocx(sampleDocument(), options);
  expect(docx.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  const xml = readZip(docx).get('word/document.xml');
  expect(xml).toBeDefined();
  return xml?.toString('utf8') ?? '';
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The text of each paragraph (`w:p`), runs joined. */
function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p\b[\s\S]*?<\/w:p>/g)].map(([p]) =>
    [...p.matchAll(/<w:t\b[^>]*>([\s\S]*?)<\/w:t>/g)].map(([, t]) => unescapeXml(t ?? '')).join(''),
  );
}

/** The runs (`w:r`) of the document with their text and whether they are shaded. */
function runs(xml: string): { text: string; shaded: boolean; bold: boolean }[] {
  return [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map(([, r = '']) => ({
    text: unescapeXml(/<w:t\b[^>]*>([\s\S]*?)<\/w:t>/.exec(r)?.[1] ?? ''),
    shaded: /<w:shd\b[^>]*w:fill="FFF2CC"/.test(r),
    bold: /<w:b\/>|<w:b w:val="true"\/>/.test(r),
  }));
}

describe('exportDocx', () => {
  it('is a Word document with a title, timestamps, speakers and every word', async () => {
    const xml = await documentXml();
    expect(paragraphs(xml)).toEqual([
      'Transcript',
      'Words shaded like this were transcribed with low confidence.',
      '[00:00:01] Ana García: Hello, and welcome to the show.',
      '[00:00:04] Today: fish & chips, olé!',
      '[00:00:06] Bob: Thanks, Ana.',
      '[01:02:03] He said "no", then left.',
    ]);
  });

  it('shades the low-confidence words only, and names speakers in bold', async () => {
    const all = runs(await documentXml());
    expect(all.filter((r) => r.shaded).map((r) => r.text)).toEqual(['shaded like this', 'Ana.']);
    expect(all.filter((r) => r.bold).map((r) => r.text)).toEqual(['Ana García: ', 'Bob: ']);
  });

  it('leaves out timestamps, speakers and shading on request, and takes a title', async () => {
    const xml = await documentXml({
      title: 'Episode 7',
      timestamps: false,
      speakers: false,
      markLowConfidence: false,
    });
    expect(paragraphs(xml)).toEqual([
      'Episode 7',
      'Hello, and welcome to the show.',
      'Today: fish & chips, olé!',
      'Thanks, Ana.',
      'He said "no", then left.',
    ]);
    expect(runs(xml).some((r) => r.shaded)).toBe(false);
  });
});
