// The «Аналитика» row rules (SPEC §3.1) as one pure pass: parse what the manager typed, derive the auto
// columns, list the problems. A value typed by a manager is never removed: it is either normalised
// (a date string becomes a date, `t.me/nick` becomes `@nick`) or kept as typed with a problem.
import type { LocalDate } from '../dates';
import type { Reference } from '../reference';
import {
  cellText, isBlank, localToDateCell, looksLikeFormula, readAmountCell, readDateCell, sameCell, type DateCell,
  type DateReading,
} from './cells';
import { idleWaitingDate, type IdleOptions } from './idle';
import { generateIndividualNumber, INDIVIDUAL_NUMBER, numberKey, numberLetters } from './individual-number';
import { msg } from './messages';
import { discountedPrice } from './pricing';
import { findPromo } from './promo';
import { nameKey, partnerKey } from './promo-code';
import { currentStageHeader, DATE_KEYS, headerOf, newestActivityStage, STAGE_KEYS, type StageDates } from './stages';
import { SOURCE_PARTNER, sourceImpliedByAccount } from './traffic-source';
import { stuckSince } from './stuck';
import {
  ANALYTICS_KEYS, type AnalyticsKey, type AnalyticsRow, type CellValue, type EvalContext, type RowResult,
  type RowUpdates, type SheetResult, type SheetRow, type SheetRowResult,
} from './types';
import { readUsername } from './username';

/** Columns the script owns (protected): derived, so they may be cleared when their source is cleared. */
const SCRIPT_KEYS = new Set<AnalyticsKey>(['discountPercent', 'planPrice', 'discountedPrice', 'currentStage', 'problems', 'stuckSince', 'updatedAt']);
/** Every column a manager types (not the script's own): a row holds a lead when any of them is filled. */
export const MANAGER_KEYS: readonly AnalyticsKey[] = ANALYTICS_KEYS.filter((k) => !SCRIPT_KEYS.has(k));
const CLEARED_ON_EMPTY_ROW: readonly AnalyticsKey[] = ['discountPercent', 'planPrice', 'discountedPrice', 'currentStage', 'problems', 'stuckSince'];
/** Where x / + / ✓ / TRUE mean «today». */
const MARK_KEYS = new Set<AnalyticsKey>([...STAGE_KEYS, 'lastContact']);
/** Dates that cannot lie ahead of today. «Дата подключения» may be planned, so it is not checked. */
const NOT_IN_FUTURE_KEYS: readonly AnalyticsKey[] = ['firstContactDate', ...STAGE_KEYS, 'lastContact'];
const QUESTIONNAIRE_YES = new Set(['да', 'yes', 'true', 'д']);
const QUESTIONNAIRE_NO = new Set(['нет', 'no', 'false', 'н']);
const PROBLEM_SEPARATOR = '; ';
const ALWAYS_USABLE = (): boolean => true;

/**
 * True when no manager column holds anything (an unticked checkbox counts as empty). Script columns are
 * ignored: a row the manager cleared is empty even if stale «Проблемы» are still there.
 */
export function isRowEmpty(row: AnalyticsRow): boolean {
  for (const key of MANAGER_KEYS) if (!isBlank(row[key])) return false;
  return true;
}

/** What sheet-wide checks need from a row. */
interface RowFacts {
  /** `@nick` when the username is valid. */
  nick: string | null;
  /** The individual number as it will read after the update (typed or generated). */
  individualNumber: string | null;
}

interface Evaluation {
  updates: RowUpdates;
  problems: string[];
  facts: RowFacts;
}

/** Records `value` for `key` unless the cell already holds it. */
function put(row: AnalyticsRow, updates: RowUpdates, key: AnalyticsKey, value: CellValue): void {
  if (sameCell(row[key], value)) delete updates[key];
  else updates[key] = value;
}

/** Reused for every date cell: the 100,000-row sweep should not allocate an options object per cell. */
const reading: DateReading = { column: '', acceptMarks: false, today: '', tz: '' };
/** The date columns with what reading them needs, worked out once instead of per cell. */
const DATE_COLUMNS: ReadonlyArray<{ key: AnalyticsKey; header: string; marks: boolean }> =
  DATE_KEYS.map((key) => ({ key, header: headerOf(key), marks: MARK_KEYS.has(key) }));

function idleOptionsOf(ctx: EvalContext): IdleOptions | null {
  return ctx.idle ? { idleDays: ctx.idle.idleDays, workingDays: ctx.idle.workingDays, today: ctx.today, tz: ctx.tz } : null;
}

