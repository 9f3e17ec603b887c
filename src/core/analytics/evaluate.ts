// The «Аналитика» row rules (SPEC §3.1) as one pure pass: parse what the manager typed, derive the auto
// columns, list the problems. A value typed by a manager is never removed: it is either normalised
// (a date string becomes a date, `t.me/nick` becomes `@nick`) or kept as typed with a problem.
import type { LocalDate } from '../dates';
import type { Reference } from '../reference';
import {
  cellText, isBlank, localDateMs, localToDateCell, looksLikeFormula, readAmountCell, readDateCell, sameCell, type DateCell,
  type DateReading,
} from './cells';
import { isDate } from '../text';
import { idleWaitingDate, type IdleOptions } from './idle';
import { generateIndividualNumber, INDIVIDUAL_NUMBER, latinPairCode, numberKey, numberLetters } from './individual-number';
import { msg } from './messages';
import { discountedPrice } from './pricing';
import { findPromo } from './promo';
import { nameKey, partnerKey } from './promo-code';
import { ACTIVITY_STAGE_KEYS, clearStageDates, DATE_KEYS, headerOf, newStageDates, STAGE_KEYS, type StageDates } from './stages';
import { SOURCE_PARTNER, sourceImpliedByAccount } from './traffic-source';
import { stuckAfter } from './stuck';
import {
  ANALYTICS_KEYS, type AnalyticsKey, type AnalyticsRow, type CellValue, type EvalContext, type RowResult,
  type RowUpdates, type SheetResult, type SheetRow, type SheetRowResult,
} from './types';
import { cleanNickDisplay, readUsername } from './username';

/** Columns the script owns (protected): derived, so they may be cleared when their source is cleared. */
const SCRIPT_KEYS = new Set<AnalyticsKey>(['discountPercent', 'planPrice', 'discountedPrice', 'currentStage', 'problems', 'stuckSince', 'updatedAt']);
/** Every column a manager types (not the script's own): a row holds a lead when any of them is filled. */
export const MANAGER_KEYS: readonly AnalyticsKey[] = ANALYTICS_KEYS.filter((k) => !SCRIPT_KEYS.has(k));
const FIRST_IS_MANAGER_KEY = MANAGER_KEYS.includes('firstContactDate');
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
  // A date (or any object) in «Дата первого взаимодействия» is a filled cell: read by name, it answers for
  // almost every lead without the keyed (megamorphic) reads of the loop.
  if (FIRST_IS_MANAGER_KEY && typeof row.firstContactDate === 'object' && row.firstContactDate !== null) return false;
  for (const key of MANAGER_KEYS) if (!isBlank(row[key])) return false;
  return true;
}

/**
 * What one evaluation yields. A single object reused for every row (evaluateCore fills it, the caller takes
 * what it keeps before the next row): a 100,000-row pass allocates only what its results hold.
 */
interface Evaluation {
  updates: RowUpdates;
  problems: string[];
  /** `@nick` when the username is valid (sheet-wide duplicate check). */
  nick: string | null;
  /** The individual number as it will read after the update (typed or generated). */
  individualNumber: string | null;
  /** The typed number when it is there but not read (a formula as text): it still counts as taken. */
  unreadNumber: string | null;
  /**
   * The letters of a number still to be generated (evaluateSheet generates them after its pass, once every
   * typed number is known); null when none is due.
   */
  pendingLetters: string | null;
}

const out: Evaluation = { updates: {}, problems: [], nick: null, individualNumber: null, unreadNumber: null, pendingLetters: null };

/** Records `value` for `key` unless the cell already holds it. */
function put(row: AnalyticsRow, updates: RowUpdates, key: AnalyticsKey, value: CellValue): void {
  // `delete` only when there is something to delete: it is a slow runtime call even for a missing key.
  if (sameCell(row[key], value)) {
    if (updates[key] !== undefined) delete updates[key];
  } else updates[key] = value;
}

/**
 * put() of a date cell (midnight of `date` in `tz`), comparing time values: a steady sheet already holds
 * the date, so no Date is allocated just to be compared and dropped.
 */
