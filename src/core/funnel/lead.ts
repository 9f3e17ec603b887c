// One «Аналитика» row read for the funnel: which stage cells are set, their dates, the current stage.
// Filled into a reused scratch object so a 100,000-row pass allocates almost nothing per row.
import type { LocalDate } from '../dates';
import { isBlank, readAmountCell, readDateCell, type DateReading } from '../analytics/cells';
import { readStageValues, STAGE_KEYS, type StageKey } from '../analytics/stages';
import type { AnalyticsKey, AnalyticsRow, CellValue } from '../analytics/types';
import { dayOfInstant, dayOfLocal, dayOfShifted, fixedOffsetSpan, NO_DAY, type Day, type FixedOffsetSpan } from './day';

export const STAGE_COUNT = STAGE_KEYS.length;

/**
 * The columns that make a row a lead for the funnel: who the client is (name, nick, account), the first
 * contact and manager, what the dashboard counts (source, code, partner, plan, stages, amount, refusal).
 * A row with only a note («Что за проект?», «Анкета», …) is not a lead. Kept short on purpose: every
 * column is read at each redraw, 100,000 cells per column at 100,000 leads.
 */
export const LEAD_KEYS: readonly AnalyticsKey[] = [
  'firstContactDate', 'manager', 'name', 'username', 'account', 'trafficSource', 'promoCode', 'partner', 'plan', ...STAGE_KEYS,
  'paidAmount', 'refusalReason',
];

function holdsLead(row: AnalyticsRow): boolean {
  return holdsLeadWith(row, row.firstContactDate);
}

/** holdsLead given the row's first-contact cell, already read by the caller. */
function holdsLeadWith(row: AnalyticsRow, first: CellValue | undefined): boolean {
  // «Дата первого взаимодействия» by name first: it is filled on almost every lead, and a keyed read
  // (row[key]) per row is a megamorphic lookup.
  if (first !== '' && first !== undefined && !isBlank(first)) return true;
  for (const key of LEAD_KEYS) if (!isBlank(row[key])) return true;
  return false;
}
const indexOf = (key: StageKey): number => STAGE_KEYS.indexOf(key);

/** The main path, in funnel order (indices into STAGE_KEYS). */
export const MAIN_STAGE_KEYS: readonly StageKey[] = ['stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stagePaid'];
/** Side stages: a lead may pass through them, or end in «Отказ», off the main path. */
export const SIDE_STAGE_KEYS: readonly StageKey[] = ['stageWaiting', 'stageRenegotiation', 'stageRefused'];
export const MAIN_STAGE_INDEX: readonly number[] = MAIN_STAGE_KEYS.map(indexOf);
export const SIDE_STAGE_INDEX: readonly number[] = SIDE_STAGE_KEYS.map(indexOf);
export const PAID = indexOf('stagePaid');
export const REFUSED = indexOf('stageRefused');
export const WAITING = indexOf('stageWaiting');

export interface LeadFacts {
  firstContact: LocalDate | null;
  /** Bit i set when the cell of STAGE_KEYS[i] holds anything (a date, a mark, or unreadable text). */
  reached: number;
  /** Date of each stage when it reads as one. */
  dates: (LocalDate | null)[];
  /**
   * Index of the current stage: the latest date, ties to the later stage (as «Текущий этап» is derived;
   * the cell itself is not trusted). -1 when no stage holds a readable date.
   */
  current: number;
  /** Position on the main path (0…4) of the furthest main stage reached, -1 when none. */
  deepestMain: number;
}

export function newLeadFacts(): LeadFacts {
  return { firstContact: null, reached: 0, dates: new Array<LocalDate | null>(STAGE_COUNT).fill(null), current: -1, deepestMain: -1 };
}

export interface LeadReader {
  /** Fills `facts` from `row`; false for a row that holds no lead (none of LEAD_KEYS is filled). */
  read(row: AnalyticsRow, facts: LeadFacts): boolean;
  /** «Последний контакт» and the other plain date cells, read the same way. */
  date(value: AnalyticsRow[keyof AnalyticsRow] | undefined, marks: boolean): LocalDate | null;
}

export function leadReader(today: LocalDate, tz: string): LeadReader {
  // Marks (x, +, ✓) not yet turned into dates by the row rules mean «today», as they will.
  const stageReading: DateReading = { column: '', acceptMarks: true, today, tz };
  const stageValues: Array<CellValue | undefined> = STAGE_KEYS.map(() => undefined);
  const plainReading: DateReading = { column: '', acceptMarks: false, today, tz };
  const date = (value: AnalyticsRow[keyof AnalyticsRow] | undefined, marks: boolean): LocalDate | null => {
    const cell = readDateCell(value, marks ? stageReading : plainReading);
    return cell.kind === 'date' ? cell.date : null;
  };
  return {
    date,
    read(row, facts) {
      if (!holdsLead(row)) return false;
      facts.firstContact = date(row.firstContactDate, false);
      let reached = 0;
      let current = -1;
      let currentDate = '';
      readStageValues(row, stageValues);
      for (let i = 0; i < STAGE_COUNT; i++) {
        const cell = readDateCell(stageValues[i], stageReading);
        if (cell.kind === 'empty') {
          facts.dates[i] = null;
          continue;
        }
        reached |= 1 << i;
        if (cell.kind === 'date') {
          facts.dates[i] = cell.date;
          if (cell.date >= currentDate) {
            current = i;
            currentDate = cell.date;
          }
        } else facts.dates[i] = null;
      }
      facts.reached = reached;
      facts.current = current;
      facts.deepestMain = deepestMainOf(reached);
      return true;
    },
  };
}

