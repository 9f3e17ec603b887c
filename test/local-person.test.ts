// `npm start -- --job edit`: the local runner acts as a person — UI edits and pastes through the
// emulator's checks, then the simple onEdit in its real mode; plus --empty, --help and flag errors.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';
import { parseOptions, runLocal, USAGE } from '../scripts/local';
import { parseSet, parseTsv, refusalText } from '../scripts/local-edit';
import { LOCAL_JOBS } from '../scripts/local-jobs';
import { loadWorkbook } from '../emulator/xlsx';
import { createGasEnvironment } from '../emulator/index';
import { columnToLetters } from '../emulator/spreadsheet/a1';
import { ERR } from '../emulator/spreadsheet/user';
import type { EmuSpreadsheet } from '../emulator/spreadsheet/spreadsheet';
import { SHEET_TEMPLATES, templateByKey } from '../sheets-templates';
import { headerOf } from '../src/core/analytics';
import { MOSCOW, toLocalDate } from '../src/core/dates';
import { statePathFor } from '../emulator/state';
import { projectManifest } from './support/manifest';

const AT = '2026-11-23 10:00';
const TODAY = '2026-11-23';
const MANAGER = 'manager@example.com';
const ANALYTICS = templateByKey('analytics');
const SETTINGS = templateByKey('settings');

const tmp = () => mkdtempSync(join(tmpdir(), 'sales-person-'));
const args = (dir: string, extra: string[]) => ['--workbook', join(dir, 'workbook.xlsx'), '--outbox', join(dir, 'outbox'), '--partners', join(dir, 'partners'), '--seed', '3', '--at', AT, ...extra];
const run = async (dir: string, extra: string[]) => {
  const lines: string[] = [];
  const result = await runLocal(parseOptions(args(dir, extra)), (l) => lines.push(l));
  return { ...result, out: lines.join('\n') };
};
const load = async (dir: string) => loadWorkbook(join(dir, 'workbook.xlsx'), createGasEnvironment({ manifest: projectManifest() }).world);
const sheetOf = (ss: EmuSpreadsheet, name: string) => ss.sheets.find((s) => s.name === name)!;
const used = (ss: EmuSpreadsheet, name: string) => {
  const sheet = sheetOf(ss, name);
  return sheet.rangeByA1(`A1:${columnToLetters(sheet.maxCols)}${sheet.maxRows}`).peekValues();
};
/** 1-based column of a template column in the workbook's header row. */
const columnOf = (ss: EmuSpreadsheet, key: string) => used(ss, ANALYTICS.name)[ANALYTICS.headerRow - 1].indexOf(ANALYTICS.columns.find((c) => c.key === key)!.header) + 1;

// One demo workbook and one empty workbook, copied for each test (creating one runs setup: slow).
const bases = { demo: '', empty: '' };
function copyOf(base: string): string {
  const dir = tmp();
  copyFileSync(join(base, 'workbook.xlsx'), join(dir, 'workbook.xlsx'));
  const state = statePathFor(join(base, 'workbook.xlsx'));
  if (existsSync(state)) copyFileSync(state, statePathFor(join(dir, 'workbook.xlsx')));
  return dir;
}

beforeAll(async () => {
  await buildBundle();
  bases.demo = tmp();
  bases.empty = tmp();
  await run(bases.demo, ['--job', 'setup']);
  await run(bases.empty, ['--job', 'setup', '--empty']);
}, 120_000);