function putDate(row: AnalyticsRow, updates: RowUpdates, key: AnalyticsKey, date: LocalDate, tz: string): void {
  const ms = localDateMs(date, tz);
  const current = row[key];
  if (typeof current === 'object' && isDate(current) && current.getTime() === ms) {
    if (updates[key] !== undefined) delete updates[key];
  } else updates[key] = new Date(ms);
}

/** Reused for every date cell: the 100,000-row sweep should not allocate an options object per cell. */
const reading: DateReading = { column: '', acceptMarks: false, today: '', tz: '' };
/** The date columns with what reading them needs, worked out once instead of per cell. */
const DATE_COLUMNS: ReadonlyArray<{ key: AnalyticsKey; header: string; marks: boolean }> =
  DATE_KEYS.map((key) => ({ key, header: headerOf(key), marks: MARK_KEYS.has(key) }));
const dateIndex = (key: AnalyticsKey): number => DATE_KEYS.indexOf(key);
const FIRST_CONTACT = dateIndex('firstContactDate');
const LAST_CONTACT = dateIndex('lastContact');
const WAITING = dateIndex('stageWaiting');
const NOT_IN_FUTURE: ReadonlyArray<{ index: number; header: string }> =
  NOT_IN_FUTURE_KEYS.map((key) => ({ index: dateIndex(key), header: headerOf(key) }));
const STAGE_COLUMNS: ReadonlyArray<{ index: number; key: (typeof STAGE_KEYS)[number]; header: string }> =
  STAGE_KEYS.map((key) => ({ index: dateIndex(key), key, header: headerOf(key) }));
/** Per-row scratch, reused (never kept past a row): the cells and the dates read, by DATE_COLUMNS index. */
const dateOf: Array<LocalDate | undefined> = DATE_KEYS.map(() => undefined);
const dateValues: Array<CellValue | undefined> = DATE_KEYS.map(() => undefined);
/** For idleWaitingDate only (it takes StageDates); the other stage rules read dateOf directly. */
const stageDates: StageDates = newStageDates();
const ACTIVITY_INDEXES: readonly number[] = ACTIVITY_STAGE_KEYS.map(dateIndex);
const STAGE_HEADERS: readonly string[] = DATE_KEYS.map(headerOf);

/** The date cells of a row into dateValues, read by name (see mayHoldFormulaByName). */
function readDateValuesByName(r: AnalyticsRow): void {
  dateValues[0] = r.firstContactDate;
  dateValues[1] = r.connectionDate;
  dateValues[2] = r.stageFirstContact;
  dateValues[3] = r.stageNegotiation;
  dateValues[4] = r.stageDeciding;
  dateValues[5] = r.stageLinkSent;
  dateValues[6] = r.stageWaiting;
  dateValues[7] = r.stageRenegotiation;
  dateValues[8] = r.stagePaid;
  dateValues[9] = r.stageRefused;
  dateValues[10] = r.lastContact;
}
const readDateValues: (row: AnalyticsRow) => void = DATE_KEYS.join() === [
  'firstContactDate', 'connectionDate', 'stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent',
  'stageWaiting', 'stageRenegotiation', 'stagePaid', 'stageRefused', 'lastContact',
].join() ? readDateValuesByName : (row) => DATE_KEYS.forEach((key, c) => { dateValues[c] = row[key]; });

/** newestActivityStage over dateOf. */
function newestActivity(): LocalDate | null {
  let newest: LocalDate | null = null;
  for (const i of ACTIVITY_INDEXES) {
    const d = dateOf[i];
    if (d !== undefined && (newest === null || d > newest)) newest = d;
  }
  return newest;
}

/** currentStageHeader over dateOf: the latest stage date, ties to the later stage. */
function currentStageOfDates(): string {
  let best = -1;
  let bestDate = '';
  for (const { index } of STAGE_COLUMNS) {
    const d = dateOf[index];
    if (d !== undefined && d >= bestDate) {
      best = index;
      bestDate = d;
    }
  }
  return best < 0 ? '' : STAGE_HEADERS[best];
}