/** Position on the main path (0…4) of the furthest main stage set in a `reached` mask, -1 when none. */
export function deepestMainOf(reached: number): number {
  let deepest = -1;
  for (let p = 0; p < MAIN_STAGE_INDEX.length; p++) if (reached & (1 << MAIN_STAGE_INDEX[p])) deepest = p;
  return deepest;
}

/**
 * readAmountCell's amount, null when it has none. A positive number (what the column holds once the row
 * rules ran) is taken as is, without a result object per paid lead.
 */
export function readAmount(value: CellValue | null | undefined): number | null {
  if (typeof value === 'number' && value > 0 && value < Infinity) return value;
  const cell = readAmountCell(value);
  return cell.kind === 'amount' ? cell.amount : null;
}

export const hasStage = (facts: { reached: number }, index: number): boolean => (facts.reached & (1 << index)) !== 0;

/** LeadFacts with dates as day numbers (see ./day): what the funnel and the 19:45 summary read. */
export interface LeadDays {
  /** NO_DAY when the cell does not read as a date. */
  firstContact: Day;
  /** As LeadFacts.reached. */
  reached: number;
  /** Day of each stage when it reads as one, else NO_DAY. */
  days: Day[];
  /** As LeadFacts.current. */
  current: number;
}

export function newLeadDays(): LeadDays {
  return { firstContact: NO_DAY, reached: 0, days: new Array<Day>(STAGE_COUNT).fill(NO_DAY), current: -1 };
}

/**
 * leadReader's reading with day numbers: a Date cell becomes a number without a string or a shared cell
 * object, and dates compare as numbers. Anything else goes through readDateCell, so both agree.
 */
export class LeadDayReader {
  readonly today: Day;
  private readonly stageReading: DateReading;
  private readonly plainReading: DateReading;
  private readonly stageValues: Array<CellValue | undefined> = STAGE_KEYS.map(() => undefined);
  private readonly fixed: FixedOffsetSpan;

  constructor(private readonly todayDate: LocalDate, private readonly tz: string) {
    this.today = dayOfLocal(todayDate);
    this.fixed = fixedOffsetSpan(tz);
    // Marks (x, +, ✓) not yet turned into dates by the row rules mean «today», as they will.
    this.stageReading = { column: '', acceptMarks: true, today: todayDate, tz };
    this.plainReading = { column: '', acceptMarks: false, today: todayDate, tz };
  }

  /** The day of a date cell; NO_DAY for an empty or unreadable one. */
  day(value: CellValue | null | undefined, marks: boolean): Day {
    if (value instanceof Date) {
      const ms = value.getTime();
      if (ms === ms) {
        // not NaN: a valid date. Inside the zone's fixed-offset span, no offset lookup per cell.
        const fixed = this.fixed;
        if (ms >= fixed.from && ms < fixed.to) return dayOfShifted(ms + fixed.offset);
        return dayOfInstant(ms, this.tz);
      }
    }
    if (value === '') return NO_DAY;
    const cell = readDateCell(value, marks ? this.stageReading : this.plainReading);
    if (cell.kind !== 'date') return NO_DAY;
    return cell.date === this.todayDate ? this.today : dayOfLocal(cell.date);
  }

  /** Fills `facts` from `row`; false for a row that holds no lead (none of LEAD_KEYS is filled). */
  read(row: AnalyticsRow, facts: LeadDays): boolean {
    const first = row.firstContactDate;
    if (!holdsLeadWith(row, first)) return false;
    facts.firstContact = this.day(first, false);
    const values = this.stageValues;
    const days = facts.days;
    readStageValues(row, values);
    let reached = 0;
    let current = -1;
    let currentDay = NO_DAY;
    for (let i = 0; i < STAGE_COUNT; i++) {
      const value = values[i];
      // An empty cell first: about half the stage cells of a lead are.
      if (value === '') {
        days[i] = NO_DAY;
        continue;
      }
      const day = this.day(value, true);
      days[i] = day;
      // An unreadable cell (text that is no date) still counts as reached; only a blank one does not.
      if (day === NO_DAY && isBlank(value)) continue;
      reached |= 1 << i;
      // Ties go to the later stage, as «Текущий этап» is derived.
      if (day !== NO_DAY && day >= currentDay) {
        current = i;
        currentDay = day;
      }
    }
    facts.reached = reached;
    facts.current = current;
    return true;
  }
}
