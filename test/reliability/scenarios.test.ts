// Concurrency and recovery, as people and triggers actually collide: a manager edits while the sweep,
// the partner sync or a menu run holds the lock; a manager types into a cell a job is about to write;
// two ticks at once; and the recovery paths the fault suite found missing (each a regression test).
import { afterAll, describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runPartnerSync } from '../../src/jobs/partners';
import { tick as tickNow } from '../../src/jobs/tick-entry';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import { FAULTS } from '../../emulator/recorder';
import {
  ADMIN, a1, beforeColumnWrite, markDailyJobsDone, cellValue, colOf, demoWorld, hookAtIndex, injectAt, leadWorld, mails, moscow, pendingRows, recordSequence,
  seedScriptRandom, setSetting, Tally, typeWhileLocked, useOnEdit, type RWorld,
} from './harness';

const tally = new Tally('scenarios');
afterAll(() => tally.write());
useOnEdit(main.onEdit);

const A = templateByKey('analytics');
const M = templateByKey('affiliates');
const P = templateByKey('partners');
const CONCURRENCY = 'Параллельные запуски';
const RECOVERY = 'Восстановление после сбоя';

/** Records the scenario in the README tallies; the assertions inside decide. */
function scenario(section: string, title: string, fn: () => void): void {
  it(title, () => {
    let ok = false;
    try { fn(); ok = true; } finally { tally.record(section, title, ok); }
  });
}

const day = (d: string) => moscow(`${d} 00:00`);
const local = (v: unknown) => (v instanceof Date || Object.prototype.toString.call(v) === '[object Date]' ? toLocalDate(v as Date, MOSCOW) : v);
const IDLE = { firstContactDate: day('2026-11-10'), manager: '', name: 'Идл', username: '@idle_lead', stageFirstContact: day('2026-11-10'), stageNegotiation: day('2026-11-12') };
const IDLE2 = { firstContactDate: day('2026-11-09'), name: 'Идл 2', username: '@idle_two', stageFirstContact: day('2026-11-09'), stageNegotiation: day('2026-11-11') };

/** The sequence of service calls of `run` in a world built exactly like the one the scenario uses. */
function sequenceOf(build: () => RWorld, run: (w: RWorld) => void): string[] {
  seedScriptRandom();
  const w = build();
  const seq = recordSequence(w);
  run(w);
  return seq;
}

function tick(w: RWorld, at: string): unknown {
  w.setTime(at);
  return w.exec('installableTrigger', () => main.onTick());
}

function lastAlert(w: RWorld): string {
  const a = w.env.ui.alerts[w.env.ui.alerts.length - 1];
  return a ? a.prompt : '';
}

