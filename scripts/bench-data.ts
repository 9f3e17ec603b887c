// The benchmark's workbook: N leads over three years plus the logs a team of that size keeps (secretary
// log ≈ N/5 rows, «Звонки» ≈ N/20, «Счета» ≈ N/10, «Аффилейты» and one file per partner from a sync),
// deterministic for a seed. The sheet is left in the state the script keeps it in: computed columns
// filled, yesterday's «Ожидание» sweep, invoice statuses and partner sync done — so each measured job
// does the work it does on an ordinary day, not a one-off catch-up.
import { readLeadsForReport } from '../src/jobs/lead-index';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGasEnvironment, readManifest, type GasEnvironment } from '../emulator/index';
import { seededRandom } from '../emulator/context';
import { PARTNER_NAMES, PROMO_CODES, REFUSAL_REASONS, SHEET_TEMPLATES, templateByKey, type SheetKey } from '../sheets-templates';
import {
  evaluateSheet, idleSweepUpdates, type AnalyticsKey, type AnalyticsRow, type CellValue, type SheetRow,
} from '../src/core/analytics';
import { localToDateCell } from '../src/core/analytics/cells';
import { addDays, localDateTimeToDate, MOSCOW, type LocalDate } from '../src/core/dates';
import { mapHeaders } from '../src/core/header-map';
import { invoiceStatus } from '../src/core/reports';
import { buildReference, type Reference, type ReferenceRow } from '../src/core/reference';
import { demoWorkbookRows } from '../sheets-templates/schema';
import { loadSettings, saveSettingsSnapshot } from '../src/gas/settings';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { cellWriter } from '../src/gas/table';
import { runSetup } from '../src/jobs/setup';
import { runPartnerSync } from '../src/jobs/partners';
import { clearFunnelStale, runFunnelRefresh } from '../src/jobs/funnel';
import type { JobClock } from '../src/jobs/analytics';
import { fillDemoData } from './demo';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Row = Partial<Record<string, CellValue>>;

const ANALYTICS = templateByKey('analytics');
/** Leads span this many days back from the benchmark day («years of leads in one sheet»). */
export const SPAN_DAYS = 3 * 365;
/** Five managers (issue 16's working day): the demo's three plus two, added to «Справочники» by buildBenchWorld. */
export const MANAGERS = ['Светлана', 'Марина', 'Олег', 'Артём', 'Дарья'] as const;
const PRICES: Record<string, number> = { Personal: 350, Lite: 550, Pro: 1200 };
const IDLE_DAYS = 3;
const OVERDUE_DAYS = 7;
/**
 * «Журнал» at its 5,000-row bound: the benchmark day is the day the sweep archives it (it does every few
 * days), so every size pays for the same branches and the archive is counted.
 */
const JOURNAL_ROWS = 5_000;

const FIRST_NAMES = ['Андрей', 'Мария', 'Игорь', 'Екатерина', 'Дмитрий', 'Олеся', 'Сергей', 'Алина', 'Виктор', 'Наталья',
  'Павел', 'Ольга', 'Тимур', 'Светлана', 'Роман', 'Елена', 'Артур', 'Кирилл', 'Анна', 'Глеб', 'Максим', 'Юлия', 'Денис',
  'Вера', 'Станислав', 'Марат', 'Лиза', 'Георгий', 'Ирина', 'Никита', 'Камила', 'Артём', 'Полина', 'Егор', 'Диана',
  'Фёдор', 'Оксана', 'Валерий', 'Tanya', 'Michael', 'Ekaterina', 'Sergey', 'Anna', 'Roman', 'Ahmed', 'Lev'];
const NICK_WORDS = ['shop', 'store', 'decor', 'beauty', 'ecom', 'kids', 'pets', 'tech', 'art', 'home', 'fashion', 'parts',
  'tools', 'music', 'sport', 'bags', 'skin', 'auto', 'design', 'flowers', 'toys', 'gadgets', 'cosmetics', 'jewelry'];
const CITIES = ['Москва', 'Санкт-Петербург', 'Казань', 'Екатеринбург', 'Новосибирск', 'Минск', 'Алматы', 'Уфа', 'Самара', ''];
const COMPANIES = ['ООО «Альфа Трейд»', 'ИП Соколова', 'ООО «Бетта Групп»', 'ООО «Вектор»', 'ИП Кузнецов', 'Студия «Лето»',
  'ООО «Норд»', 'ИП Миронова', 'ООО «Сфера»', 'ИП Белов', 'ООО «Терра»', ''];
