// One «Аналитика» row read for the funnel: which stage cells are set, their dates, the current stage.
// Filled into a reused scratch object so a 100,000-row pass allocates almost nothing per row.
import type { LocalDate } from '../dates';
import { isBlank, readDateCell, type DateReading } from '../analytics/cells';
import { readStageValues, STAGE_KEYS, type StageKey } from '../analytics/stages';
import type { AnalyticsKey, AnalyticsRow, CellValue } from '../analytics/types';

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
  // «Дата первого взаимодействия» by name first: it is filled on almost every lead, and a keyed read
  // (row[key]) per row is a megamorphic lookup.
  const first = row.firstContactDate;
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
      let deepest = -1;
      for (let p = 0; p < MAIN_STAGE_INDEX.length; p++) if (reached & (1 << MAIN_STAGE_INDEX[p])) deepest = p;
      facts.reached = reached;
      facts.current = current;
      facts.deepestMain = deepest;
      return true;
    },
  };
}

export const hasStage = (facts: LeadFacts, index: number): boolean => (facts.reached & (1 << index)) !== 0;
