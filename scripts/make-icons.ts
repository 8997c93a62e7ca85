/**
 * Draws the app icon and writes what electron-builder takes from build/:
 *
 *   build/icon.png   1024×1024 (Linux, and the source electron-builder can derive others from)
 *   build/icons/<n>x<n>.png   512, 256, 128, 64, 48, 32, 16 (Linux desktop icon sizes)
 *   build/icon.ico   Windows: 256, 48, 32, 16 (PNG-compressed entries)
 *   build/icon.icns  macOS: 16…1024 (PNG entries: icp4, icp5, icp6, ic07…ic10)
 *
 *   npx tsx scripts/make-icons.ts
 *
 * The drawing: a rounded square in the studio's blue with white waveform bars and a caption
 * line under them. Pure Node (zlib for PNG), so it runs anywhere and gives the same bytes each
 * time; the files are committed, so packaging never needs this script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const buildDir = resolve(import.meta.dirname, '..', 'build');

/** RGBA pixels, coverage-antialiased by supersampling. */
function draw(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  const background: [number, number, number] = [37, 99, 235];
  const ink: [number, number, number] = [255, 255, 255];
  const bars = [0.3, 0.55, 0.8, 0.45, 0.95, 0.6, 0.35, 0.7, 0.4];
  // All shapes in a unit square.
  const insideRoundedSquare = (x: number, y: number) => {
    const margin = 0.06;
    const radius = 0.2;
    const lo = margin + radius;
    const hi = 1 - margin - radius;
    const cx = Math.min(Math.max(x, lo), hi);
    const cy = Math.min(Math.max(y, lo), hi);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
  const insideInk = (x: number, y: number) => {
    // Waveform bars, centred on y = 0.42.
    const left = 0.2;
    const pitch = 0.6 / bars.length;
    const index = Math.floor((x - left) / pitch);
    if (index >= 0 && index < bars.length) {
      const within = (x - left) / pitch - index;
      const half = (bars[index] ?? 0) * 0.2;
      if (within > 0.2 && within < 0.8 && Math.abs(y - 0.42) <= half) return true;
    }
    // The caption line.
    return x >= 0.24 && x <= 0.76 && y >= 0.74 && y <= 0.79;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let shape = 0;
      let white = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (insideRoundedSquare(x, y)) {
            shape++;
            if (insideInk(x, y)) white++;
          }
        }
      }
      const total = samples * samples;
      const offset = (py * size + px) * 4;
      const inkShare = shape ? white / shape : 0;
      for (let c = 0; c < 3; c++) {
        pixels[offset + c] = Math.round(
          (background[c] ?? 0) * (1 - inkShare) + (ink[c] ?? 0) * inkShare,
        );
      }
      pixels[offset + 3] = Math.round((shape / total) * 255);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size: number): Buffer {
  const pixels = draw(size);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO with PNG-compressed images (Windows Vista and later read these). */
function ico(images: ReadonlyMap<number, Buffer>): Buffer {
  const entries = [...images];
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const directory = entries.map(([size, data]) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...entries.map(([, data]) => data)]);
}

/** ICNS with PNG entries, one OSType per size. */
function icns(images: ReadonlyMap<number, Buffer>): Buffer {
  const types: Record<number, string> = {
    16: 'icp4',
    32: 'icp5',
    64: 'icp6',
    128: 'ic07',
    256: 'ic08',
    512: 'ic09',
    1024: 'ic10',
  };
  const parts = [...images].map(([size, data]) => {
    const type = types[size];
    if (!type) throw new Error(`no ICNS type for ${size}×${size}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const sizes = [1024, 512, 256, 128, 64, 48, 32, 16];
const pngs = new Map(sizes.map((size) => [size, png(size)]));
const pick = (list: number[]) => new Map(list.map((size) => [size, pngs.get(size) ?? png(size)]));

mkdirSync(join(buildDir, 'icons'), { recursive: true });
writeFileSync(join(buildDir, 'icon.png'), pngs.get(1024) ?? png(1024));
for (const size of sizes.filter((s) => s <= 512)) {
  writeFileSync(join(buildDir, 'icons', `${size}x${size}.png`), pngs.get(size) ?? png(size));
}
writeFileSync(join(buildDir, 'icon.ico'), ico(pick([256, 48, 32, 16])));
writeFileSync(join(buildDir, 'icon.icns'), icns(pick([16, 32, 64, 128, 256, 512, 1024])));
process.stdout.write(`make-icons: wrote icon.png, icons/, icon.ico and icon.icns in ${buildDir}\n`);