const REQUESTS = ['Хочет подключить Stripe к магазину на Shopify', 'Тариф Pro для двух магазинов', 'Какие документы нужны для верификации',
  'Вопрос по оплате ранее выставленного счёта', 'Тариф Personal, магазин одежды', 'Можно ли продавать цифровые товары',
  'Подключение для интернет-магазина косметики', 'Рекламное письмо'];

export interface BenchSizes {
  leads: number;
  secretaryRows: number;
  callsRows: number;
  invoiceRows: number;
}

/** The other logs, scaled to the number of leads. */
export function sizesFor(leads: number): BenchSizes {
  return { leads, secretaryRows: Math.round(leads / 5), callsRows: Math.round(leads / 20), invoiceRows: Math.round(leads / 10) };
}

// ---- random helpers ------------------------------------------------------------------------------

export interface Dice {
  next(): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
}

export function dice(seed: number): Dice {
  const next = seededRandom(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const day = (d: LocalDate) => localToDateCell(d, MOSCOW);
const at = (d: LocalDate, hour: number, minute: number) => localDateTimeToDate(d, MOSCOW, hour, minute);

/** Промокоды, Тарифы and Партнёры as the demo workbook holds them (what loadReference reads there). */
export function demoReference(): Reference {
  const today = '2026-01-01';
  const rows = (key: SheetKey) => demoWorkbookRows(templateByKey(key), today, MOSCOW) as ReferenceRow[];
  return buildReference({ promoRows: rows('promoCodes'), planRows: rows('planPrices'), partnerRows: rows('partners') }, MOSCOW);
}

// ---- «Аналитика» ----------------------------------------------------------------------------------

/**
 * One lead as a manager leaves it: typed columns only (the rules fill the rest). `first` is the day of
 * first contact; stages follow it by a few days each and never pass `today` (the last day with data).
 */
export function typedLead(d: Dice, index: number, first: LocalDate, today: LocalDate): Row {
  const row: Row = { firstContactDate: day(first), manager: d.pick(MANAGERS) };
  row.name = d.pick(FIRST_NAMES);
  if (!d.chance(0.05)) row.username = `@${d.pick(NICK_WORDS)}_${index.toString(36)}${d.pick(NICK_WORDS).slice(0, 3)}`;
  const account = d.chance(0.6) ? 'Основной' : d.chance(0.62) ? 'Google (BestpaymentsGA)' : 'Яндекс (BestpaymentsYA)';
  row.account = account;
  let partnerLead = false;
  if (account === 'Основной') {
    const r = d.next();
    row.trafficSource = r < 0.35 ? 'Сарафан' : r < 0.6 ? 'Канал на YouTube' : 'Партнёр';
    if (row.trafficSource === 'Партнёр') {
      partnerLead = true;
      const r2 = d.next();
      if (r2 < 0.85) row.promoCode = d.pick(PROMO_CODES)[0];
      else if (r2 < 0.95) row.partner = d.pick(PARTNER_NAMES);
    }
  } else if (d.chance(0.7)) row.trafficSource = account.startsWith('Google') ? 'Гугл' : 'Яндекс';
  if (d.chance(0.003)) row.promoCode = 'SUPER20'; // a code nobody issued: a problem the sheet shows
  if (!d.chance(0.03)) row.plan = d.next() < 0.6 ? 'Personal' : d.chance(0.62) ? 'Lite' : 'Pro';

  // The way through the funnel, each stage a few days after the previous one, cut at today.
  let t = first;
  const stages: Array<[AnalyticsKey, LocalDate]> = [['stageFirstContact', t]];
  const step = (key: AnalyticsKey, min: number, max: number): boolean => {
    t = addDays(t, d.int(min, max));
    if (t > today) return false;
    stages.push([key, t]);
    return true;
  };
  let outcome: 'paid' | 'refused' | 'open' = 'open';
  // A step past `today` fails, and so does every later one: the lead simply has not got there yet.
  const negotiation = d.chance(0.8) && step('stageNegotiation', 0, 3);
  const deciding = negotiation && d.chance(0.7) && step('stageDeciding', 1, 5);
  const link = deciding && d.chance(0.65) && step('stageLinkSent', 1, 4);
  if (negotiation && d.chance(0.08)) step('stageRenegotiation', 5, 20);
  if (link && d.chance(0.6)) {
    if (step('stagePaid', 0, 5)) outcome = 'paid';
  } else if (d.chance(0.45) && step('stageRefused', 1, 10)) outcome = 'refused';
  for (const [key, date] of stages) row[key] = day(date);

  if (outcome === 'paid') {
    const percent = row.promoCode ? PROMO_CODES.find(([c]) => c === row.promoCode)?.[2] ?? 0 : 0;
    const price = PRICES[String(row.plan ?? 'Personal')] ?? 350;
    if (!d.chance(0.02)) row.paidAmount = Math.round(price * (100 - percent)) / 100;
    if (!d.chance(0.02)) row.questionnaireFilled = d.chance(0.9) ? 'Да' : 'Нет';
    if (d.chance(0.7)) row.connectionDate = day(addDays(t, d.int(0, 7)));
    if (partnerLead && d.chance(0.5)) row.projectInfo = `https://${String(row.username ?? 'shop').replace(/[@_]/g, '')}.example.com`;
  } else if (outcome === 'refused') {
    if (!d.chance(0.03)) row.refusalReason = d.pick(REFUSAL_REASONS);
  } else if (d.chance(0.05)) {
    // A contact that moved no stage.
    const contact = addDays(t, d.int(1, 6));
    if (contact <= today) row.lastContact = day(contact);
  }
  if (d.chance(0.03)) {
    row.unusualProject = true;
    row.projectInfo ??= 'Авторские товары на заказ';
  }
  return row;
}

/** First-contact days of `count` leads spread evenly over the span, oldest first (rows are appended). */
function firstContactDays(count: number, today: LocalDate, spanDays: number): LocalDate[] {
  const out: LocalDate[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = addDays(today, -spanDays + Math.floor(((i + 0.5) * spanDays) / count));
  return out;
}

function asAnalyticsRow(row: Row): AnalyticsRow {
  const out = {} as Record<AnalyticsKey, CellValue>;
  for (const c of ANALYTICS.columns) out[c.key as AnalyticsKey] = row[c.key] ?? '';
  return out as AnalyticsRow;
}

/**
 * Leads as the script keeps them on the morning of `today`: the rules applied (partner, discount,
 * prices, current stage, last contact, individual numbers, problems), «Ожидание» set up to yesterday's
 * sweep, «Обновлено» at the last day somebody touched the row.
 */
export function steadyLeads(typed: Row[], ref: Parameters<typeof evaluateSheet>[1], today: LocalDate, seed: number): AnalyticsRow[] {
  const rows = typed.map(asAnalyticsRow);
  const sheetRows: SheetRow[] = rows.map((values, i) => ({ rowNumber: ANALYTICS.headerRow + 1 + i, values }));
  const now = at(today, 5, 0);
  // With the «Подвисла» rule as the script applies it (default days), so a recalculation finds nothing to catch up.
  const stuck = { days: DEFAULT_SETTINGS.stuckDays, workingDays: DEFAULT_SETTINGS.idleWorkingDays };
  const result = evaluateSheet(sheetRows, ref, { today, now, tz: MOSCOW, random: seededRandom(seed + 1), takenNumbers: new Set(), stuck });
  const d = dice(seed + 2);
  const yesterday = addDays(today, -1);
  result.rows.forEach((r, i) => {
    const row = rows[i] as Record<AnalyticsKey, CellValue>;
    Object.assign(row, r.updates);
    row.problems = r.problems.join('; ');
    Object.assign(row, idleSweepUpdates(row as AnalyticsRow, { today: yesterday, idleDays: IDLE_DAYS, workingDays: false, tz: MOSCOW }));
    let touched: Date | null = null;
    for (const k of ['lastContact', 'stagePaid', 'stageRefused'] as const) {
      const v = row[k];
      if (typeof v === 'object' && (touched === null || v.getTime() > touched.getTime())) touched = v;
    }
    if (touched) row.updatedAt = new Date(touched.getTime() + d.int(9 * 60, 19 * 60) * 60_000);
  });
  return rows;
}

/** Typed leads for `count` rows (index offset `from`) with first contact in the span before today. */
export function typedLeads(count: number, today: LocalDate, seed: number, from = 0, spanDays = SPAN_DAYS): Row[] {
  const d = dice(seed);
  // Everything up to yesterday evening: today's leads arrive during the benchmark day.
  const yesterday = addDays(today, -1);
  const rows = firstContactDays(count, today, spanDays).map((first, i) => typedLead(d, from + i, first, yesterday));
  // A few open leads were last contacted exactly «Дней до Ожидания» ago, so today's sweep has leads to
  // mark at every size (a small team may otherwise have none on a given day).
  const contact = addDays(today, -IDLE_DAYS);
  let wanted = Math.max(4, Math.round(count / 1_000));
  for (let i = rows.length - 1; i >= 0 && wanted > 0; i--) {
    const r = rows[i];
    if (r.stagePaid || r.stageRefused || (r.firstContactDate as Date).getTime() > day(contact).getTime()) continue;
    r.lastContact = day(contact);
    for (const k of ['stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageRenegotiation'] as const) {
      if (typeof r[k] === 'object' && (r[k] as Date).getTime() > day(contact).getTime()) delete r[k];
    }
    wanted--;
  }
  return rows;
}

// ---- the logs ---------------------------------------------------------------------------------------

export function secretaryRows(count: number, today: LocalDate, seed: number): Row[] {
  const d = dice(seed + 10);
  // The log runs through yesterday (the 11:00 summary covers yesterday) and this morning.
  return firstContactDays(count, addDays(today, 1), SPAN_DAYS).map((date) => secretaryEntry(d, at(date, d.int(9, date === today ? 10 : 18), d.int(0, 59))));
}

/** One contact the secretary logs at `when`. */
export function secretaryEntry(d: Dice, when: Date): Row {
  const channel = d.pick(['Входящий звонок', 'Заявка с сайта', 'Входящее письмо', 'Звонок на консультацию']);
  const spam = d.chance(0.08);
  const company = d.pick(COMPANIES);
  return {
    dateTime: when,
    channel, client: `${d.pick(FIRST_NAMES)} ${d.pick(['Иванов', 'Петрова', 'Сидоров', 'Кузнецова', 'Смирнов', 'Орлова'])}`,
    company, contact: d.chance(0.5) ? `+7 9${d.int(10, 99)} ${d.int(100, 999)}-${d.int(10, 99)}-${d.int(10, 99)}` : `client${d.int(1, 99999)}@example.com`,
    city: d.pick(CITIES), personType: company ? 'Юр.' : 'Физ.', newClient: d.chance(0.7) ? 'Да' : 'Нет',
    request: spam ? 'Реклама услуг' : d.pick(REQUESTS), transferredTo: spam ? '' : d.pick(MANAGERS),
    outcome: spam ? 'Спам' : d.pick(['Заявка оформлена', 'Перезвонить', 'Консультация', 'Консультация', 'Отказ']),
    comment: d.chance(0.1) ? 'Просил перезвонить после 15:00' : '',
  };
}

/** One row per manager per day, newest day first going back; today one manager has not filled in yet. */
export function callsRows(count: number, today: LocalDate, seed: number): Row[] {
  const d = dice(seed + 20);
  const rows: Row[] = [];
  for (let back = 0; rows.length < count; back++) {
    const date = addDays(today, -back);
    for (const manager of MANAGERS) {
      if (rows.length >= count) break;
      if (back === 0 && manager === 'Олег') continue;
      rows.push(callsEntry(d, date, manager));
    }
  }
  return rows.reverse();
}

/** A manager's calls of `date` as the head of sales logs them. */
export function callsEntry(d: Dice, date: LocalDate, manager: string): Row {
  return {
    date: day(date), manager, incomingCalls: d.int(0, 9), outgoingCalls: d.int(2, 14), mailRequests: d.int(0, 4),
    existingClientCalls: d.int(0, 6), comment: d.chance(0.03) ? 'Полдня на обучении' : '',
  };
}

export function invoiceRows(count: number, today: LocalDate, seed: number): Row[] {
  const d = dice(seed + 30);
  const yesterday = addDays(today, -1);
  const rows = firstContactDays(count, addDays(today, 1), SPAN_DAYS).map((issued, i) => {
    const row = invoiceEntry(d, issued, 1000 + i);
    const amount = row.amount as number;
    const r = d.next();
    const paidOn = addDays(issued, d.int(0, 10));
    if (r < 0.65 && paidOn <= today) { row.paymentDate = day(paidOn); row.paidAmount = amount; }
    else if (r < 0.75 && paidOn <= today) { row.paymentDate = day(paidOn); row.paidAmount = Math.round(amount / 2); }
    return row;
  });
  // A few unpaid invoices were issued exactly «Дней до просрочки» + 1 days ago: today they turn «Просрочен».
  const issued = addDays(today, -OVERDUE_DAYS - 1);
  for (let j = 0; j < Math.max(2, Math.round(count / 500)) && j < rows.length; j++) {
    const row = rows[rows.length - 1 - j];
    row.issueDate = day(issued);
    delete row.paymentDate;
    delete row.paidAmount;
  }
  // As yesterday's run left them.
  for (const row of rows) row.status = invoiceStatus(row as never, yesterday, MOSCOW, OVERDUE_DAYS);
  return rows;
}

/** A new, unpaid invoice number `n` issued on `issued`. */
export function invoiceEntry(d: Dice, issued: LocalDate, n: number): Row {
  const amount = d.chance(0.8) ? d.pick([350, 550, 1200]) : d.int(200, 5000);
  return {
    number: `С-${n}`, issueDate: day(issued), manager: d.pick(MANAGERS), client: d.pick(COMPANIES) || `Клиент ${n}`,
    channel: d.pick(['Входящий звонок', 'Исходящий звонок', 'Заявка']), amount,
  };
}

function journalRows(count: number, today: LocalDate): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      time: at(addDays(today, -1 - Math.floor(i / 400)), 12, i % 60), user: 'manager@example.com', sheet: ANALYTICS.name,
      cell: `W${2 + i}`, oldValue: '', newValue: '23.11.2026', source: 'правка',
    });
  }
  return rows;
}

