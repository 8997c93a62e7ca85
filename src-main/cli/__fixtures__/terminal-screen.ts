/**
 * The text a terminal shows after it received `output`: a small emulator of what progress
 * renderers write (text, \r, \n, and the CSI cursor and erase sequences), so a test can read the
 * final screen of a real run recorded with `script` instead of the raw bytes. The screen has no
 * height limit (nothing scrolls away) and lines are `columns` wide (longer text wraps).
 */
export function terminalScreen(output: string, columns = 100): string[] {
  const lines: string[][] = [[]];
  let row = 0;
  let col = 0;
  const line = () => (lines[row] ??= []);
  const put = (ch: string) => {
    if (col >= columns) {
      row += 1;
      col = 0;
    }
    const current = line();
    while (current.length < col) current.push(' ');
    current[col] = ch;
    col += 1;
  };
  // eslint-disable-next-line no-control-regex
  const token = /\x1b\[([?\d;]*)([A-Za-z])|\x1b[()][A-Z0-9]|\x1b[=>78]|([\s\S])/gu;
  for (const match of output.matchAll(token)) {
    const [, params, command, ch] = match;
    if (ch !== undefined) {
      if (ch === '\r') col = 0;
      else if (ch === '\n') {
        row += 1;
        col = 0;
        line();
      } else if (ch === '\b') col = Math.max(0, col - 1);
      else if (ch === '\t') col = Math.min(columns - 1, (Math.floor(col / 8) + 1) * 8);
      else if (ch >= ' ') put(ch);
      continue;
    }
    if (command === undefined || params?.startsWith('?')) continue;
    const n = Number(params?.split(';')[0] || '1') || 1;
    const arg = Number(params?.split(';')[0] || '0');
    switch (command) {
      case 'A':
        row = Math.max(0, row - n);
        break;
      case 'B':
        row += n;
        break;
      case 'C':
        col = Math.min(columns - 1, col + n);
        break;
      case 'D':
        col = Math.max(0, col - n);
        break;
      case 'E':
        row += n;
        col = 0;
        break;
      case 'F':
        row = Math.max(0, row - n);
        col = 0;
        break;
      case 'G':
        col = Math.max(0, n - 1);
        break;
      case 'K': {
        const current = line();
        if (arg === 0) current.length = Math.min(current.length, col);
        else if (arg === 1) for (let i = 0; i <= col && i < current.length; i++) current[i] = ' ';
        else current.length = 0;
        break;
      }
      case 'J':
        if (arg === 0) {
          line().length = Math.min(line().length, col);
          lines.length = row + 1;
        } else if (arg === 2 || arg === 3) {
          lines.length = 0;
          lines.push([]);
          row = 0;
        }
        break;
      default:
        break;
    }
  }
  return lines.map((cells) => (cells ?? []).join('').trimEnd());
}