function evaluateCore(
  row: AnalyticsRow, ref: Reference, ctx: EvalContext, idle: IdleOptions | null, previous?: Partial<AnalyticsRow>,
): Evaluation {
  const updates: RowUpdates = {};
  const problems: string[] = [];
  const facts: RowFacts = { nick: null, individualNumber: null };

  if (isRowEmpty(row)) {
    for (const key of CLEARED_ON_EMPTY_ROW) if (!isBlank(row[key])) updates[key] = '';
    return { updates, problems, facts };
  }
  const { today, tz } = ctx;

  // A formula pasted as text is kept and flagged; no other rule reads that cell.
  let suspicious: Set<AnalyticsKey> | null = null;
  for (const key of MANAGER_KEYS) {
    if (looksLikeFormula(row[key])) {
      (suspicious ??= new Set()).add(key);
      problems.push(msg.formulaText(headerOf(key)));
    }
  }
  const usable = suspicious === null ? ALWAYS_USABLE : (key: AnalyticsKey): boolean => !suspicious!.has(key);

  if (isBlank(row.firstContactDate)) problems.push(msg.firstContactMissing);
  if (isBlank(row.name)) problems.push(msg.nameMissing);
  if (isBlank(row.manager)) problems.push(msg.managerMissing);

  // Dates: typed strings, marks and serial numbers become Date cells; the unreadable stay with a problem.
  const dates: Partial<Record<AnalyticsKey, LocalDate>> = {};
  let lastContactUnreadable = false;
  let waitingUnreadable = false;
  reading.today = today;
  reading.tz = tz;
  for (const { key, header, marks } of DATE_COLUMNS) {
    const value = row[key];
    if (isBlank(value)) continue;
    let unreadable = !usable(key);
    if (!unreadable) {
      reading.column = header;
      reading.acceptMarks = marks;
      const cell = readDateCell(value, reading);
      if (cell.kind === 'date') {
        dates[key] = cell.date;
        if (cell.written) updates[key] = localToDateCell(cell.date, tz);
      } else if (cell.kind === 'bad') {
        unreadable = true;
        problems.push(cell.problem);
      }
    }
    if (unreadable && key === 'lastContact') lastContactUnreadable = true;
    if (unreadable && key === 'stageWaiting') waitingUnreadable = true;
  }
  for (const key of NOT_IN_FUTURE_KEYS) {
    const d = dates[key];
    if (d !== undefined && d > today) problems.push(msg.futureDate(headerOf(key), d));
  }
  const first = dates.firstContactDate;
  const stageDates: StageDates = {};
  for (const key of STAGE_KEYS) {
    const d = dates[key];
    if (d === undefined) continue;
    stageDates[key] = d;
    if (first !== undefined && d < first) problems.push(msg.stageBeforeFirstContact(headerOf(key), d, first));
  }

  // «Последний контакт» follows the newest stage (not «Ожидание», which is no contact); a later typed
  // contact stays, and a future typo in a stage does not drag it along.
  const newest = newestActivityStage(stageDates);
  if (newest !== null && newest <= today && !lastContactUnreadable &&
      (dates.lastContact === undefined || dates.lastContact < newest)) {
    dates.lastContact = newest;
    put(row, updates, 'lastContact', localToDateCell(newest, tz));
  }

  const paid = !isBlank(row.stagePaid);
  const refused = !isBlank(row.stageRefused);
  if (idle !== null && !paid && !refused) {
    const waiting: DateCell = waitingUnreadable ? { kind: 'bad', problem: '' }
      : stageDates.stageWaiting !== undefined ? { kind: 'date', date: stageDates.stageWaiting, written: false }
      : { kind: 'empty' };
    const date = idleWaitingDate(stageDates, dates.lastContact ?? null, waiting, idle);
    if (date !== null) {
      stageDates.stageWaiting = date;
      put(row, updates, 'stageWaiting', localToDateCell(date, tz));
    }
  }
  put(row, updates, 'currentStage', currentStageHeader(stageDates));
  if (ctx.stuck) {
    const since = stuckSince(stageDates, paid || refused, today, ctx.stuck);
    put(row, updates, 'stuckSince', since === null ? '' : localToDateCell(since, tz));
  }

  // Username → @nick.
  let nick: string | null = null;
  if (usable('username')) {
    const u = readUsername(row.username);
    if (u.kind === 'nick') {
      nick = u.nick;
      facts.nick = u.display;
      put(row, updates, 'username', u.display);
    } else if (u.kind === 'bad') problems.push(msg.badUsername(u.typed));
  }

  // Promo code → partner, discount. `discount` null = unknown (bad code): dependent prices stay as they are.
  let discount: number | null = 0;
  let promoApplied = false;
  let partner = usable('partner') ? cellText(row.partner) : null;
  const code = usable('promoCode') ? cellText(row.promoCode) : null;
  if (code === null) discount = null;
  else if (code === '') {
    if (!isBlank(row.discountPercent)) updates.discountPercent = '';
  } else {
    const promo = findPromo(code, ref);
    if (!promo) {
      problems.push(msg.promoUnknown(code));
      discount = null;
    } else if (!promo.active && !paid && !refused) {
      // A code switched off later does not haunt closed deals made while it was valid.
      problems.push(msg.promoInactive(code));
      discount = null;
    } else {
      promoApplied = true;
      put(row, updates, 'promoCode', promo.code);
      if (partner !== null && promo.partner !== '' && partnerKey(partner) !== partnerKey(promo.partner)) {
        const before = previous ? findPromo(previous.promoCode, ref) : undefined;
        if (partner === '' || (before !== undefined && partnerKey(before.partner) === partnerKey(partner))) {
          partner = promo.partner;
          put(row, updates, 'partner', promo.partner);
        } else problems.push(msg.partnerContradictsPromo(promo.code, promo.partner, partner));
      }
      if (promo.discountPercent === null) {
        problems.push(msg.promoWithoutDiscount(promo.code));
        discount = null;
      } else {
        discount = promo.discountPercent;
        put(row, updates, 'discountPercent', discount);
      }
    }
  }

  // Account / partner → traffic source, only into an empty cell.
  if (usable('trafficSource')) {
    const source = cellText(row.trafficSource);
    const account = usable('account') ? cellText(row.account) : '';
    const implied = sourceImpliedByAccount(account);
    if (implied !== null) {
      if (source === '') put(row, updates, 'trafficSource', implied);
      else if (nameKey(source) !== nameKey(implied)) problems.push(msg.accountContradictsSource(account, implied, source));
    } else if (source === '' && (promoApplied || (partner !== null && partner !== ''))) {
      put(row, updates, 'trafficSource', SOURCE_PARTNER);
    } else if (source === '') {
      problems.push(msg.trafficSourceMissing);
    }
  }

  // Plan → prices.
  if (usable('plan')) {
    const planTyped = cellText(row.plan);
    if (planTyped === '') {
      if (!isBlank(row.planPrice)) updates.planPrice = '';
      if (!isBlank(row.discountedPrice)) updates.discountedPrice = '';
    } else {
      const plan = ref.planByName.get(nameKey(planTyped));
      if (plan === undefined || plan.price === null) problems.push(msg.planPriceMissing(planTyped));
      else {
        put(row, updates, 'planPrice', plan.price);
        if (discount !== null) put(row, updates, 'discountedPrice', discountedPrice(plan.price, discount));
      }
    }
  }

  // Payment and refusal.
  if (paid && refused) problems.push(msg.paidAndRefused);
  if (usable('paidAmount')) {
    const amount = readAmountCell(row.paidAmount);
    if (amount.kind === 'amount' && amount.written) put(row, updates, 'paidAmount', amount.amount);
    else if (amount.kind === 'bad') problems.push(amount.problem);
  }
  if (paid && isBlank(row.paidAmount)) problems.push(msg.paidWithoutAmount);
  if (usable('questionnaireFilled')) {
    const answer = cellText(row.questionnaireFilled);
    const key = answer.toLowerCase();
    if (QUESTIONNAIRE_YES.has(key)) put(row, updates, 'questionnaireFilled', 'Да');
    else if (QUESTIONNAIRE_NO.has(key)) put(row, updates, 'questionnaireFilled', 'Нет');
    else if (answer !== '') problems.push(msg.badQuestionnaire(answer));
  }
  if (paid && isBlank(row.questionnaireFilled)) problems.push(msg.paidWithoutQuestionnaire);
  if (refused && isBlank(row.refusalReason)) problems.push(msg.refusedWithoutReason);

  // Individual number: generated once paid, checked when typed.
  if (usable('individualNumber')) {
    const typed = cellText(row.individualNumber);
    if (typed === '') {
      if (paid) {
        const letters = numberLetters(nick, usable('name') ? cellText(row.name) : '');
        if (letters.expected === null) problems.push(msg.individualNumberNoLetters);
        else {
          const generated = generateIndividualNumber(letters.expected, ctx.random, ctx.takenNumbers);
          if (generated === null) problems.push(msg.individualNumberExhausted);
          else {
            updates.individualNumber = generated;
            facts.individualNumber = generated;
          }
        }
      }
    } else {
      facts.individualNumber = typed;
      const letters = numberLetters(nick, usable('name') ? cellText(row.name) : '');
      if (!INDIVIDUAL_NUMBER.test(typed)) problems.push(msg.badIndividualNumber(typed));
      else if (letters.expected !== null && !letters.accepted.includes(typed.slice(3, 5).toLowerCase())) {
        problems.push(msg.individualNumberLetters(typed, letters.expected));
      }
    }
  }

  return { updates, problems, facts };
}