// ---- the world ------------------------------------------------------------------------------------

/** Replaces every data row of a template sheet with `rows` (keys → columns by header), uncounted. */
export function writeSheetRows(env: GasEnvironment, ss: Spreadsheet, key: SheetKey, rows: Row[]): void {
  env.ctx.recorder.quiet(() => {
    const def = templateByKey(key);
    const sheet = ss.getSheetByName(def.name)!;
    const width = Math.max(1, sheet.getLastColumn());
    const map = mapHeaders(sheet.getRange(def.headerRow, 1, 1, width).getValues()[0], def.columns);
    const write = cellWriter(def, map);
    const existing = sheet.getLastRow() - def.headerRow;
    if (existing > 0) sheet.getRange(def.headerRow + 1, 1, existing, width).clearContent();
    if (rows.length === 0) return;
    const needed = def.headerRow + rows.length;
    if (needed > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), needed - sheet.getMaxRows());
    const out = rows.map((r) => {
      const line: unknown[] = new Array(width).fill('');
      for (const [k, v] of Object.entries(r)) {
        const i = map.index.get(k);
        if (i !== undefined && v !== undefined) line[i] = write(i, v);
      }
      return line;
    });
    sheet.getRange(def.headerRow + 1, 1, out.length, width).setValues(out);
  });
}

