// Demo rows for a freshly created local workbook (never part of the bundle): fake leads, logs and
// example partner emails, with dates relative to the simulated day so the demo never goes stale.
import { SHEET_TEMPLATES } from '../sheets-templates';
import { demoWorkbookRows } from '../sheets-templates/schema';
import { mapHeaders } from '../src/core/header-map';
import { MOSCOW, toLocalDate } from '../src/core/dates';
import { cellWriter } from '../src/gas/table';
import type { GasEnvironment } from '../emulator/index';

/** Writes every template's demo rows under its header; returns the number of rows written. */
export function fillDemoData(env: GasEnvironment, at: Date): number {
  const today = toLocalDate(at, MOSCOW);
  const ss = env.world.getActive();
  if (!ss) throw new Error('no active spreadsheet');
  let written = 0;
  env.ctx.recorder.quiet(() => {
    const api = ss as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet;
    for (const def of SHEET_TEMPLATES) {
      if (def.kind !== 'table' || def.demo.length === 0) continue;
      const sheet = api.getSheetByName(def.name);
      if (!sheet) continue;
      const width = Math.max(1, sheet.getLastColumn());
      const map = mapHeaders(sheet.getRange(def.headerRow, 1, 1, width).getValues()[0], def.columns);
      const rows = demoWorkbookRows(def, today, MOSCOW);
      const write = cellWriter(def, map);
      const out = rows.map((r) => {
        const line: unknown[] = new Array(width).fill('');
        for (const [key, value] of Object.entries(r)) {
          const i = map.index.get(key);
          if (i !== undefined) line[i] = write(i, value);
        }
        return line;
      });
      const existing = sheet.getLastRow() - def.headerRow;
      if (existing > 0) sheet.getRange(def.headerRow + 1, 1, existing, width).clearContent();
      const needed = def.headerRow + out.length;
      if (needed > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), needed - sheet.getMaxRows());
      sheet.getRange(def.headerRow + 1, 1, out.length, width).setValues(out);
      written += out.length;
    }
  });
  return written;
}