function finish(row: AnalyticsRow, e: Evaluation): RowResult {
  const text = e.problems.join(PROBLEM_SEPARATOR);
  if (!sameCell(row.problems, text)) e.updates.problems = text;
  return { updates: e.updates, problems: e.problems };
}

/**
 * Evaluates one row. `previous` is the row as it was before the manager's edit, when known (onEdit):
 * it tells a partner filled from the old promo code (replaced when the code changes) from a partner
 * chosen by hand (kept; a contradiction with the code is reported). Duplicates across rows are found by
 * evaluateSheet only.
 */
export function evaluateRow(row: AnalyticsRow, ref: Reference, ctx: EvalContext, previous?: Partial<AnalyticsRow>): RowResult {
  return finish(row, evaluateCore(row, ref, ctx, idleOptionsOf(ctx), previous));
}

/** Indexes of the rows sharing each key, for keys held by more than one row. */
function repeatedKeys(keys: (string | null)[]): Array<number[]> {
  // First sight stores the index alone: an array only for the few keys that repeat.
  const seen = new Map<string, number | number[]>();
  const repeated: Array<number[]> = [];
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key === null) continue;
    const hit = seen.get(key);
    if (hit === undefined) seen.set(key, index);
    else if (typeof hit === 'number') {
      const group = [hit, index];
      seen.set(key, group);
      repeated.push(group);
    } else hit.push(index);
  }
  // In order of each key's first row, as a Map would list them.
  return repeated.sort((a, b) => a[0] - b[0]);
}