/**
 * Every bench manager is on the list the «Менеджер» dropdowns read (the demo has three): a row of their
 * own on «Менеджеры» where the workbook has that sheet, else the managers column of «Справочники».
 */
function addManagers(env: GasEnvironment, ss: Spreadsheet): void {
  env.ctx.recorder.quiet(() => {
    const own = SHEET_TEMPLATES.find((d) => d.key === 'managers');
    const sheet = own ? ss.getSheetByName(own.name) : null;
    if (own && sheet) {
      const map = mapHeaders(sheet.getRange(own.headerRow, 1, 1, Math.max(1, sheet.getLastColumn())).getValues()[0], own.columns);
      const nameCol = map.index.get('name')!;
      const listed = new Set(sheet.getRange(own.headerRow + 1, nameCol + 1, Math.max(1, sheet.getLastRow() - own.headerRow), 1).getValues().map((r) => String(r[0])));
      const rows = MANAGERS.filter((m) => !listed.has(m)).map((m, i) => {
        const line: unknown[] = new Array(Math.max(1, sheet.getLastColumn())).fill('');
        line[nameCol] = m;
        const email = map.index.get('email');
        if (email !== undefined) line[email] = `manager${i + 4}@example.com`;
        const active = map.index.get('active');
        if (active !== undefined) line[active] = 'Да';
        return line;
      });
      if (rows.length > 0) sheet.getRange(sheet.getLastRow() + 1, 1, rows.length, rows[0].length).setValues(rows);
      return;
    }
    const def = templateByKey('lists');
    const lists = ss.getSheetByName(def.name)!;
    const map = mapHeaders(lists.getRange(def.headerRow, 1, 1, Math.max(1, lists.getLastColumn())).getValues()[0], def.columns);
    const col = map.index.get('managers')! + 1;
    lists.getRange(def.headerRow + 1, col, MANAGERS.length, 1).setValues(MANAGERS.map((m) => [m]));
  });
}