describe('an edit while a job holds the lock, and a person typing into a cell a job is writing', () => {
  scenario(CONCURRENCY, 'правка во время «Ожидания»: ждёт следующего тика, ничего введённого не теряется', () => {
    const build = () => leadWorld([IDLE, IDLE2]);
    const run = (w: RWorld) => w.exec('menu', () => main.menuSweep());
    const at = beforeColumnWrite(sequenceOf(build, run));
    const w = build();
    hookAtIndex(w, at, () => typeWhileLocked(w, A.name, a1('stageRenegotiation', 2), [['x']]));
    expect(run(w)).toBeUndefined();
    // The edit found the lock taken: the mark is kept as typed and the row waits for the next tick.
    expect(cellValue(w, 'stageRenegotiation', 2)).toBe('x');
    expect(pendingRows(w)).toHaveLength(1);
    expect(local(cellValue(w, 'stageWaiting', 2))).toBe('2026-11-15'); // the sweep's own column
    expect(tick(w, '2026-11-23 10:05')).toBeUndefined();
    expect(pendingRows(w)).toEqual([]);
    expect(local(cellValue(w, 'stageRenegotiation', 2))).toBe('2026-11-23');
    expect(cellValue(w, 'currentStage', 2)).toBe('Повторные переговоры');
    expect(local(cellValue(w, 'stageWaiting', 2))).toBe('2026-11-15'); // kept as history
    expect(local(cellValue(w, 'lastContact', 2))).toBe('2026-11-23');
    expect(cellValue(w, 'updatedAt', 2)).toBeInstanceOf(Date); // stamped with the time of the edit
  });

  scenario(CONCURRENCY, 'менеджер вводит дату в «Ожидание», пока его пишет ежедневный проход: остаётся введённое', () => {
    const build = () => leadWorld([IDLE, IDLE2]);
    const run = (w: RWorld) => w.exec('menu', () => main.menuSweep());
    const at = beforeColumnWrite(sequenceOf(build, run));
    const w = build();
    hookAtIndex(w, at, () => typeWhileLocked(w, A.name, a1('stageWaiting', 3), [['20.11.2026']]));
    run(w);
    expect(local(cellValue(w, 'stageWaiting', 3))).toBe('2026-11-20'); // not the sweep's stale 14.11
    expect(local(cellValue(w, 'stageWaiting', 2))).toBe('2026-11-15'); // the other row is swept
    tick(w, '2026-11-23 10:05');
    expect(local(cellValue(w, 'stageWaiting', 3))).toBe('2026-11-20');
    expect(cellValue(w, 'currentStage', 3)).toBe('Ожидание');
  });

  scenario(CONCURRENCY, 'правка во время «Пересчитать»: пересчёт не затирает новое значение устаревшим', () => {
    const build = () => {
      const w = leadWorld([IDLE]);
      // A row that arrived without an edit (an import): the recalculation will normalise its nick.
      w.quiet(() => w.sheet(A.name).getRange(3, 1, 1, 4).setValues([[day('2026-11-20'), '', 'Иван', 't.me/ivan_petrov']]));
      return w;
    };
    const run = (w: RWorld) => w.exec('menu', () => main.menuRecalc());
    const seq = sequenceOf(build, run);
    const w = build();
    // Typed after the recalculation read the sheet and before it writes its first column (each
    // column's compare-and-set reads again right before its own write).
    hookAtIndex(w, beforeColumnWrite(seq), () => typeWhileLocked(w, A.name, a1('username', 3), [['t.me/new_nick_x']]));
    run(w);
    expect(cellValue(w, 'username', 3)).toBe('t.me/new_nick_x'); // the person's value, not the stale '@ivan_petrov'
    expect(lastAlert(w)).toMatch(/Не тронуто ячеек, изменённых во время пересчёта: 1/);
    // The next recalculation processes the deferred edit.
    w.setTime('2026-11-23 10:02');
    w.exec('menu', () => main.menuRecalc());
    expect(cellValue(w, 'username', 3)).toBe('@new_nick_x');
    expect(pendingRows(w)).toEqual([]);
  });

  scenario(CONCURRENCY, 'правка во время синхронизации партнёров: сумма остаётся, следующий запуск её переносит', () => {
    const build = () => demoWorld('2026-11-23 10:00');
    const run = (w: RWorld) => w.exec('menu', () => main.menuPartners());
    const seq = sequenceOf(build, run);
    const w = build();
    const row = w.quiet(() => w.sheet(A.name).getDataRange().getValues().findIndex((r) => r[colOf('partner') - 1] === 'Татьяна' && r[colOf('stagePaid') - 1] !== '') + 1);
    hookAtIndex(w, seq.indexOf('SpreadsheetApp.create') + 5, () => typeWhileLocked(w, A.name, a1('paidAmount', row), [['777']]));
    run(w);
    expect(cellValue(w, 'paidAmount', row)).toBe(777);
    expect(pendingRows(w)).toHaveLength(1);
    tick(w, '2026-11-23 10:05');
    expect(pendingRows(w)).toEqual([]);
    w.setTime('2026-11-23 10:06');
    w.exec('menu', () => main.menuPartners());
    const master = w.quiet(() => w.sheet(M.name).getDataRange().getValues());
    expect(master.some((r) => r[colOf('paidAmount', M) - 1] === 777 && r[colOf('partner', M) - 1] === 'Татьяна')).toBe(true);
  });

  scenario(CONCURRENCY, 'два тика одновременно: второй пропускает, каждое письмо уходит один раз', () => {
    const build = () => demoWorld('2026-11-23 19:46');
    const run = (w: RWorld) => tick(w, '2026-11-23 19:46');
    const seq = sequenceOf(build, run);
    const w = build();
    let second: { skipped?: string } | undefined;
    hookAtIndex(w, seq.indexOf('MailApp.sendEmail'), () => {
      // Another firing of the same trigger while this one sends: it must not wait for and redo the work.
      const saved = { ...w.env.locks.slots.script };
      w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 10 * 60_000);
      try { second = tickNow(); } finally { w.env.locks.slots.script = saved; }
    });
    expect(run(w)).toBeUndefined();
    expect(second?.skipped).toBe('lock busy');
    expect(tick(w, '2026-11-23 19:46')).toBeUndefined(); // a doubled firing right after
    expect(tick(w, '2026-11-23 19:52')).toBeUndefined();
    expect(mails(w).reports.map((m) => m.split(' | ')[1].replace(/ \(.*$/, ''))).toEqual([
      'Отчёт РОП за 23.11.2026', 'Отчёт секретаря за 22.11.2026', 'Кого дожать сегодня, 23.11.2026 — Марина', 'Кого дожать сегодня, 23.11.2026 — Светлана',
    ]);
  });

  scenario(CONCURRENCY, 'меню при занятой блокировке: понятное сообщение по-русски, ничего не записано', () => {
    const w = leadWorld([IDLE]);
    w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 10 * 60_000);
    w.exec('menu', () => main.menuSweep());
    expect(lastAlert(w)).toMatch(/Таблица занята другим процессом/);
    expect(cellValue(w, 'stageWaiting', 2)).toBe('');
  });
});

