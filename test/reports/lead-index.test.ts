// The 19:45 email reads «Аналитика» through the lead index (issue #16): whatever the team and the
// script did to the sheet since the index was written, the email is the one a full read gives, byte
// for byte — and it reads far fewer cells.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { onEdit } from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runRecalc, runSweep } from '../../src/jobs/analytics';
import { composeReport } from '../../src/jobs/reports';
import { EPOCH_PROPERTY, LEAD_INDEX_SHEET, readLeadsForReport } from '../../src/jobs/lead-index';
import { EXTRA_WORK } from '../../src/jobs/tick-entry';
import { loadSettings } from '../../src/gas/settings';
import { addDays, type LocalDate } from '../../src/core/dates';
import { columnLetter } from '../../src/core/header-map';
import { STAGE_KEYS } from '../../sheets-templates/analytics';
import { fillDemoData } from '../../scripts/demo';
import { seededRandom } from '../../emulator/context';
import { makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const WIDTH = A.columns.length;
const LAST = columnLetter(WIDTH);
const DAY0 = '2026-11-23';
const REASONS = ['Нет денег', 'Не устроила цена', 'Пропал', ''];

function world(seed: number, leads = 150, pasteRows = 30) {
  const w = makeWorld({ at: `${addDays(DAY0, -1)} 09:00`, seed });
  runSetup(w.ss);
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  const sheet = w.ss.getSheetByName(A.name)!;
  const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
  const quiet = <T>(fn: () => T): T => w.env.ctx.recorder.quiet(fn);
  const managers = quiet(() => w.ss.getSheetByName('Менеджеры')!.getRange(2, 1, 20, 1).getValues().map((r) => String(r[0])).filter(Boolean));
  // The demo leads were typed before «Обновлено» existed (no stamp: always read again); this team's are not.
  quiet(() => { const n = sheet.getLastRow() - 1; if (n > 0) sheet.deleteRows(2, n); });
  const rnd = seededRandom(seed * 7919 + 1);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)];
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' });
  let today: LocalDate = addDays(DAY0, -1);
  const at = (time: string, day: LocalDate = today) => w.env.ctx.clock.set(moscow(`${day} ${time}`).getTime());
  /** Moves the clock on by a few minutes (edits never share a millisecond by accident). */
  const later = () => w.env.ctx.clock.set(w.env.ctx.clock.now() + int(1, 20) * 60_000 + int(1, 999));
  const dayNear = (back: number) => moscow(addDays(today, -int(0, back))); // a date in the last `back` days
  const lastRow = () => quiet(() => sheet.getLastRow());

  const leadRow = (): unknown[] => {
    const row: unknown[] = new Array(WIDTH).fill('');
    row[colOf('firstContactDate') - 1] = dayNear(40);
    row[colOf('manager') - 1] = pick(managers);
    row[colOf('name') - 1] = `Лид ${int(1, 1e6)}`;
    const reached = int(0, 5);
    for (let s = 0; s < reached; s++) row[colOf(STAGE_KEYS[s]) - 1] = dayNear(30);
    if (rnd() < 0.25) { row[colOf('stagePaid') - 1] = dayNear(10); row[colOf('paidAmount') - 1] = int(1, 90) * 100 + (rnd() < 0.3 ? 0.1 : 0); }
    else if (rnd() < 0.2) { row[colOf('stageRefused') - 1] = dayNear(10); row[colOf('refusalReason') - 1] = pick(REASONS); }
    if (rnd() < 0.5) row[colOf('lastContact') - 1] = dayNear(12);
    return row;
  };
  /** A person's edit, and the onEdit (simple trigger) it fires. */
  const edit = (a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(emu, a1, values);
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } catch { /* deferred: the rows wait for the recalculation */ } finally { w.env.endExecution(); }
  };
  const asTrigger = <T>(fn: () => T): T => {
    w.env.beginExecution('installableTrigger', { origin: 'CLOCK' });
    try { return fn(); } finally { w.env.endExecution(); }
  };
  const settings = () => quiet(() => loadSettings(w.ss).settings);
  const tick = () => asTrigger(() => EXTRA_WORK.run(w.ss, clock()));
  const sweep = () => asTrigger(() => runSweep(w.ss, clock(), settings()));
  const email = (mode: 'use' | 'full' | 'refresh') => {
    const m = asTrigger(() => composeReport('headOfSalesReport', w.ss, settings(), new Date(w.env.ctx.clock.now()), { leadIndex: mode }));
    expect(m.html.length).toBeGreaterThan(1000);
    return { subject: m.subject, html: m.html, text: m.text };
  };
  const read = (opts: { refresh?: boolean; full?: boolean } = {}) => asTrigger(() => readLeadsForReport(w.ss, sheet, opts));

  // Yesterday: the team filled the sheet by pastes (rows sharing a stamp) and single edits.
  for (let done = 0; done < leads;) {
    const n = Math.min(leads - done, int(1, pasteRows));
    const first = lastRow() + 1;
    edit(`A${first}:${LAST}${first + n - 1}`, Array.from({ length: n }, leadRow));
    done += n;
    later();
  }
  return { ...w, sheet, emu, quiet, rnd, int, pick, clock, at, later, edit, leadRow, lastRow, tick, sweep, email, read, managers, setToday: (d: LocalDate) => { today = d; }, dayNear };
}