export interface BenchWorld {
  env: GasEnvironment;
  ss: Spreadsheet;
  sizes: BenchSizes & { masterRows: number };
  /** Moves the virtual clock to `HH:MM` Moscow time of the benchmark day (or of `date`). */
  setTime(time: string, date?: LocalDate): void;
  clock(): JobClock;
  /** Removes the emulator's globals. */
  uninstall(): void;
}

/**
 * A spreadsheet set up from the templates with the demo reference data (managers, promo codes,
 * partners with emails, plan prices, settings with recipients) and `leads` generated leads, as it stands
 * at 05:00 on `today`. The emulator's services are installed as globals until `uninstall()`.
 */
export function buildBenchWorld(leads: number, opts: { seed?: number; today?: LocalDate } = {}): BenchWorld {
  const seed = opts.seed ?? 1;
  const today = opts.today ?? '2026-11-23';
  const yesterday = addDays(today, -1);
  // Resolved here, not at load: scripts/bench-pure.ts bundles this file for es2019, where import.meta is empty.
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const env = createGasEnvironment({ seed, manifest: readManifest(join(root, 'dist', 'appsscript.json')), now: at(yesterday, 20, 0).getTime() });
  const emu = env.world.createSpreadsheet('Продажи', { owner: env.ctx.ownerEmail });
  env.world.setActive(emu);
  const uninstall = env.install();
  const ss = emu as unknown as Spreadsheet;
  const sizes = sizesFor(leads);
  const setTime = (time: string, date: LocalDate = today) => {
    const [h, m] = time.split(':').map(Number);
    env.ctx.clock.set(at(date, h, m).getTime());
  };
  const clock = (): JobClock => ({ now: new Date(env.ctx.clock.now()), random: env.ctx.random, user: 'owner@example.com' });
  const quiet = <T>(fn: () => T): T => env.ctx.recorder.quiet(fn);
  try {
    quiet(() => {
      runSetup(ss);
      fillDemoData(env, new Date(env.ctx.clock.now()));
    });
    addManagers(env, ss);
    writeSheetRows(env, ss, 'analytics', steadyLeads(typedLeads(leads, today, seed), demoReference(), today, seed) as unknown as Row[]);
    writeSheetRows(env, ss, 'secretaryLog', secretaryRows(sizes.secretaryRows, today, seed));
    writeSheetRows(env, ss, 'calls', callsRows(sizes.callsRows, today, seed));
    writeSheetRows(env, ss, 'invoices', invoiceRows(sizes.invoiceRows, today, seed));
    // Yesterday evening's partner sync and dashboard, then a log of ordinary size.
    env.beginExecution('installableTrigger');
    quiet(() => {
      runPartnerSync(ss, clock());
      runFunnelRefresh(ss, clock());
      // Yesterday's 19:45 email left the lead index that today's 19:45 starts from (issue #16).
      readLeadsForReport(ss, ss.getSheetByName(templateByKey('analytics').name)!, { refresh: true });
      clearFunnelStale();
      saveSettingsSnapshot(loadSettings(ss).settings);
    });
    env.endExecution();
    writeSheetRows(env, ss, 'journal', journalRows(JOURNAL_ROWS, today));
    // Grids as the script leaves them when it grows a sheet: no spare rows, so an append inserts rows
    // at every size (instead of only where an earlier run happened to leave room).
    quiet(() => {
      for (const key of ['journal', 'affiliates'] as const) {
        const sheet = ss.getSheetByName(templateByKey(key).name)!;
        const spare = sheet.getMaxRows() - sheet.getLastRow();
        if (spare > 0) sheet.deleteRows(sheet.getLastRow() + 1, spare);
      }
    });
    const masterRows = quiet(() => ss.getSheetByName(templateByKey('affiliates').name)!.getLastRow() - 1);
    setTime('05:00');
    return { env, ss, sizes: { ...sizes, masterRows }, setTime, clock, uninstall };
  } catch (error) {
    uninstall();
    throw error;
  }
}
