// `npm start` never loses a file and never sends twice: atomic saves with a backup, one run per
// workbook, a person's save never overwritten, emails exactly once across crashes, the state paired with
// its workbook, only .xlsx opened, only the runner's own files touched in the partners folder, and every
// error one Russian line.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';
import { parseOptions, runLocal } from '../scripts/local';
import { lockPathFor } from '../scripts/local-files';
import { MANIFEST, partnerFileName } from '../scripts/local-partners';
import { statePathFor, type StateFile } from '../emulator/state';
import { loadWorkbook } from '../emulator/xlsx';
import { createGasEnvironment } from '../emulator/index';
import { columnToLetters } from '../emulator/spreadsheet/a1';
import { formatMoney } from '../src/core/reports/format';
import { projectManifest } from './support/manifest';

const root = join(__dirname, '..');
const AT = '2026-11-23 10:00';
/** A person's edit: a run that changes the workbook (a run that changes nothing does not write it). */
const EDIT = ['--set', 'Аналитика!C2=Анна Петрова'];
const tmp = () => fs.mkdtempSync(join(os.tmpdir(), 'sales-safety-'));
const wbOf = (dir: string) => join(dir, 'workbook.xlsx');
const args = (dir: string, extra: string[]) => ['--workbook', wbOf(dir), '--outbox', join(dir, 'outbox'), '--partners', join(dir, 'partners'), '--seed', '3', ...(extra.includes('--at') ? [] : ['--at', AT]), ...extra];

