// A1 notation: column letters and range references ('B2', 'A1:C10', 'A:A', '2:5', 'A2:A', "'Лист 1'!A1").

export function columnToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function lettersToColumn(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function cellA1(row: number, col: number): string {
  return `${columnToLetters(col)}${row}`;
}

export function rangeA1(row: number, col: number, numRows: number, numCols: number): string {
  const start = cellA1(row, col);
  if (numRows === 1 && numCols === 1) return start;
  return `${start}:${cellA1(row + numRows - 1, col + numCols - 1)}`;
}

/** A parsed reference; missing bounds are open (whole column / whole row / to the sheet's end). */
export interface A1Ref {
  sheetName?: string;
  startRow?: number;
  startCol?: number;
  endRow?: number;
  endCol?: number;
}

const PART = /^\$?([A-Za-z]{0,3})\$?(\d*)$/;

function parsePart(text: string): { row?: number; col?: number } | null {
  const m = PART.exec(text.trim());
  if (!m || (!m[1] && !m[2])) return null;
  return { col: m[1] ? lettersToColumn(m[1]) : undefined, row: m[2] ? Number(m[2]) : undefined };
}

/** Parses an A1 reference; returns null when it is not one. */
export function parseA1(text: string): A1Ref | null {
  let ref = text.trim();
  let sheetName: string | undefined;
  const bang = ref.lastIndexOf('!');
  if (bang >= 0) {
    sheetName = ref.slice(0, bang);
    if (sheetName.startsWith("'") && sheetName.endsWith("'")) sheetName = sheetName.slice(1, -1).replace(/''/g, "'");
    ref = ref.slice(bang + 1);
  }
  const [a, b, extra] = ref.split(':');
  if (extra !== undefined) return null;
  const p1 = parsePart(a);
  if (!p1) return null;
  const p2 = b === undefined ? p1 : parsePart(b);
  if (!p2) return null;
  if (b === undefined && (p1.row === undefined || p1.col === undefined)) return null;
  const out: A1Ref = {
    sheetName,
    startRow: p1.row, startCol: p1.col,
    endRow: p2.row, endCol: p2.col,
  };
  // 'A2:A' – open end row; 'A:A' – whole columns; '2:5' – whole rows.
  if (out.startRow === undefined && out.endRow !== undefined) return null;
  if (out.startCol === undefined && out.endCol !== undefined) return null;
  if (out.startRow !== undefined && out.endRow === undefined && b === undefined) out.endRow = out.startRow;
  return out;
}

export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
