// «Менеджеры» (SPEC §3.6): the one place for a manager's name, email and own commission. Pure: the caller
// reads the sheet and passes its rows. A bad cell never stops a report: the row keeps what can be used and
// the problem names the sheet, row and value.
import { managersSheet } from '../../sheets-templates/managers';
import { cellText, isBlank, parseNumberText } from './analytics/cells';
import { addressCandidates } from './settings';
import { headerKey, isEmail } from './text';

export type ManagerKey = 'name' | 'email' | 'commissionPercent' | 'commissionFixed' | 'active';
export const MANAGER_SHEET = managersSheet.name;
const HEADERS = Object.fromEntries(managersSheet.columns.map((c) => [c.key, c.header])) as Record<ManagerKey, string>;

export interface ManagerEntry {
  /** As typed on «Менеджеры» (the spelling reports show). */
  name: string;
  /** headerKey of the name: how «Аналитика», «Счета» … match it (case, ё, spaces do not matter). */
  key: string;
  rowNumber: number;
  /** The address of the morning email; null when empty or unusable. */
  email: string | null;
  /** Own commission; null → the default of «Настройки». */
  commissionPercent: number | null;
  commissionFixed: number | null;
  /** «Активен» is not «Нет»: gets the morning email, is expected in «Звонки». */
  active: boolean;
}

export interface ManagerDirectory {
  entries: ManagerEntry[];
  /** Russian, one per bad cell or repeated name. */
  problems: string[];
}

export interface CommissionRate {
  percent: number;
  fixed: number;
  /** True when «Менеджеры» sets either part for this manager. */
  own: boolean;
}

type Cell = string | number | boolean | Date | null | undefined;

const NO_WORDS = new Set(['нет', 'false', 'ложь', 'no', '0', 'не активен', 'уволен']);

function where(rowNumber: number): string {
  return `«${MANAGER_SHEET}», строка ${rowNumber}`;
}

function readNumber(value: Cell, max: number): number | null | 'bad' {
  if (isBlank(value)) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumberText(value.replace(/%\s*$/, '')) : null;
  return n === null || !Number.isFinite(n) || n < 0 || n > max ? 'bad' : n;
}

/** Reads the rows of «Менеджеры»; blank rows are skipped, a repeated name keeps its first row. */
export function parseManagers(rows: ReadonlyArray<{ rowNumber: number; values: Partial<Record<ManagerKey, Cell>> }>): ManagerDirectory {
  const entries: ManagerEntry[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { rowNumber, values } of rows) {
    const name = cellText(values.name).replace(/\s+/g, ' ').trim();
    if (name === '') {
      if (!isBlank(values.email)) problems.push(`${where(rowNumber)}: указан email, но нет имени менеджера — строка не используется`);
      continue;
    }
    const key = headerKey(name);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(`${where(rowNumber)}: менеджер «${name}» уже есть в строке ${first} — действует та строка`);
      continue;
    }
    seen.set(key, rowNumber);
    let email: string | null = null;
    if (!isBlank(values.email)) {
      const candidates = addressCandidates(cellText(values.email));
      email = candidates.find(isEmail) ?? null;
      if (email === null) problems.push(`${where(rowNumber)}: адрес «${cellText(values.email)}» у менеджера «${name}» не похож на email — утреннее письмо ему не уйдёт`);
    }
    const percent = readNumber(values.commissionPercent, 100);
    if (percent === 'bad') problems.push(`${where(rowNumber)}: «${HEADERS.commissionPercent}» = «${cellText(values.commissionPercent)}» — нужно число от 0 до 100; действует процент из «Настроек»`);
    const fixed = readNumber(values.commissionFixed, 1_000_000);
    if (fixed === 'bad') problems.push(`${where(rowNumber)}: «${HEADERS.commissionFixed}» = «${cellText(values.commissionFixed)}» — нужно число не меньше 0; действует сумма из «Настроек»`);
    const activeText = values.active === false ? 'false' : cellText(values.active).toLowerCase();
    entries.push({
      name, key, rowNumber, email,
      commissionPercent: percent === 'bad' ? null : percent,
      commissionFixed: fixed === 'bad' ? null : fixed,
      active: !NO_WORDS.has(activeText),
    });
  }
  return { entries, problems };
}

export function findManager(directory: ManagerDirectory, name: string): ManagerEntry | undefined {
  const key = headerKey(name);
  return key === '' ? undefined : directory.entries.find((e) => e.key === key);
}

/** The commission of `name`: its own parts from «Менеджеры», the rest from «Настройки». */
export function commissionRate(directory: ManagerDirectory | undefined, name: string, defaults: { percent: number; fixed: number }): CommissionRate {
  const entry = directory ? findManager(directory, name) : undefined;
  const percent = entry?.commissionPercent ?? null;
  const fixed = entry?.commissionFixed ?? null;
  return { percent: percent ?? defaults.percent, fixed: fixed ?? defaults.fixed, own: percent !== null || fixed !== null };
}

/** Commission on one paid invoice or lead: percent of the amount plus the fixed part. */
export function commissionOn(amount: number, rate: Pick<CommissionRate, 'percent' | 'fixed'>): number {
  return (amount * rate.percent) / 100 + rate.fixed;
}

export const EMPTY_DIRECTORY: ManagerDirectory = Object.freeze({ entries: [], problems: [] }) as ManagerDirectory;