/**
 * A text whose first character is '=' or whitespace: what looksLikeFormula goes on to check. Small enough
 * to be inlined 25 times over, unlike looksLikeFormula; a true here is checked exactly, column by column.
 */
const mayStartFormula = (v: CellValue | undefined): boolean =>
  typeof v === 'string' && v !== '' && (v.charCodeAt(0) === 61 || v.charCodeAt(0) <= 32);

/**
 * True when some manager column could hold a formula pasted as text; only such a row pays for the
 * per-column check. The columns are read by name: a keyed read per column (row[key]) is a megamorphic
 * lookup, the costliest part of this check over a whole sheet.
 */
function mayHoldFormulaByName(r: AnalyticsRow): boolean {
  const f = mayStartFormula;
  return f(r.firstContactDate) || f(r.manager) || f(r.name) ||
    f(r.username) || f(r.account) || f(r.trafficSource) ||
    f(r.promoCode) || f(r.partner) || f(r.plan) ||
    f(r.connectionDate) || f(r.stageFirstContact) || f(r.stageNegotiation) ||
    f(r.stageDeciding) || f(r.stageLinkSent) || f(r.stageWaiting) ||
    f(r.stageRenegotiation) || f(r.stagePaid) || f(r.stageRefused) ||
    f(r.lastContact) || f(r.questionnaireFilled) || f(r.paidAmount) ||
    f(r.individualNumber) || f(r.refusalReason) || f(r.unusualProject) ||
    f(r.projectInfo);
}
/** The columns mayHoldFormulaByName reads, to check it against MANAGER_KEYS. */
const BY_NAME_KEYS: readonly AnalyticsKey[] = [
  'firstContactDate', 'manager', 'name', 'username', 'account', 'trafficSource', 'promoCode', 'partner', 'plan',
  'connectionDate', 'stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageWaiting',
  'stageRenegotiation', 'stagePaid', 'stageRefused', 'lastContact', 'questionnaireFilled', 'paidAmount',
  'individualNumber', 'refusalReason', 'unusualProject', 'projectInfo',
];
/** Should a manager column be added to the template and not above, the keyed loop stays correct. */
const mayHoldFormula: (row: AnalyticsRow) => boolean = MANAGER_KEYS.every((k) => BY_NAME_KEYS.includes(k))
  ? mayHoldFormulaByName
  : (row) => MANAGER_KEYS.some((key) => looksLikeFormula(row[key]));

function idleOptionsOf(ctx: EvalContext): IdleOptions | null {
  return ctx.idle ? { idleDays: ctx.idle.idleDays, workingDays: ctx.idle.workingDays, today: ctx.today, tz: ctx.tz } : null;
}

/**
 * Evaluates one row into `out` (fresh updates and problems; the facts for the sheet-wide checks). With
 * `deferNumber` a number due is not generated but left in out.pendingLetters for the caller.
 */