describe('the local runner acts as a person', () => {
  it("a manager's stage mark stamps today's Moscow date and the row's computed columns", async () => {
    const dir = copyOf(bases.demo);
    const before = await load(dir);
    const rows = used(before, ANALYTICS.name);
    const at = (key: string) => columnOf(before, key) - 1;
    // A lead that only had its first contact: «Переговоры» is the next mark a manager makes.
    const row = rows.findIndex((r, i) => i >= ANALYTICS.headerRow && r[at('stageFirstContact')] !== ''
      && ['stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageWaiting', 'stageRenegotiation', 'stagePaid', 'stageRefused'].every((k) => r[at(k)] === '')) + 1;
    expect(row).toBeGreaterThan(ANALYTICS.headerRow);
    const cell = `${columnToLetters(columnOf(before, 'stageNegotiation'))}${row}`;

    const r = await run(dir, ['--job', 'edit', '--as', MANAGER, '--set', `${ANALYTICS.name}!${cell}=x`]);
    expect(r.exitCode).toBe(0);
    expect(r.out).toContain(`${MANAGER} — новый участник команды`);
    expect(r.out).toContain(`${ANALYTICS.name}!${cell} теперь: «23.11.2026»`);
    expect(r.out).toMatch(new RegExp(`Проблемы \\(строка ${row}\\): `));
    expect(r.out.match(/▶ onEdit/g)).toHaveLength(1);

    const after = await load(dir);
    const values = used(after, ANALYTICS.name)[row - 1];
    expect(toLocalDate(values[at('stageNegotiation')] as Date, MOSCOW)).toBe(TODAY);
    expect(values[at('currentStage')]).toBe(headerOf('stageNegotiation'));
    expect((values[at('updatedAt')] as Date).getTime()).toBeGreaterThanOrEqual(parseOptions(['--at', AT]).at.getTime());
    expect(after.acl.canEdit(MANAGER)).toBe(true); // added to the team's file, and it stays so
  }, 60_000);

  it('an edit of a protected sheet is refused in Russian, exit code 1, the workbook unchanged', async () => {
    const dir = copyOf(bases.demo);
    const cell = `${SETTINGS.name}!B${SETTINGS.headerRow + 1}`;
    // The manager joins the file after setup: its protections must not mirror the file's editors.
    const before = await load(dir);
    const res = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', ...args(dir, ['--job', 'edit', '--as', MANAGER, '--set', `${cell}=99`])], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(1);
    expect(res.stdout).toContain('Правка отклонена, таблица не изменена: ячейка защищена');
    expect(res.stdout).toContain(`(Google: «${ERR.protectedCell}»)`);
    expect(res.stdout).toContain('Не применено правок: 1 из 1');
    const after = await load(dir);
    for (const sheet of before.sheets) expect(used(after, sheet.name), sheet.name).toEqual(used(before, sheet.name));
  }, 60_000);

  it('one refused edit does not stop the next; the run still exits 1', async () => {
    const dir = copyOf(bases.demo);
    const r = await run(dir, ['--as', MANAGER, '--set', `${SETTINGS.name}!B2=1`, '--set', `${ANALYTICS.name}!C2=Андрей Ковалёв`]);
    expect(r.exitCode).toBe(1);
    expect(r.out).toContain(`${ANALYTICS.name}!C2 теперь: «Андрей Ковалёв»`);
    expect(sheetOf(r.env.world.getActive()!, ANALYTICS.name).rangeByA1('C2').peekValues()[0][0]).toBe('Андрей Ковалёв');
  }, 60_000);

  it('a paste of 3 rows creates 3 leads in one edit event', async () => {
    const dir = copyOf(bases.empty);
    const tsv = join(dir, 'leads.tsv');
    // As Sheets copies: CRLF rows, a trailing newline; the manager list of a new workbook is empty.
    writeFileSync(tsv, ['20.11.2026\t\tАнна\t@anna_shop', '21.11.2026\t\tБорис\t@boris_store', '22.11.2026\t\tВера\t@vera_decor', ''].join('\r\n'));
    const r = await run(dir, ['--as', MANAGER, '--paste', `${ANALYTICS.name}!A2`, '--tsv', tsv]);
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toContain(`вставка в ${ANALYTICS.name}!A2:D4 (3 × 4)`);
    expect(r.out.match(/▶ onEdit/g)).toHaveLength(1);

    const after = await load(dir);
    const rows = used(after, ANALYTICS.name);
    const at = (key: string) => columnOf(after, key) - 1;
    const leads = rows.slice(ANALYTICS.headerRow).filter((row) => row.some((v) => v !== ''));
    expect(leads.map((row) => row[at('name')])).toEqual(['Анна', 'Борис', 'Вера']);
    expect(leads.map((row) => toLocalDate(row[at('firstContactDate')] as Date, MOSCOW))).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    for (const row of leads) expect(row[at('updatedAt')]).toBeInstanceOf(Date); // the rules ran on every pasted row
  }, 60_000);

  it('--empty creates the templates with their headers and no data rows', async () => {
    const ss = await load(bases.empty);
    for (const def of SHEET_TEMPLATES.filter((t) => t.kind === 'table')) {
      const rows = used(ss, def.name);
      expect(rows[def.headerRow - 1].slice(0, def.columns.length), def.name).toEqual(def.columns.map((c) => c.header));
      // Only the real starting content (promo codes, lists, settings) — never the demo rows.
      const data = rows.slice(def.headerRow).filter((row) => row.some((v) => v !== '' && v !== false));
      expect(data.length, def.name).toBe(def.initial.length);
    }
    const again = parseOptions(args(bases.empty, ['--empty']));
    await expect(runLocal(again, () => {})).rejects.toThrow(/--empty: таблица .* уже есть/);
  }, 60_000);

  it('--help exits 0 and lists every flag and job; a bad flag exits 2 in Russian', () => {
    const help = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const flag of ['job', 'at', 'workbook', 'outbox', 'partners', 'seed', 'as', 'set', 'paste', 'tsv', 'account', 'empty', 'help']) expect(help.stdout).toContain(`--${flag}`);
    for (const job of ['all', 'edit', ...Object.keys(LOCAL_JOBS)]) expect(help.stdout).toMatch(new RegExp(`^  ${job} `, 'm'));
    expect(help.stdout).toBe(`${USAGE}\n`);

    const unknown = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--colour', 'red'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Неизвестный флаг --colour');
    expect(() => parseOptions(['--job'])).toThrow('Флагу --job нужно значение');
    expect(() => parseOptions(['--empty=yes'])).toThrow('Флаг --empty пишется без значения');
    expect(() => parseOptions(['--account', 'gmail'])).toThrow(/--account: «gmail»/);
    expect(() => parseOptions(['--as', 'manager'])).toThrow(/--as: «manager» — нужен email/);
    expect(() => parseOptions(['--paste', 'Аналитика!A2'])).toThrow(/нужен --tsv/);
    expect(() => parseOptions(['--job', 'edit'])).toThrow(/укажите правку/);
    expect(() => parseOptions(['--job', 'recalc', '--set', 'Аналитика!A2=1'])).toThrow(/--job edit/);
  }, 30_000);

  it('parses the edit syntax and translates Google refusals', () => {
    expect(parseSet('Аналитика!n5=x')).toMatchObject({ sheet: 'Аналитика', cell: 'N5', values: [['x']] });
    expect(parseSet("'Отчёт секретаря'!B2=a=b!C3=d")).toMatchObject({ sheet: 'Отчёт секретаря', cell: 'B2', values: [['a=b!C3=d']] });
    expect(() => parseSet('Аналитика=x')).toThrow(/Лист!A1=значение/);
    expect(parseTsv('a\tb\r\nc\n')).toEqual([['a', 'b'], ['c', '']]);
    expect(refusalText(ERR.viewOnly)).toMatch(/^у этого человека нет права редактировать таблицу\.\n {2}\(Google: «You do not have permission/);
    expect(refusalText(ERR.invalidInput('J5'))).toMatch(/^значение в J5 не проходит проверку данных/);
    expect(parseOptions(['--set', 'Аналитика!A2=1']).job).toBe('edit');
    expect(parseOptions(['--account', 'workspace']).account).toBe('workspace');
  });
});
