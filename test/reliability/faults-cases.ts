// The jobs of the fault suite and how one fault run is judged. For each job the fault-free run is
// recorded first; its call counts give the positions (every call kind at its first, middle and last
// occurrence, thinned to a cap). At each position the call fails once with a transient message (it must
// be retried), and then for good — four times in a row so the retries run out, or once with a
// non-transient message, alternating between positions. The run passes when: the job completed with
// exactly the fault-free result or failed loudly; a job that writes one block left its sheets untouched
// or complete; the next run (the menu again, or the next tick) ends exactly where the fault-free run
// ends; no report email was lost or doubled — except that a report whose sendEmail failed in a way
// that may follow delivery (a time-out) is not resent, and then the user or the admin must be told.
// Email jobs also get a mail that is delivered and then times out: it must arrive exactly once.
import { expect } from 'vitest';
import { breathe } from '../support/event-loop';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { FAULTS } from '../../emulator/recorder';
import { hasPendingRows } from '../../src/jobs/pending';
import { isMailRefusal } from '../../src/gas/retry';
import {
  demoWorld, fingerprint, markDailyJobsDone, firstDifference, hookAt, injectAt, mails, same, samplePositions, seedScriptRandom, Tally, world,
  type FingerprintOptions, type Position, type RWorld,
} from './harness';

const A = templateByKey('analytics');
const P = templateByKey('partners');
export const SECTION = 'Сбои сервисов';
const TRANSIENT = [`${FAULTS.timeout}1AbCdEf`, `${FAULTS.tooManyCalls}spreadsheets`];
const HARD = FAULTS.lockTimeout;

export type Mode = 'transient' | 'retries exhausted' | 'non-transient' | 'mail quota' | 'mail delivered, then timed out' | 'file deleted';

export interface JobCase {
  name: string;
  prepare(): RWorld;
  /** The job as the platform runs it; returns what escaped the entry point. */
  run(w: RWorld): unknown;
  /** The next run after a fault: the menu again, or the next tick. */
  recover(w: RWorld): void;
  /** Did the run fail where a person (or the admin) sees it? */
  loud(w: RWorld, thrown: unknown, mark: Mark, at?: Position): boolean;
  /** Writes more than one block (column by column, sheet by sheet): a re-run must converge instead. */
  columnWise: boolean;
  /** The recovery is the same job again: without a fault it must change nothing. */
  idempotent?: boolean;
  fp?: FingerprintOptions;
  /** Cap on the number of positions (the suite must stay fast; default 60). */
  maxPositions?: number;
  /** Modes beyond the transient and permanent faults every position gets. */
  modes?: Mode[];
  /** Side effect for the «file deleted» mode. */
  deleteEffect?: (w: RWorld) => void;
}

interface Mark { alerts: number; outbox: number; toasts: number }
const mark = (w: RWorld): Mark => ({ alerts: w.env.ui.alerts.length, outbox: w.env.mail.outbox.length, toasts: w.emu.toasts.length });

function menuLoud(w: RWorld, _thrown: unknown, m: Mark): boolean {
  return w.env.ui.alerts.slice(m.alerts).some((a) => /Не получилось|ОШИБКА|Не отправлено|не подтверждена/.test(`${a.title} ${a.prompt}`));
}

/**
 * A report missing after a sendEmail failure that was not a clear refusal is right, not lost: the
 * error may come after Gmail took the message, so it is never resent (SPEC §5) — as long as the
 * person at the menu or the admin was told to check the mailbox.
 */
function unconfirmedSend(w: RWorld, ref: Reference, got: ReturnType<typeof mails>, p: Position, message: string): boolean {
  if (p.method !== 'MailApp.sendEmail' || isMailRefusal(new Error(message))) return false;
  const oneMissing = got.reports.length === ref.mail.reports.length - 1 && got.reports.every((r) => ref.mail.reports.includes(r));
  const told = w.env.mail.outbox.some((x) => x.subject.startsWith('Продажи:') && x.subject.includes('не подтверждена'))
    || w.env.ui.alerts.some((a) => a.prompt.includes('не подтверждена'));
  return oneMissing && told;
}

const props = () => PropertiesService.getScriptProperties();