function evaluateCore(
  row: AnalyticsRow, ref: Reference, ctx: EvalContext, idle: IdleOptions | null, previous: Partial<AnalyticsRow> | undefined,
  deferNumber: boolean,
): Evaluation {
  const updates: RowUpdates = {};
  const problems: string[] = [];
  out.updates = updates;
  out.problems = problems;
  out.nick = null;
  out.individualNumber = null;
  out.unreadNumber = null;
  out.pendingLetters = null;

  if (isRowEmpty(row)) {
    for (const key of CLEARED_ON_EMPTY_ROW) if (!isBlank(row[key])) updates[key] = '';
    return out;
  }
  const { today, tz } = ctx;

  // A formula pasted as text is kept and flagged; no other rule reads that cell.
  let suspicious: Set<AnalyticsKey> | null = null;
  if (mayHoldFormula(row)) {
    for (const key of MANAGER_KEYS) {
      if (looksLikeFormula(row[key])) {
        (suspicious ??= new Set()).add(key);
        problems.push(msg.formulaText(headerOf(key)));
      }
    }
  }
  const usable = suspicious === null ? ALWAYS_USABLE : (key: AnalyticsKey): boolean => !suspicious!.has(key);

  if (isBlank(row.firstContactDate)) problems.push(msg.firstContactMissing);
  if (isBlank(row.name)) problems.push(msg.nameMissing);
  if (isBlank(row.manager)) problems.push(msg.managerMissing);

  // Dates: typed strings, marks and serial numbers become Date cells; the unreadable stay with a problem.
  let lastContactUnreadable = false;
  let waitingUnreadable = false;
  reading.today = today;
  reading.tz = tz;
  readDateValues(row);
  for (let c = 0; c < DATE_COLUMNS.length; c++) {
    dateOf[c] = undefined;
    const { key, header, marks } = DATE_COLUMNS[c];
    const value = dateValues[c];
    if (isBlank(value)) continue;
    let unreadable = !usable(key);
    if (!unreadable) {
      reading.column = header;
      reading.acceptMarks = marks;
      const cell = readDateCell(value, reading);
      if (cell.kind === 'date') {
        dateOf[c] = cell.date;
        if (cell.written) updates[key] = localToDateCell(cell.date, tz);
      } else if (cell.kind === 'bad') {
        unreadable = true;
        problems.push(cell.problem);
      }
    }
    if (unreadable && c === LAST_CONTACT) lastContactUnreadable = true;
    if (unreadable && c === WAITING) waitingUnreadable = true;
  }
  for (const { index, header } of NOT_IN_FUTURE) {
    const d = dateOf[index];
    if (d !== undefined && d > today) problems.push(msg.futureDate(header, d));
  }
  const first = dateOf[FIRST_CONTACT];
  if (first !== undefined) {
    for (const { index, header } of STAGE_COLUMNS) {
      const d = dateOf[index];
      if (d !== undefined && d < first) problems.push(msg.stageBeforeFirstContact(header, d, first));
    }
  }

  // «Последний контакт» follows the newest stage (not «Ожидание», which is no contact); a later typed
  // contact stays, and a future typo in a stage does not drag it along.
  let lastContact = dateOf[LAST_CONTACT];
  const newest = newestActivity();
  if (newest !== null && newest <= today && !lastContactUnreadable &&
      (lastContact === undefined || lastContact < newest)) {
    lastContact = newest;
    putDate(row, updates, 'lastContact', newest, tz);
  }

  const paid = !isBlank(row.stagePaid);
  const refused = !isBlank(row.stageRefused);
  if (idle !== null && !paid && !refused) {
    const waitingDate = dateOf[WAITING];
    const waiting: DateCell = waitingUnreadable ? { kind: 'bad', problem: '' }
      : waitingDate !== undefined ? { kind: 'date', date: waitingDate, written: false }
      : { kind: 'empty' };
    clearStageDates(stageDates);
    for (const { index, key } of STAGE_COLUMNS) stageDates[key] = dateOf[index];
    const date = idleWaitingDate(stageDates, lastContact ?? null, waiting, idle);
    if (date !== null) {
      dateOf[WAITING] = date;
      putDate(row, updates, 'stageWaiting', date, tz);
    }
  }
  put(row, updates, 'currentStage', currentStageOfDates());
  if (ctx.stuck) {
    // stuckSince over dateOf: closed leads and leads without a (past) stage date are not stuck.
    const moved = paid || refused ? null : newestActivity();
    const since = moved === null || moved > today ? null : stuckAfter(moved, today, ctx.stuck);
    if (since === null) put(row, updates, 'stuckSince', '');
    else putDate(row, updates, 'stuckSince', since, tz);
  }

  // Username → @nick. `display` is `@nick`; the nick itself is only needed for the number's letters,
  // which are the same with the leading @.
  let display: string | null = null;
  if (usable('username')) {
    const typed = cellText(row.username);
    display = typed === '' ? null : cleanNickDisplay(typed);
    if (display === null && typed !== '') {
      const u = readUsername(row.username);
      if (u.kind === 'nick') display = u.display;
      else if (u.kind === 'bad') problems.push(msg.badUsername(u.typed));
    }
    if (display !== null) {
      out.nick = display;
      put(row, updates, 'username', display);
    }
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
  const paidAmount = row.paidAmount;
  // A positive number (what a steady sheet holds) needs nothing: readAmountCell would say so via a new object.
  if (usable('paidAmount') && !(typeof paidAmount === 'number' && paidAmount > 0 && Number.isFinite(paidAmount))) {
    const amount = readAmountCell(paidAmount);
    if (amount.kind === 'amount' && amount.written) put(row, updates, 'paidAmount', amount.amount);
    else if (amount.kind === 'bad') problems.push(amount.problem);
  }
  if (paid && isBlank(row.paidAmount)) problems.push(msg.paidWithoutAmount);
  if (usable('questionnaireFilled')) {
    const answer = cellText(row.questionnaireFilled);
    // The two spellings the rule itself writes, without lower-casing (a new string) per row.
    const key = answer === 'Да' ? 'да' : answer === 'Нет' ? 'нет' : answer.toLowerCase();
    if (key === 'да' || QUESTIONNAIRE_YES.has(key)) put(row, updates, 'questionnaireFilled', 'Да');
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
        const letters = numberLetters(nickOf(display), usable('name') ? cellText(row.name) : '');
        if (letters.expected === null) problems.push(msg.individualNumberNoLetters);
        else if (deferNumber) out.pendingLetters = letters.expected;
        else {
          const generated = generateIndividualNumber(letters.expected, ctx.random, ctx.takenNumbers);
          if (generated === null) problems.push(msg.individualNumberExhausted);
          else {
            updates.individualNumber = generated;
            out.individualNumber = generated;
          }
        }
      }
    } else {
      out.individualNumber = typed;
      if (!INDIVIDUAL_NUMBER.test(typed)) problems.push(msg.badIndividualNumber(typed));
      else {
        // numberLetters' check on char codes: the letters of the nick or of the name, or none to check.
        const name = usable('name') ? cellText(row.name) : '';
        const fromNick = display === null ? -1 : latinPairCode(display);
        const fromName = name === '' ? -1 : latinPairCode(name, true);
        // Both are ASCII letters (INDIVIDUAL_NUMBER): | 32 lower-cases them.
        const typedPair = ((typed.charCodeAt(3) | 32) << 8) | (typed.charCodeAt(4) | 32);
        if ((fromNick !== -1 || fromName !== -1) && typedPair !== fromNick && typedPair !== fromName) {
          problems.push(msg.individualNumberLetters(typed, numberLetters(nickOf(display), name).expected!));
        }
      }
    }
  } else {
    const typed = cellText(row.individualNumber);
    if (typed !== '') out.unreadNumber = typed;
  }

  return out;
}