type World = ReturnType<typeof world>;

/** One random thing a person or the script does to «Аналитика». */
function randomAction(w: World): string {
  const { int, rnd, pick } = w;
  const last = w.lastRow();
  const row = int(2, Math.max(2, last));
  const roll = rnd();
  if (roll < 0.05) {
    // Two managers' edits in the same millisecond: one stamp on two rows edited apart.
    const other = int(2, Math.max(2, last));
    for (const r of [row, other]) w.edit(`${columnLetter(colOf(pick(STAGE_KEYS)))}${r}`, [[pick(['x', w.dayNear(5)])]]);
    return `same-ms edits at ${row} and ${other}`;
  }
  if (roll < 0.35) {
    const key = pick(['firstContactDate', 'manager', ...STAGE_KEYS, 'lastContact', 'paidAmount', 'refusalReason', 'name', 'projectInfo']);
    const value = key === 'manager' ? pick(w.managers) : key === 'paidAmount' ? String(int(1, 50) * 100) : key === 'refusalReason' ? pick(REASONS)
      : key === 'name' || key === 'projectInfo' ? `т${int(1, 999)}` : pick(['x', '', w.dayNear(20)]);
    w.edit(`${columnLetter(colOf(key))}${row}`, [[value]]);
    return `edit ${key} ${row}`;
  }
  if (roll < 0.45) {
    const n = int(1, 6);
    const first = rnd() < 0.5 ? last + 1 : row;
    w.edit(`A${first}:${LAST}${first + n - 1}`, Array.from({ length: n }, w.leadRow));
    return `paste ${n} at ${first}`;
  }
  if (roll < 0.52) {
    w.edit(`A${row}:${LAST}${row}`, [new Array(WIDTH).fill('')]);
    return `clear row ${row}`;
  }
  if (roll < 0.58) {
    // Only the typed columns: «Обновлено» and the script's columns stay as they were.
    const upTo = colOf('projectInfo');
    w.edit(`A${row}:${columnLetter(upTo)}${row}`, [new Array(upTo).fill('')]);
    return `clear typed cells of row ${row}`;
  }
  if (roll < 0.66) {
    const n = int(1, 3);
    w.quiet(() => w.sheet.insertRowsBefore(row, n));
    return `insert ${n} rows before ${row}`;
  }
  if (roll < 0.74) {
    const n = Math.min(int(1, 3), Math.max(0, last - row + 1));
    if (n > 0 && last > 3) w.quiet(() => w.sheet.deleteRows(row, n));
    return `delete ${n} rows at ${row}`;
  }
  if (roll < 0.78) {
    // Insert a blank row and delete another: the row count stays, rows between shift.
    const other = int(2, Math.max(2, last));
    w.quiet(() => { w.sheet.insertRowsBefore(row, 1); w.sheet.deleteRows(other, 1); });
    return `insert at ${row}, delete at ${other}`;
  }
  if (roll < 0.8) {
    // A sort of the whole sheet (as Sheets reports it: one edit over every row), then the tick's recalculation.
    const max = w.quiet(() => w.sheet.getMaxRows());
    const values = w.quiet(() => w.sheet.getRange(2, 1, max - 1, WIDTH).getValues());
    const key = colOf(pick(['manager', 'firstContactDate', 'name'])) - 1;
    const sorted = values.slice().sort((a, b) => (a[key] === '' ? 1 : 0) - (b[key] === '' ? 1 : 0) || String(a[key] instanceof Date ? (a[key] as Date).getTime() : a[key]).localeCompare(String(b[key] instanceof Date ? (b[key] as Date).getTime() : b[key])));
    w.edit(`A2:${LAST}${max}`, sorted);
    if (rnd() < 0.7) w.tick();
    return `sort by column ${key + 1}`;
  }
  if (roll < 0.86) {
    w.sweep();
    return 'sweep from the menu';
  }
  if (roll < 0.88) {
    // An import through the API (no onEdit), then «Пересчитать» applies the rules to it.
    w.quiet(() => w.sheet.getRange(row, colOf(pick(STAGE_KEYS))).setValue('x'));
    w.env.beginExecution('menu');
    try { runRecalc(w.ss, w.clock()); } finally { w.env.endExecution(); }
    return `import + recalc at ${row}`;
  }
  if (roll < 0.95) {
    // An edit while the lock is busy: the rules wait for the next tick.
    w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 60_000);
    w.edit(`${columnLetter(colOf(pick(STAGE_KEYS)))}${row}`, [['x']]);
    w.env.locks.release("script");
    if (rnd() < 0.5) { w.env.ctx.clock.set(w.env.ctx.clock.now() + 61_000); w.tick(); }
    return `deferred edit at ${row}`;
  }
  w.env.ctx.clock.set(w.env.ctx.clock.now() + 61_000);
  w.tick();
  return 'tick';
}

