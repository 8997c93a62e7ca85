import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [999, '999 bytes'],
    [1000, '1.0 KB'],
    [352_102, '352.1 KB'],
    [10_200_000, '10.2 MB'],
    [77_704_715, '77.7 MB'],
    [1_624_555_275, '1.6 GB'],
    [3_094_623_691, '3.1 GB'],
    [2_500_000_000_000_000, '2500.0 TB'],
  ])('%d → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