/** The nick without its @, only where a number's letters are worked out: no string per row otherwise. */
function nickOf(display: string | null): string | null {
  return display === null ? null : display.slice(1);
}

/** Adds the «Проблемы» text to `updates` when it changes. */
function finish(row: AnalyticsRow, updates: RowUpdates, problems: string[]): void {
  const text = problems.length === 0 ? '' : problems.join(PROBLEM_SEPARATOR);
  if (!sameCell(row.problems, text)) updates.problems = text;
}

/**
 * Evaluates one row. `previous` is the row as it was before the manager's edit, when known (onEdit):
 * it tells a partner filled from the old promo code (replaced when the code changes) from a partner
 * chosen by hand (kept; a contradiction with the code is reported). Duplicates across rows are found by
 * evaluateSheet only.
 */
export function evaluateRow(row: AnalyticsRow, ref: Reference, ctx: EvalContext, previous?: Partial<AnalyticsRow>): RowResult {
  const { updates, problems } = evaluateCore(row, ref, ctx, idleOptionsOf(ctx), previous, false);
  finish(row, updates, problems);
  return { updates, problems };
}

/** FNV-1a of a string's UTF-16 code units (repeatedKeys' table; equal strings, equal hashes). */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

/** Indexes of the rows sharing each key, for keys held by more than one row. */
function repeatedKeys(keys: (string | null)[]): Array<number[]> {
  // Which keys repeat, by an open-addressing table in two typed arrays sized once: a Set of 100,000 keys
  // grows (and rehashes) about 15 times. Only when something repeats is a second pass made, against the
  // small set of repeated keys.
  let count = 0;
  for (let index = 0; index < keys.length; index++) if (keys[index] !== null) count++;
  if (count < 2) return [];
  let size = 16;
  while (size < count * 2) size *= 2;
  const mask = size - 1;
  const firstRow = new Int32Array(size).fill(-1);
  const hashes = new Int32Array(size);
  let repeated: Set<string> | null = null;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key === null) continue;
    const h = hashOf(key);
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const row = firstRow[slot];
      if (row < 0) {
        firstRow[slot] = index;
        hashes[slot] = h;
        break;
      }
      if (hashes[slot] === h && keys[row] === key) {
        (repeated ??= new Set()).add(key);
        break;
      }
    }
  }
  if (repeated === null) return [];
  // In order of each key's first row, as a Map lists them.
  const groups = new Map<string, number[]>();
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    if (key === null || !repeated.has(key)) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]);
    else group.push(index);
  }
  return [...groups.values()];
}