describe('recovery paths the fault suite found missing', () => {
  scenario(RECOVERY, 'сбой onEdit: введённое остаётся, подсказка, строки пересчитываются следующим тиком', () => {
    const w = leadWorld([IDLE]);
    const e = w.env.world.userEdit(w.emu.getSheetByName(A.name) as never, a1('stagePaid', 2), [['+']]);
    injectAt(w, { method: 'Range.setValues', occurrence: 1 }, `${FAULTS.timeout}x`, 4);
    const thrown = w.exec('simpleTrigger', () => main.onEdit(e));
    w.env.ctx.recorder.clearFaults();
    expect(String((thrown as Error).message)).toMatch(/timed out/);
    expect(cellValue(w, 'stagePaid', 2)).toBe('+');
    expect(w.emu.toasts.at(-1)?.message).toMatch(/пересчитаются автоматически/);
    tick(w, '2026-11-23 10:05');
    expect(local(cellValue(w, 'stagePaid', 2))).toBe('2026-11-23');
    expect(String(cellValue(w, 'individualNumber', 2))).toMatch(/^\d{3}id\d{3}$/);
    expect(cellValue(w, 'updatedAt', 2)).toBeInstanceOf(Date);
  });

  scenario(RECOVERY, '«Ожидание» прервано между двумя колонками: следующий проход дописывает «Текущий этап»', () => {
    const w = leadWorld([IDLE]);
    injectAt(w, { method: 'Range.setValues', occurrence: 2 }, FAULTS.lockTimeout);
    w.exec('menu', () => main.menuSweep());
    w.env.ctx.recorder.clearFaults();
    expect(lastAlert(w)).toMatch(/Не получилось/);
    expect(local(cellValue(w, 'stageWaiting', 2))).toBe('2026-11-15');
    expect(cellValue(w, 'currentStage', 2)).toBe('Переговоры и отправка планов');
    w.exec('menu', () => main.menuSweep());
    expect(cellValue(w, 'currentStage', 2)).toBe('Ожидание');
  });

  scenario(RECOVERY, 'файл партнёра не создался до конца: ссылка уже записана, файл никому не открыт, следующий тик доделывает тот же файл', () => {
    const w = demoWorld('2026-11-23 06:01');
    injectAt(w, { method: 'Sheet.setFrozenRows', occurrence: 3 }, `${FAULTS.timeout}p`, 4);
    tick(w, '2026-11-23 06:01');
    w.env.ctx.recorder.clearFaults();
    const alert = w.env.mail.outbox.find((m) => m.subject.includes('Таблицы партнёров'));
    expect(alert?.body).toMatch(/Татьяна/);
    // Without Drive access a file cannot go to the trash: the half-made file is linked and waits, unshared.
    const tatiana = () => w.quiet(() => w.env.world.all().filter((f) => f.name === 'Аффилейт — Татьяна'));
    const link = () => w.quiet(() => String(w.sheet(P.name).getRange(4, colOf('sheetUrl', P)).getValue()));
    expect(tatiana()).toHaveLength(1);
    const half = tatiana()[0];
    expect(link()).toContain(half.id);
    expect(half.acl.viewers.size).toBe(0);
    tick(w, '2026-11-23 06:06');
    expect(tatiana().map((f) => f.id)).toEqual([half.id]);
    expect(link()).toContain(half.id);
    expect(half.sheets.map((s) => [s.name, s.frozenRows])).toEqual([['Клиенты', 1]]);
    expect(half.acl.viewers.size).toBe(1);
  });

  scenario(RECOVERY, 'ошибка у одного партнёра в расписании: остальные синхронизированы, админ оповещён, следующий тик повторяет', () => {
    const w = demoWorld('2026-11-23 06:01');
    w.quiet(() => runPartnerSync(w.ss, w.clock()));
    injectAt(w, { method: 'Spreadsheet.getViewers', occurrence: 2 }, `${FAULTS.timeout}p`, 4);
    tick(w, '2026-11-23 06:01');
    w.env.ctx.recorder.clearFaults();
    const status = w.quiet(() => JSON.parse(PropertiesService.getScriptProperties().getProperty('status:partners')!));
    expect(status.ok).toBe(false);
    expect(status.result).toMatch(/Юрий Рыбак/);
    expect(w.env.mail.outbox.filter((m) => m.to === ADMIN && m.subject.includes('Таблицы партнёров'))).toHaveLength(1);
    tick(w, '2026-11-23 06:06');
    const again = w.quiet(() => JSON.parse(PropertiesService.getScriptProperties().getProperty('status:partners')!));
    expect(again.ok).toBe(true);
  });

  scenario(RECOVERY, '«Воронка» не дорисована: остаётся помеченной, следующий тик перерисовывает', () => {
    const w = leadWorld([IDLE]);
    markDailyJobsDone(w);
    w.quiet(() => PropertiesService.getDocumentProperties().setProperty('funnel:stale', String(w.env.ctx.clock.now())));
    injectAt(w, { method: 'Range.setNumberFormats', occurrence: 1 }, FAULTS.lockTimeout);
    tick(w, '2026-11-23 10:05');
    w.env.ctx.recorder.clearFaults();
    expect(w.quiet(() => PropertiesService.getDocumentProperties().getProperty('funnel:stale'))).not.toBeNull();
    tick(w, '2026-11-23 10:10');
    expect(w.quiet(() => PropertiesService.getDocumentProperties().getProperty('funnel:stale'))).toBeNull();
  });

  scenario(RECOVERY, 'сбой тика вне заданий: одно письмо админу в день и строка в «Статусе»', () => {
    const w = leadWorld([IDLE]);
    w.quiet(() => PropertiesService.getDocumentProperties().setProperty('funnel:stale', '1'));
    for (const at of ['2026-11-23 10:05', '2026-11-23 10:10']) {
      injectAt(w, { method: 'Spreadsheet.getSheetByName', occurrence: 1 }, FAULTS.lockTimeout);
      expect(tick(w, at)).toBeDefined();
      w.env.ctx.recorder.clearFaults();
    }
    expect(w.env.mail.outbox.filter((m) => m.to === ADMIN && m.subject.includes('расписание: ошибка'))).toHaveLength(1);
    w.exec('menu', () => main.menuScheduleStatus());
    expect(w.env.ui.dialogs.at(-1)!.html).toMatch(/Последняя ошибка запуска расписания/);
    expect(tick(w, '2026-11-23 10:15')).toBeUndefined();
  });

  scenario(RECOVERY, 'настройки испорчены: письмо уходит по умолчанию, но админ узнаёт, что именно не так', () => {
    const w = demoWorld('2026-11-23 11:01');
    setSetting(w, 'Время отчёта секретаря', '25:00');
    tick(w, '2026-11-23 11:01');
    const alert = w.env.mail.outbox.find((m) => m.to === ADMIN && /настройк/i.test(m.subject));
    expect(alert?.body).toMatch(/«Время отчёта секретаря» = «25:00» — нужно время в формате ЧЧ:ММ/);
    expect(mails(w).reports.filter((m) => m.includes('Отчёт секретаря'))).toHaveLength(1);
    tick(w, '2026-11-23 11:06');
    expect(w.env.mail.outbox.filter((m) => m.to === ADMIN && /настройк/i.test(m.subject))).toHaveLength(1); // once a day
  });
});