function expectSameRows(w: World, log: string[]) {
  const viaIndex = w.read();
  const full = w.read({ full: true });
  const show = (v: unknown) => (v instanceof Date ? `D${v.toISOString()}` : JSON.stringify(v));
  const diffs: string[] = [];
  full.rows.forEach((row, i) => {
    for (const k of Object.keys(row)) {
      const a = (viaIndex.rows[i] as unknown as Record<string, unknown>)?.[k];
      const b = (row as unknown as Record<string, unknown>)[k];
      if (show(a) !== show(b)) diffs.push(`row ${i + 2} ${k}: index ${show(a)} full ${show(b)} (stamp ${show((row as unknown as Record<string, unknown>).updatedAt)})`);
    }
  });
  if (viaIndex.rows.length !== full.rows.length) diffs.push(`rows ${viaIndex.rows.length} vs ${full.rows.length}`);
  expect(diffs, log.slice(-8).join('\n')).toEqual([]);
  return viaIndex;
}

describe('the 19:45 lead index', () => {
  it('gives the email of a full read over random days of edits, pastes, sorts, inserted and deleted rows and script writes', () => {
    let viaIndex = 0;
    let checks = 0;
    const reasons: string[] = [];
    // Leads pasted a few rows at a time, and (seed 3) in bigger blocks sharing one stamp.
    for (const seed of (process.env.LI_SEEDS ? process.env.LI_SEEDS.split(",").map(Number) : [1, 2, 3])) {
      const w = world(seed, 150, seed % 3 === 0 ? 30 : 4);
      w.at('19:45');
      w.email('refresh'); // yesterday's 19:45 writes the first index
      const log: string[] = [];
      for (let d = 0; d < 3; d++) {
        const day = addDays(DAY0, d);
        w.setToday(day);
        w.at('06:00');
        w.sweep();
        log.push(`${day} 06:00 sweep`);
        w.at('09:00');
        for (let i = 0; i < 25; i++) {
          w.later();
          log.push(randomAction(w));
          if (w.rnd() < 0.2) {
            const r = expectSameRows(w, log);
            checks++;
            if (r.via === 'index') viaIndex++;
            else reasons.push(r.reason!);
          }
        }
        w.at('19:45');
        const fromIndex = w.email('use');
        const full = w.email('full');
        expect(fromIndex, log.join('\n')).toEqual(full);
        // The tick's own run: reads the same way, then writes the index for tomorrow.
        expect(w.email('refresh'), log.join('\n')).toEqual(full);
        const r = expectSameRows(w, log);
        checks++;
        if (r.via === 'index') viaIndex++;
      }
    }
    // The property is only worth something if most reads went through the index.
    expect(viaIndex, reasons.join('\n')).toBeGreaterThan(checks / 4);
  }, 300_000);

  it('reads far fewer cells than a full read, the day after it was written', () => {
    const w = world(5, 400, 3);
    w.at('19:45');
    w.email('refresh');
    w.setToday(DAY0);
    w.at('06:00');
    w.sweep();
    w.at('10:00');
    for (let i = 0; i < 10; i++) {
      w.later();
      w.edit(`${columnLetter(colOf('stageNegotiation'))}${w.int(2, 400)}`, [['x']]);
    }
    w.at('19:45');
    const rec = w.env.ctx.recorder;
    const cells = (fn: () => unknown) => {
      const before = rec.cellsRead;
      fn();
      return rec.cellsRead - before;
    };
    let r: ReturnType<World['read']> | null = null;
    const indexCells = cells(() => { r = w.read(); });
    const fullCells = cells(() => w.read({ full: true }));
    expect(r!.via).toBe('index');
    // Each edited row, and the rows that shared its stamp (pasted together) until tonight's index.
    expect(r!.reread, JSON.stringify({ reread: r!.reread, fromEdits: r!.fromEdits })).toBeLessThanOrEqual(30);
    expect(r!.fromEdits).toBeGreaterThan(0);
    // 400 rows × 14 columns in full; the index path reads «Обновлено», a few index cells and ~10 rows.
    expect(fullCells).toBeGreaterThan(400 * 14);
    expect(indexCells).toBeLessThan(fullCells / 3);
  });

  it('keeps the rows of a paste it knows when some of them were edited since (no re-read)', () => {
    const w = world(8, 90, 30); // three pastes of 30 rows, each sharing one stamp
    w.at('19:45');
    w.email('refresh');
    w.setToday(DAY0);
    w.at('10:00');
    for (const row of [3, 15, 40, 41]) {
      w.later();
      w.edit(`${columnLetter(colOf('stageNegotiation'))}${row}`, [['x']]);
    }
    w.later();
    w.edit(`${columnLetter(colOf('lastContact'))}${15}`, [[w.dayNear(2)]]); // an edit of an edit
    w.quiet(() => w.sheet.insertRowsBefore(20, 2)); // a blank pair inside the first paste
    const r = w.read();
    expect(r.via).toBe('index');
    expect(r.fromEdits).toBe(4);
    expect(r.reread).toBe(2); // the two blank rows
    expect(r.rows).toEqual(w.read({ full: true }).rows);
  });

  it('falls back to a full read when the index is missing, invalidated, of another build, edited by a person or the columns moved', () => {
    const w = world(6, 60);
    w.at('19:45');
    expect(w.read().reason).toBe('no index yet');
    w.email('refresh');
    expect(w.read().reason).toBeUndefined();
    // Invalidated (a sort, a recalculation changing values without a stamp …).
    w.quiet(() => PropertiesService.getDocumentProperties().setProperty(EPOCH_PROPERTY, 'void:1'));
    expect(w.read().reason).toBe('index invalidated');
    w.email('refresh');
    expect(w.read().via).toBe('index');
    // The index sheet replaced by an older copy: another build.
    const index = w.ss.getSheetByName(LEAD_INDEX_SHEET)!;
    const meta = JSON.parse(String(w.quiet(() => index.getRange(1, 1).getValue())));
    w.quiet(() => index.getRange(1, 1).setValue(JSON.stringify({ ...meta, epoch: '1:old' })));
    expect(w.read().reason).toBe('index of another build');
    w.email('refresh');
    // A damaged line.
    w.quiet(() => index.getRange(2, 1).setValue('[1,2'));
    expect(w.read().reason).toBe('index edited');
    w.email('refresh');
    // A person's valid-looking change of one entry (a name): the digest in the properties tells.
    const line = String(w.quiet(() => index.getRange(2, 1).getValue()));
    const entry = JSON.parse(line.split('\n')[0]) as unknown[];
    const name = entry.findIndex((v) => typeof v === 'string' && v.length > 2);
    expect(name).toBeGreaterThan(0);
    entry[name] = 'Подменённое имя';
    const edited = [JSON.stringify(entry), ...line.split('\n').slice(1)].join('\n');
    w.quiet(() => index.getRange(2, 1).setValue(edited));
    expect(w.read().reason).toBe('index edited');
    expect(JSON.stringify(w.read().rows)).not.toContain('Подменённое имя');
    expect(w.read().rows).toEqual(w.read({ full: true }).rows);
    w.email('refresh');
    // A column moved: the header map no longer matches the index.
    w.quiet(() => w.sheet.insertColumnsBefore(colOf('manager'), 1));
    expect(w.read().reason).toBe('columns moved');
    const full = w.email('full');
    expect(w.email('use')).toEqual(full);
    // The sheet deleted: no index survives it.
    w.quiet(() => w.ss.deleteSheet(index));
    w.email('refresh');
    expect(w.read().via).toBe('index');
    w.quiet(() => w.ss.deleteSheet(w.ss.getSheetByName(LEAD_INDEX_SHEET)!));
    expect(w.read().reason).toBe('no index sheet');
  });
});