/**
 * Evaluates every row, then the sheet-wide rules: a repeated individual number is a problem on every row
 * that carries it; a repeated nick is a warning on each of its rows. Every individual number typed anywhere
 * in the sheet is added to `ctx.takenNumbers` first, so a generated one never repeats a later row's.
 */
export function evaluateSheet(rows: SheetRow[], ref: Reference, ctx: EvalContext): SheetResult {
  for (const r of rows) {
    const typed = cellText(r.values.individualNumber);
    if (typed !== '') ctx.takenNumbers.add(numberKey(typed));
  }
  const idle = idleOptionsOf(ctx);
  const evaluations = rows.map((r) => evaluateCore(r.values, ref, ctx, idle));
  const sheetProblems: string[] = [];

  const mark = (
    keys: (string | null)[],
    rowMessage: (value: string, others: number[]) => string,
    sheetMessage: (value: string, rows: number[]) => string,
    shown: (index: number) => string,
  ): void => {
    for (const indexes of repeatedKeys(keys)) {
      const rowNumbers = indexes.map((i) => rows[i].rowNumber);
      sheetProblems.push(sheetMessage(shown(indexes[0]), rowNumbers));
      for (const i of indexes) {
        const others = rowNumbers.filter((n) => n !== rows[i].rowNumber);
        evaluations[i].problems.push(rowMessage(shown(i), others));
      }
    }
  };
  mark(
    evaluations.map((e) => (e.facts.individualNumber === null ? null : numberKey(e.facts.individualNumber))),
    msg.duplicateIndividualNumber, msg.sheetDuplicateNumber, (i) => evaluations[i].facts.individualNumber ?? '',
  );
  mark(
    evaluations.map((e) => (e.facts.nick === null ? null : e.facts.nick.toLowerCase())),
    msg.duplicateUsername, msg.sheetDuplicateNick, (i) => evaluations[i].facts.nick ?? '',
  );

  const results: SheetRowResult[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const { updates, problems } = finish(rows[i].values, evaluations[i]);
    results[i] = { rowNumber: rows[i].rowNumber, updates, problems };
  }
  return { rows: results, problems: sheetProblems };
}