async function run(dir: string, extra: string[], onLine?: (line: string) => void) {
  const lines: string[] = [];
  const result = await runLocal({ ...parseOptions(args(dir, extra)), lockWaitMs: 1000 }, (l) => { lines.push(l); onLine?.(l); });
  return { ...result, out: lines.join('\n') };
}
/** The run's error message (it must fail). */
async function refusal(dir: string, extra: string[]): Promise<string> {
  try {
    await run(dir, extra);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the run did not refuse');
}
/** The runner as a person starts it: its own process. */
function cli(dir: string, extra: string[], env: Record<string, string> = {}) {
  return spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', ...args(dir, extra)], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
}
function cliAsync(dir: string, extra: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('node', ['--import', 'tsx', 'scripts/local.ts', ...args(dir, extra)], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
const md5 = (file: string) => createHash('md5').update(fs.readFileSync(file)).digest('hex');
const tempFiles = (dir: string) => fs.readdirSync(dir).filter((n) => /^\..*\.tmp$/.test(n));
/** Emails in the outbox by subject (each .eml once per email). */
function sent(dir: string): Record<string, number> {
  const out = join(dir, 'outbox');
  const counts: Record<string, number> = {};
  if (!fs.existsSync(out)) return counts;
  for (const name of fs.readdirSync(out).filter((n) => n.endsWith('.eml'))) {
    const subject = /^\d{4}-\d\d-\d\d_\d{4}_\d+_(.*?)(_\d+)?\.eml$/.exec(name)![1];
    counts[subject] = (counts[subject] ?? 0) + 1;
  }
  return counts;
}
const reports = (counts: Record<string, number>) => Object.entries(counts).filter(([s]) => /^Отчёт-(секретаря|РОП)/.test(s));
const loadable = async (file: string) => loadWorkbook(file, createGasEnvironment({ manifest: projectManifest() }).world);

// One demo workbook with its state and partner files, copied for each test (creating one is slow).
let base = '';
const copyOf = (): string => {
  const dir = tmp();
  fs.cpSync(base, dir, { recursive: true });
  return dir;
};

beforeAll(async () => {
  await buildBundle();
  base = tmp();
  await run(base, ['--job', 'setup']);
  await run(base, ['--job', 'partners']);
}, 180_000);

const faults = ['SALES_LOCAL_FAULT', 'SALES_LOCAL_FAULT_MODE'] as const;
afterEach(() => { for (const k of faults) delete process.env[k]; });
/** Stops the next in-process run at `point` as a crash would (the files are left as they are there). */
function crashAt(point: string): void {
  process.env.SALES_LOCAL_FAULT = point;
  process.env.SALES_LOCAL_FAULT_MODE = 'throw';
}

describe('saves are atomic and keep the previous version', () => {
  it('a save replaces the workbook whole, keeps the old one as workbook.bak.xlsx and leaves no temporary or lock file', async () => {
    const dir = copyOf();
    const before = md5(wbOf(dir));
    const r = await run(dir, EDIT);
    expect(r.exitCode, r.out).toBe(0);
    expect(md5(join(dir, 'workbook.bak.xlsx'))).toBe(before);
    // Nothing changed: the file is not written at all.
    const unchanged = await run(dir, ['--job', 'check']);
    expect(unchanged.out).toContain(`Таблица: ${wbOf(dir)} (без изменений)`);
    expect(md5(join(dir, 'workbook.bak.xlsx'))).toBe(before);
    expect(tempFiles(dir)).toEqual([]);
    expect(fs.existsSync(lockPathFor(wbOf(dir)))).toBe(false);
    expect(JSON.parse(fs.readFileSync(statePathFor(wbOf(dir)), 'utf8')).local.stateId).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it('killed (SIGKILL) while saving the workbook: the old workbook is intact, the next run takes over the lock and works', async () => {
    const dir = copyOf();
    const before = md5(wbOf(dir));
    const killed = cli(dir, EDIT, { SALES_LOCAL_FAULT: 'workbook-before-rename' });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(md5(wbOf(dir))).toBe(before);
    expect(tempFiles(dir)).toHaveLength(1); // the new version, never renamed over the workbook
    expect(fs.existsSync(lockPathFor(wbOf(dir)))).toBe(true);

    const r = await run(dir, EDIT);
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toMatch(/Прошлый запуск \(процесс \d+, начат в [\d:]+\) оборвался, не сняв блокировку: она снята\./);
    expect(tempFiles(dir)).toEqual([]);
    expect(fs.existsSync(lockPathFor(wbOf(dir)))).toBe(false);
    expect((await loadable(wbOf(dir))).getSheetByName('Аналитика')).not.toBeNull();
  }, 90_000);

  it('killed while saving a partner file: every partner file stays whole, and the next run saves it and sends both reports once', async () => {
    const dir = copyOf();
    const partners = join(dir, 'partners');
    // A lead with a promo code gets paid: the partner sync has a partner file to rewrite.
    const ss = await loadable(wbOf(dir));
    const sheet = ss.getSheetByName('Аналитика')!;
    const rows = sheet.getRange(1, 1, sheet.getLastRow(), sheet.getLastColumn()).getValues();
    const col = (header: string) => columnToLetters(rows[0].indexOf(header) + 1);
    const row = rows.map((r, i) => (r[rows[0].indexOf('Промокод')] !== '' && r[rows[0].indexOf('Оплата')] === '' ? i + 1 : 0)).reduce((a, b) => Math.max(a, b));
    expect(row).toBeGreaterThan(1);
    await run(dir, ['--set', `Аналитика!${col('Оплата')}${row}=x`, '--set', `Аналитика!${col('Оплаченная сумма')}${row}=500`]);
    const before = Object.fromEntries(fs.readdirSync(partners).map((n) => [n, md5(join(partners, n))]));
    const killed = cli(dir, ['--job', 'partners'], { SALES_LOCAL_FAULT: 'partner-before-rename' });
    expect(killed.signal, killed.stdout + killed.stderr).toBe('SIGKILL');
    for (const [name, hash] of Object.entries(before)) expect(md5(join(partners, name)), name).toBe(hash);
    expect(tempFiles(partners)).toHaveLength(1);

    const r = await run(dir, ['--job', 'tick', '--at', '2026-11-23 20:01']);
    expect(r.exitCode, r.out).toBe(0);
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
    expect(tempFiles(partners)).toEqual([]);
    const rewritten = Object.keys(before).filter((n) => n.endsWith('.xlsx') && md5(join(partners, n)) !== before[n]);
    expect(rewritten.length).toBeGreaterThanOrEqual(1);
    for (const name of rewritten) await loadable(join(partners, name));
  }, 120_000);

  it('an empty workbook (a save cut short by an older version) is refused, naming the backup; the file is left alone', async () => {
    const dir = copyOf();
    fs.copyFileSync(wbOf(dir), join(dir, 'workbook.bak.xlsx'));
    fs.writeFileSync(wbOf(dir), '');
    const message = await refusal(dir, ['--job', 'check']);
    expect(message).toBe(`Не удалось открыть ${wbOf(dir)}: файл пуст (0 байт) — похоже, его сохранение было прервано. Предыдущая версия — ${join(dir, 'workbook.bak.xlsx')}: скопируйте её на место ${wbOf(dir)}.`);
    expect(fs.statSync(wbOf(dir)).size).toBe(0);
  }, 30_000);

  it('an empty partner file is written anew, a damaged one is reported and left alone, and the emails still go out', async () => {
    const dir = copyOf();
    const partners = join(dir, 'partners');
    const [empty, damaged] = fs.readdirSync(partners).filter((n) => n.endsWith('.xlsx')).sort();
    fs.writeFileSync(join(partners, empty), '');
    fs.writeFileSync(join(partners, damaged), 'PK\u0003\u0004 not really a workbook xl/workbook.xml');
    const r = await run(dir, ['--job', 'tick', '--at', '2026-11-23 20:00']);
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toContain(`Таблица партнёра ${join(partners, damaged)} не открылась (файл повреждён или это не книга Excel): она пропущена и не изменяется.`);
    expect(fs.readFileSync(join(partners, damaged), 'utf8')).toBe('PK\u0003\u0004 not really a workbook xl/workbook.xml');
    expect(fs.statSync(join(partners, empty)).size).toBeGreaterThan(0);
    await loadable(join(partners, empty));
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
  }, 60_000);
});

describe('a person and other runs', () => {
  it('a workbook a person saved during the run is not overwritten: the run saves beside it and says so', async () => {
    const dir = copyOf();
    const file = wbOf(dir);
    // The person saves in Excel while the jobs run.
    const r = await run(dir, EDIT, (line) => {
      if (line.startsWith('Время запуска')) { fs.appendFileSync(file, ''); fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000)); }
    });
    const person = md5(file);
    expect(r.exitCode).toBe(1);
    const beside = fs.readdirSync(dir).find((n) => /^workbook\.run-\d{8}-\d{6}\.xlsx$/.test(n));
    expect(beside).toBeDefined();
    expect(r.out).toContain(`✗ Таблицу ${file} изменили во время запуска (например, сохранили в Excel): она не перезаписана. Изменения этого запуска — в ${join(dir, beside!)}`);
    expect(md5(file)).toBe(person);
    await loadable(join(dir, beside!));
  }, 60_000);

  it.skipIf(process.getuid?.() === 0)('a read-only workbook is not replaced: the run saves beside it', async () => {
    const dir = copyOf();
    fs.chmodSync(wbOf(dir), 0o444);
    const before = md5(wbOf(dir));
    const r = await run(dir, EDIT);
    expect(r.out).toMatch(/только для чтения: она не перезаписана/);
    expect(md5(wbOf(dir))).toBe(before);
  }, 60_000);

  it('a live run of the same workbook is waited for, then the run is refused in Russian; the workbook is untouched', async () => {
    const dir = copyOf();
    const before = md5(wbOf(dir));
    fs.writeFileSync(lockPathFor(wbOf(dir)), JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: Date.now() }));
    const lines: string[] = [];
    await expect(runLocal({ ...parseOptions(args(dir, ['--job', 'check'])), lockWaitMs: 400 }, (l) => lines.push(l)))
      .rejects.toThrow(new RegExp(`^Таблица ${wbOf(dir).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} занята другим запуском \\(процесс ${process.pid}, начат в [\\d:]+\\)\\. Дождитесь его окончания`));
    expect(lines[0]).toMatch(/^Таблица занята другим запуском .* — жду до 0 с…$/);
    expect(md5(wbOf(dir))).toBe(before);
    expect(fs.existsSync(lockPathFor(wbOf(dir)))).toBe(true); // the other run's lock stays
  }, 30_000);

  it('three ticks started at once on one workbook run one after another and send each report once', async () => {
    const dir = copyOf();
    const runs = await Promise.all([0, 1, 2].map(() => cliAsync(dir, ['--job', 'tick', '--at', '2026-11-23 19:50'])));
    for (const r of runs) expect(r.status, r.stderr).toBe(0);
    expect(runs.filter((r) => r.stdout.includes('жду до 60 с')).length).toBeGreaterThanOrEqual(1);
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
    expect(fs.existsSync(lockPathFor(wbOf(dir)))).toBe(false);
  }, 240_000);
});

describe('emails exactly once', () => {
  it('killed after the workbook but before the state: nothing was written to the outbox, the next run sends once', async () => {
    const dir = copyOf();
    crashAt('after-workbook');
    await expect(run(dir, ['--job', 'tick', '--at', '2026-11-23 20:00'])).rejects.toThrow('simulated crash');
    expect(sent(dir)).toEqual({});
    delete process.env.SALES_LOCAL_FAULT;
    await run(dir, ['--job', 'tick', '--at', '2026-11-23 20:01']);
    await run(dir, ['--job', 'tick', '--at', '2026-11-23 20:06']);
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
  }, 90_000);

  it('killed after the state marked them sent: the next run writes the emails kept in the state, once', async () => {
    const dir = copyOf();
    crashAt('after-state');
    await expect(run(dir, ['--job', 'tick', '--at', '2026-11-23 20:00'])).rejects.toThrow('simulated crash');
    expect(sent(dir)).toEqual({});
    const state = JSON.parse(fs.readFileSync(statePathFor(wbOf(dir)), 'utf8')) as StateFile;
    expect(state.local!.outbox!.mails.length).toBeGreaterThanOrEqual(2);
    delete process.env.SALES_LOCAL_FAULT;
    const next = await run(dir, ['--job', 'check', '--at', '2026-11-23 20:01']);
    expect(next.out).toContain('Письма прошлого запуска, прерванного после отметки об отправке:');
    await run(dir, ['--job', 'tick', '--at', '2026-11-23 20:06']);
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
    expect((JSON.parse(fs.readFileSync(statePathFor(wbOf(dir)), 'utf8')) as StateFile).local!.outbox).toBeUndefined();
  }, 90_000);

  it('killed between two email files: the next run writes only the missing ones', async () => {
    const dir = copyOf();
    crashAt('outbox-after-first-file');
    await expect(run(dir, ['--job', 'tick', '--at', '2026-11-23 20:00'])).rejects.toThrow('simulated crash');
    const written = fs.readdirSync(join(dir, 'outbox'));
    expect(written).toHaveLength(1);
    const first = fs.readFileSync(join(dir, 'outbox', written[0]), 'utf8');
    const pending = (JSON.parse(fs.readFileSync(statePathFor(wbOf(dir)), 'utf8')) as StateFile).local!.outbox!.mails.flatMap((m) => m.files.map((f) => f.name));
    delete process.env.SALES_LOCAL_FAULT;
    await run(dir, ['--job', 'check', '--at', '2026-11-23 20:01']);
    expect(fs.readdirSync(join(dir, 'outbox')).sort()).toEqual(pending.sort());
    expect(reports(sent(dir)).map(([, n]) => n)).toEqual([1, 1]);
    expect(fs.readFileSync(join(dir, 'outbox', written[0]), 'utf8')).toBe(first);
  }, 90_000);

  it('a lost, emptied or foreign state, or a renamed workbook, refuses to run without --force; the workbook is untouched', async () => {
    const dir = copyOf();
    const state = statePathFor(wbOf(dir));
    const saved = fs.readFileSync(state, 'utf8');
    const before = md5(wbOf(dir));

    fs.rmSync(state);
    expect(await refusal(dir, ['--job', 'tick'])).toMatch(/^Нет файла состояния .*workbook\.gas-state\.json, хотя таблица .* уже запускалась .*отправил бы их повторно.*--force/);
    fs.writeFileSync(state, '');
    expect(await refusal(dir, ['--job', 'tick'])).toMatch(/^Файл состояния .* пуст: .*--force/);
    fs.writeFileSync(state, '{}');
    expect(await refusal(dir, ['--job', 'tick'])).toMatch(/пуст/);
    const foreign = JSON.parse(saved) as StateFile;
    foreign.local!.stateId = '00000000-0000-4000-8000-000000000000';
    fs.writeFileSync(state, JSON.stringify(foreign));
    expect(await refusal(dir, ['--job', 'tick'])).toMatch(/— от другой таблицы \(метки в таблице и в состоянии не совпадают\)/);
    fs.writeFileSync(state, saved);
    fs.renameSync(wbOf(dir), join(dir, 'team.xlsx'));
    const renamed = await runLocal(parseOptions([...args(dir, ['--job', 'tick']).slice(2), '--workbook', join(dir, 'team.xlsx')]), () => {}).then(() => '', (e: Error) => e.message);
    expect(renamed).toMatch(/^Нет файла состояния .*team\.gas-state\.json/);
    fs.renameSync(join(dir, 'team.xlsx'), wbOf(dir));
    expect(md5(wbOf(dir))).toBe(before);
    expect(sent(dir)).toEqual({});

    fs.writeFileSync(state, '');
    const forced = await run(dir, ['--job', 'check', '--force']);
    expect(forced.out).toMatch(/--force: состояние начинается заново/);
    expect(fs.readdirSync(dir).some((n) => /^workbook\.gas-state\.json\.replaced-\d+$/.test(n))).toBe(true);
    await run(dir, ['--job', 'check']); // paired again
  }, 90_000);

  it('--job report-rop twice: «Отправить ещё раз?» is answered «Нет»; with --force the copy gets its own files', async () => {
    const dir = copyOf();
    await run(dir, ['--job', 'report-rop']);
    const first = fs.readdirSync(join(dir, 'outbox'));
    expect(first).toHaveLength(2);
    const bytes = first.map((n) => md5(join(dir, 'outbox', n)));
    const again = await run(dir, ['--job', 'report-rop']);
    expect(again.out).toMatch(/Отправить ещё раз\?: .* → «Нет»: без --force запуск ничего не подтверждает/);
    expect(fs.readdirSync(join(dir, 'outbox'))).toEqual(first);
    const forced = await run(dir, ['--job', 'report-rop', '--force']);
    expect(forced.out).toContain('→ «Да» (--force)');
    const all = fs.readdirSync(join(dir, 'outbox')).sort();
    expect(all).toHaveLength(4);
    expect(all.filter((n) => /_2\.(eml|html)$/.test(n))).toHaveLength(2);
    expect(first.map((n) => md5(join(dir, 'outbox', n)))).toEqual(bytes);
  }, 90_000);
});

describe('what is opened and how errors read', () => {
  it('only .xlsx is opened: .ods by name, a Word file, a zip or a damaged workbook by content — refused, left as they were', async () => {
    const dir = tmp();
    const ods = join(dir, 'book.ods');
    fs.writeFileSync(ods, 'x');
    await expect(runLocal(parseOptions(['--workbook', ods]), () => {})).rejects.toThrow(`--workbook ${ods}: открываются только книги Excel (.xlsx); файл не изменён.`);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['word.xlsx', Buffer.from('PK\u0003\u0004....[Content_Types].xml word/document.xml'), /это документ Word, а не таблица/],
      ['odf.xlsx', Buffer.from('PK\u0003\u0004mimetypeapplication/vnd.oasis.opendocument.spreadsheet'), /это таблица OpenDocument \(\.ods\)/],
      ['zip.xlsx', Buffer.from('PK\u0003\u0004 readme.txt'), /это не книга Excel \(\.xlsx\)/],
      ['old.xlsx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /Excel 97–2003 \(\.xls\)/],
      ['broken.xlsx', Buffer.from('PK\u0003\u0004 xl/workbook.xml and then nothing'), /книга Excel повреждена и не читается/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = join(dir, name);
      fs.writeFileSync(file, bytes);
      const error = await runLocal(parseOptions(['--workbook', file, '--outbox', join(dir, 'o'), '--partners', join(dir, 'p')]), () => {}).then(() => null, (e: Error) => e);
      expect(error?.message, name).toMatch(message);
      expect(error?.message, name).toContain(`Не удалось открыть ${file}:`);
      expect(error?.message, name).toContain('Файл не изменён.');
      expect(fs.readFileSync(file).equals(bytes), name).toBe(true);
      expect(fs.existsSync(lockPathFor(file)), name).toBe(false);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['book.ods', ...cases.map(([n]) => n)].sort());

    // From the command line: one Russian line, the stack only with --debug.
    const plain = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--workbook', join(dir, 'broken.xlsx')], { cwd: root, encoding: 'utf8' });
    expect(plain.status).toBe(2);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).not.toMatch(/central directory|\n\s+at /);
    const debug = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--workbook', join(dir, 'broken.xlsx'), '--debug'], { cwd: root, encoding: 'utf8' });
    expect(debug.stderr).toMatch(/\n\s+at /);
  }, 60_000);

  it('the partners folder: files the runner did not create are never opened or written, and are mentioned once', async () => {
    const dir = copyOf();
    const partners = join(dir, 'partners');
    const budget = new ExcelJS.Workbook();
    budget.addWorksheet('Бюджет').getCell('A1').value = 'не трогать';
    await budget.xlsx.writeFile(join(partners, 'Бюджет.xlsx'));
    fs.writeFileSync(join(partners, '~$Татьяна.xlsx'), 'lock of Excel');
    fs.copyFileSync(wbOf(dir), join(partners, 'workbook.xlsx'));
    const foreign = ['Бюджет.xlsx', '~$Татьяна.xlsx', 'workbook.xlsx'];
    const before = foreign.map((n) => md5(join(partners, n)));
    const r = await run(dir, ['--job', 'partners']);
    expect(r.exitCode, r.out).toBe(0);
    expect(r.out).toContain(`В папке партнёров ${partners} есть файлы, которые создала не эта программа: workbook.xlsx, Бюджет.xlsx — они не открываются и не изменяются (об этом сообщается один раз).`);
    expect(foreign.map((n) => md5(join(partners, n)))).toEqual(before);
    const again = await run(dir, ['--job', 'partners']);
    expect(again.out).not.toContain('создала не эта программа');
    expect(foreign.map((n) => md5(join(partners, n)))).toEqual(before);
    const manifest = JSON.parse(fs.readFileSync(join(partners, MANIFEST), 'utf8')) as { files: Record<string, { id: string }> };
    expect(Object.keys(manifest.files).length).toBeGreaterThan(5);
    expect(Object.keys(manifest.files)).not.toContain('Бюджет.xlsx');
  }, 90_000);

  it('a partner name too long for a file name still gives a file name the file system takes', () => {
    const name = partnerFileName(`Аффилейт — ${'Очень длинное имя партнёра '.repeat(20)}`);
    expect(Buffer.byteLength(`.${name.replace(/\.xlsx$/, ' (99).xlsx')}.4294967.abcdef12.tmp`)).toBeLessThanOrEqual(255);
    expect(name).toMatch(/^Очень длинное имя.*\.xlsx$/);
  });

  it('relative paths are taken from the folder the command was typed in, defaults from the project', () => {
    const dir = fs.realpathSync(tmp());
    const cwd = process.cwd();
    const saved = { event: process.env.npm_lifecycle_event, init: process.env.INIT_CWD };
    try {
      process.chdir(dir);
      delete process.env.npm_lifecycle_event;
      expect(parseOptions(['--workbook', 'team.xlsx']).workbook).toBe(join(dir, 'team.xlsx'));
      // `npm start` runs from the package root; INIT_CWD is where the person typed it.
      process.chdir(root);
      process.env.npm_lifecycle_event = 'start';
      process.env.INIT_CWD = dir;
      const o = parseOptions(['--workbook', 'team.xlsx', '--outbox', 'mail']);
      expect([o.workbook, o.outbox, o.partners]).toEqual([join(dir, 'team.xlsx'), join(dir, 'mail'), join(root, 'local/partners')]);
    } finally {
      process.chdir(cwd);
      if (saved.event === undefined) delete process.env.npm_lifecycle_event; else process.env.npm_lifecycle_event = saved.event;
      if (saved.init === undefined) delete process.env.INIT_CWD; else process.env.INIT_CWD = saved.init;
    }
  });

  it('--at earlier than the last run asks for --force', async () => {
    const dir = copyOf();
    await run(dir, ['--job', 'check', '--at', '2026-11-23 12:00']);
    expect(await refusal(dir, ['--job', 'check', '--at', '2026-11-23 11:00'])).toBe(
      '--at 2026-11-23 11:00: это раньше прошлого запуска этой таблицы (2026-11-23 12:00, Москва), а время не идёт назад — расписание и отметки об отправке запутались бы. Укажите --at не раньше 2026-11-23 12:00 или добавьте --force.');
    const forced = await run(dir, ['--job', 'check', '--at', '2026-11-23 11:00', '--force']);
    expect(forced.out).toContain('Внимание: --at раньше прошлого запуска (2026-11-23 12:00) — по --force.');
  }, 60_000);

  it('an amount of 1e308 is shown as a number in the report, never "Infinity,undefined"', async () => {
    expect(formatMoney(1e308, 'EUR')).toBe('1,0·10^308\u202fEUR');
    expect(formatMoney(Infinity, 'EUR')).toBe('—');
    expect(formatMoney(1200.5, 'EUR')).toBe('1\u202f200,50\u202fEUR');
    const dir = copyOf();
    const ss = await loadable(wbOf(dir));
    const invoices = ss.getSheetByName('Счета')!;
    const rows = invoices.getRange(1, 1, invoices.getLastRow(), 6).getValues();
    const row = rows.findIndex((r) => r[0] === 'С-111') + 1;
    expect(row).toBeGreaterThan(1);
    const edit = await run(dir, ['--set', `Счета!F${row}=1e308`]);
    expect(edit.exitCode, edit.out).toBe(0);
    await run(dir, ['--job', 'report-rop']);
    const html = fs.readdirSync(join(dir, 'outbox')).find((n) => n.endsWith('.html'))!;
    const text = fs.readFileSync(join(dir, 'outbox', html), 'utf8');
    expect(text).not.toMatch(/Infinity|undefined|NaN/);
    expect(text).toMatch(/\d на —</); // the day's invoices: their sum is past any number
  }, 90_000);
});