/**
 * A scheduled run failed loudly: an admin alert plus a failed status or an error out of the trigger.
 * With the properties service itself down there is no settings snapshot to find the admin by: the
 * error out of the trigger (which Apps Script reports to the trigger's owner) is all there can be.
 */
function tickLoud(w: RWorld, thrown: unknown, m: Mark, at?: Position): boolean {
  const alerted = w.env.mail.outbox.slice(m.outbox).some((x) => x.subject.startsWith('Продажи:'));
  const failedStatus = w.quiet(() => Object.entries(props().getProperties()).some(([k, v]) => k.startsWith('status:') && JSON.parse(v).ok === false));
  if (thrown !== undefined && at && /^Properties(Service)?\./.test(at.method)) return true;
  return alerted && (failedStatus || thrown !== undefined);
}

const menu = (fn: () => void) => (w: RWorld) => w.exec('menu', fn);

function tickAt(at: string) {
  return (w: RWorld) => { w.setTime(at); return w.exec('installableTrigger', () => main.onTick()); };
}

/** The first lead that is neither paid nor refused: typing «+» into «Оплата» makes the rules do the most. */
function openLeadRow(w: RWorld): number {
  return w.quiet(() => {
    const values = w.sheet(A.name).getDataRange().getValues();
    const paid = A.columns.findIndex((c) => c.key === 'stagePaid');
    const refused = A.columns.findIndex((c) => c.key === 'stageRefused');
    const i = values.findIndex((r, n) => n > 0 && r[0] !== '' && r[paid] === '' && r[refused] === '');
    return i + 1;
  });
}