/**
 * Evaluates every row, then the sheet-wide rules: a repeated individual number is a problem on every row
 * that carries it; a repeated nick is a warning on each of its rows. Every individual number typed anywhere
 * in the sheet is added to `ctx.takenNumbers` first, so a generated one never repeats a later row's.
 */
export function evaluateSheet(rows: SheetRow[], ref: Reference, ctx: EvalContext): SheetResult {
  const n = rows.length;
  const taken = ctx.takenNumbers;
  const idle = idleOptionsOf(ctx);
  // What each row's evaluation yields, kept in parallel arrays (no object per row beyond the results).
  // Filled by push (packed arrays); the duplicate keys are taken here, not in two more passes.
  const updatesOf: RowUpdates[] = [];
  const problemsOf: string[][] = [];
  const nicks: (string | null)[] = [];
  const numbers: (string | null)[] = [];
  const nickKeys: (string | null)[] = [];
  const numberKeys: (string | null)[] = [];
  // Rows whose number is generated after the pass (in row order, as before: the same random draws), so
  // that every typed number is taken first without a separate pass over the sheet to collect them.
  let pending: number[] | null = null;
  let pendingLetters: string[] | null = null;
  for (let i = 0; i < n; i++) {
    const e = evaluateCore(rows[i].values, ref, ctx, idle, undefined, true);
    updatesOf.push(e.updates);
    problemsOf.push(e.problems);
    nicks.push(e.nick);
    numbers.push(e.individualNumber);
    nickKeys.push(e.nick === null ? null : e.nick.toLowerCase());
    if (e.individualNumber === null) {
      numberKeys.push(null);
      if (e.unreadNumber !== null) taken.add(numberKey(e.unreadNumber));
      if (e.pendingLetters !== null) {
        (pending ??= []).push(i);
        (pendingLetters ??= []).push(e.pendingLetters);
      }
    } else {
      const key = numberKey(e.individualNumber);
      numberKeys.push(key);
      taken.add(key);
    }
  }
  if (pending !== null) {
    for (let p = 0; p < pending.length; p++) {
      const i = pending[p];
      const generated = generateIndividualNumber(pendingLetters![p], ctx.random, taken);
      // The last rule of a row: its problem goes after the others, as when generated in the pass.
      if (generated === null) problemsOf[i].push(msg.individualNumberExhausted);
      else {
        updatesOf[i].individualNumber = generated;
        numbers[i] = generated;
        numberKeys[i] = numberKey(generated);
      }
    }
  }
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
        problemsOf[i].push(rowMessage(shown(i), others));
      }
    }
  };
  mark(numberKeys, msg.duplicateIndividualNumber, msg.sheetDuplicateNumber, (i) => numbers[i] ?? '');
  mark(nickKeys, msg.duplicateUsername, msg.sheetDuplicateNick, (i) => nicks[i] ?? '');

  const results: SheetRowResult[] = [];
  for (let i = 0; i < n; i++) {
    const updates = updatesOf[i];
    const problems = problemsOf[i];
    finish(rows[i].values, updates, problems);
    results.push({ rowNumber: rows[i].rowNumber, updates, problems });
  }
  return { rows: results, problems: sheetProblems };
}