export const CASES: JobCase[] = [
  {
    name: 'Настроить таблицу (пустая таблица)',
    prepare: () => world('2026-11-23 10:00'),
    run: menu(() => main.menuSetup()),
    recover: (w) => { w.setTime('2026-11-23 10:01'); w.exec('menu', () => main.menuSetup()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
    maxPositions: 50,
  },
  {
    name: 'onEdit (правка «Оплата»)',
    prepare: () => {
      const w = demoWorld('2026-11-23 10:00');
      markDailyJobsDone(w);
      const row = openLeadRow(w);
      const col = A.columns.findIndex((c) => c.key === 'stagePaid') + 1;
      const e = w.env.world.userEdit(w.emu.getSheetByName(A.name) as never, `${String.fromCharCode(64 + col)}${row}`, [['+']]);
      (w as RWorld & { e?: unknown }).e = e;
      return w;
    },
    run: (w) => w.exec('simpleTrigger', () => main.onEdit((w as RWorld & { e: GoogleAppsScript.Events.SheetsOnEdit }).e)),
    recover: tickAt('2026-11-23 10:05'),
    // The edit either went through, or its rows wait for the next tick (a failure also shows a toast
    // and leaves its error in the execution log; a busy lock just defers).
    loud: (w) => w.quiet(() => hasPendingRows()),
    columnWise: false,
    // «Обновлено» is the time the rules ran: after a retry's pause it is later, and a recalculation
    // of deferred rows does not stamp it.
    fp: { mask: ['Обновлено'] },
  },
  {
    name: 'Пересчитать',
    prepare: () => demoWorld('2026-11-23 10:00', { raw: true }),
    run: menu(() => main.menuRecalc()),
    recover: (w) => { w.setTime('2026-11-23 10:01'); w.exec('menu', () => main.menuRecalc()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
  },
  {
    name: 'Отметить «Ожидание»',
    prepare: () => demoWorld('2026-11-23 10:00'),
    run: menu(() => main.menuSweep()),
    recover: (w) => { w.setTime('2026-11-23 10:01'); w.exec('menu', () => main.menuSweep()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
  },
  {
    name: 'Обновить воронку',
    prepare: () => demoWorld('2026-11-23 10:00'),
    run: menu(() => main.menuFunnel()),
    recover: (w) => { w.setTime('2026-11-23 10:01'); w.exec('menu', () => main.menuFunnel()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
  },
  {
    name: 'Синхронизировать партнёров (первый раз)',
    prepare: () => demoWorld('2026-11-23 10:00'),
    run: menu(() => main.menuPartners()),
    recover: (w) => { w.setTime('2026-11-23 10:01'); w.exec('menu', () => main.menuPartners()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
    fp: { mask: ['Последняя синхронизация'] },
    maxPositions: 50,
  },
  {
    name: 'Синхронизировать партнёров (файлы есть)',
    prepare: () => {
      const w = demoWorld('2026-11-23 10:00');
      w.exec('menu', () => main.menuPartners());
      // A manager corrects a paid amount: one partner file must change.
      w.quiet(() => {
        const s = w.sheet(A.name);
        const values = s.getDataRange().getValues();
        const partner = A.columns.findIndex((c) => c.key === 'partner');
        const amount = A.columns.findIndex((c) => c.key === 'paidAmount');
        const paid = A.columns.findIndex((c) => c.key === 'stagePaid');
        const row = values.findIndex((r, i) => i > 0 && r[partner] === 'Татьяна' && r[paid] !== '');
        s.getRange(row + 1, amount + 1).setValue(999);
      });
      w.setTime('2026-11-23 10:10');
      return w;
    },
    run: menu(() => main.menuPartners()),
    recover: (w) => { w.setTime('2026-11-23 10:11'); w.exec('menu', () => main.menuPartners()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: true,
    fp: { mask: ['Последняя синхронизация'] },
    maxPositions: 40,
    modes: ['file deleted'],
    deleteEffect: (w) => {
      const link = String(w.sheet(P.name).getRange(2 + 2, P.columns.findIndex((c) => c.key === 'sheetUrl') + 1).getValue()); // Татьяна
      const id = /\/d\/([^/?]+)/.exec(link)?.[1];
      if (id) w.env.world.deleteFile(id);
    },
  },
  {
    name: 'Отчёт секретаря (отправить сейчас)',
    prepare: () => demoWorld('2026-11-23 11:05'),
    run: menu(() => main.menuSendSecretary()),
    recover: (w) => { w.setTime('2026-11-23 11:06'); w.env.ui.respondNext('NO'); w.exec('menu', () => main.menuSendSecretary()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: false,
    modes: ['mail quota', 'mail delivered, then timed out'],
  },
  {
    name: 'Отчёт РОП (отправить сейчас)',
    prepare: () => demoWorld('2026-11-23 19:50'),
    run: menu(() => main.menuSendHeadOfSales()),
    recover: (w) => { w.setTime('2026-11-23 19:51'); w.env.ui.respondNext('NO'); w.exec('menu', () => main.menuSendHeadOfSales()); },
    loud: menuLoud,
    idempotent: true,
    columnWise: false,
    modes: ['mail quota', 'mail delivered, then timed out'],
  },
  {
    name: 'Расписание: тик 19:46 (все задания дня)',
    prepare: () => demoWorld('2026-11-23 19:46'),
    run: tickAt('2026-11-23 19:46'),
    // The next tick sends what failed; «Воронка» is redrawn at most hourly (jobs/funnel.ts), so the
    // first tick past that hour must show it too.
    recover: (w) => { tickAt('2026-11-23 19:51')(w); tickAt('2026-11-23 20:47')(w); },
    loud: tickLoud,
    columnWise: true,
    fp: { mask: ['Последняя синхронизация'] },
    maxPositions: 50,
    modes: ['mail quota', 'mail delivered, then timed out'],
  },
];

export interface Reference { counts: Map<string, number>; after: unknown; final: unknown; mail: ReturnType<typeof mails> }

export function reference(c: JobCase): Reference {
  seedScriptRandom();
  const w = c.prepare();
  const m = mark(w);
  w.env.ctx.recorder.reset();
  const thrown = c.run(w);
  const counts = new Map(w.env.ctx.recorder.counts);
  expect(thrown, `${c.name}: the fault-free run threw`).toBeUndefined();
  expect(c.loud(w, thrown, m), `${c.name}: the fault-free run failed`).toBe(false);
  const after = fingerprint(w, c.fp);
  seedScriptRandom();
  c.recover(w);
  const final = fingerprint(w, c.fp);
  // Safe to run twice: a menu job run again right away changes nothing a person can see.
  if (c.idempotent) expect(firstDifference(final, after), `${c.name}: a second run changed something`).toBeNull();
  return { counts, after, final, mail: mails(w) };
}

export function runWithFault(c: JobCase, ref: Reference, p: Position, mode: Mode, n: number): string[] {
  const problems: string[] = [];
  seedScriptRandom();
  const w = c.prepare();
  const before = c.columnWise ? null : fingerprint(w, c.fp);
  const m = mark(w);
  const transient = TRANSIENT[n % TRANSIENT.length];
  const message = mode === 'non-transient' ? HARD : mode === 'mail quota' ? FAULTS.mailQuota : transient;
  if (mode === 'transient') injectAt(w, p, message, 1);
  else if (mode === 'retries exhausted') injectAt(w, p, message, 4);
  else if (mode === 'non-transient') injectAt(w, p, message, 1);
  else if (mode === 'mail quota') injectAt(w, p, message, 1);
  else if (mode === 'mail delivered, then timed out') injectAt(w, p, 'Service Gmail timed out', 1, 'after');
  else hookAt(w, p, () => c.deleteEffect!(w));
  const thrown = c.run(w);
  w.env.ctx.recorder.clearFaults();
  const after = fingerprint(w, c.fp);
  const completed = same(after, ref.after);
  const loud = c.loud(w, thrown, m, p);
  // A file deleted after the sync passed it cannot be noticed until the next run: only recovery counts.
  if (mode !== 'file deleted' && !completed && !loud) problems.push(`neither completed nor failed loudly (${firstDifference(after, ref.after)}; thrown: ${String((thrown as Error)?.message ?? thrown)})`);
  if (before && !completed && !same(after, before)) problems.push(`half-written: ${firstDifference(after, before)}`);
  seedScriptRandom();
  c.recover(w);
  const final = fingerprint(w, c.fp);
  if (!same(final, ref.final)) problems.push(`the next run did not recover: ${firstDifference(final, ref.final)}`);
  const got = mails(w);
  if (JSON.stringify(got.reports) !== JSON.stringify(ref.mail.reports) && !(mode !== 'mail delivered, then timed out' && unconfirmedSend(w, ref, got, p, message))) problems.push(`emails lost or doubled: ${JSON.stringify(got.reports)} vs ${JSON.stringify(ref.mail.reports)}`);
  return problems;
}

/**
 * Every fault run of one job, tallied by mode. Each sampled position gets the transient fault, and one
 * permanent fault (retries exhausted / non-transient, alternating); the job's extra modes run at the
 * positions they apply to.
 */
export async function runCase(c: JobCase, tally: Tally): Promise<string[]> {
  const ref = reference(c);
  const positions = samplePositions(ref.counts, c.maxPositions ?? 60, (m) => m === 'Utilities.sleep');
  const failures: string[] = [];
  let n = 0;
  const one = (p: Position, mode: Mode) => {
    const problems = runWithFault(c, ref, p, mode, n++);
    tally.record(SECTION, `${c.name} — ${MODE_TITLE[mode]}`, problems.length === 0, problems.join('; '));
    if (problems.length) failures.push(`[${mode}] ${p.method}#${p.occurrence}: ${problems.join('; ')}`);
  };
  for (const [i, p] of positions.entries()) {
    one(p, 'transient');
    one(p, i % 2 === 0 ? 'retries exhausted' : 'non-transient');
    await breathe(); // a case runs for many seconds: the test worker must answer its runner meanwhile
  }
  for (const mode of c.modes ?? []) {
    if (mode === 'mail quota' || mode === 'mail delivered, then timed out') for (const p of positions.filter((x) => x.method === 'MailApp.sendEmail')) one(p, mode);
    if (mode === 'file deleted') for (const [i, p] of positions.entries()) if (i % 2 === 0) { one(p, mode); await breathe(); }
  }
  return failures;
}

const MODE_TITLE: Record<Mode, string> = {
  transient: 'временный сбой (повтор)',
  'retries exhausted': 'сбой на всех повторах',
  'non-transient': 'постоянная ошибка',
  'mail quota': 'квота писем исчерпана',
  'mail delivered, then timed out': 'письмо ушло, но сервис ответил тайм-аутом',
  'file deleted': 'файл партнёра удалён во время синхронизации',
};
