// «Настройки»: every setting once — its Russian name, default, description and how a sheet value is
// read. The Настройки template is generated from SETTING_DEFS, so a setting's name lives only here.
// Pure: the caller reads the sheet and passes { name, value } rows.
// zod/mini, not the classic `zod`: its functions tree-shake (see sheets-templates/schema.ts).
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { formatRuDateTime, MOSCOW, zonedParts } from './dates';
import { headerKey, isDate, isEmail } from './text';

// Classic zod registers its English messages itself; zod/mini leaves issues without a text.
z.config(en());

export interface TimeOfDay { hour: number; minute: number }

export interface Settings {
  /** Recipients of the 11:00 secretary summary; empty → leadershipEmails. */
  secretaryRecipients: string[];
  /** Recipients of the 19:45 head-of-sales summary; empty → leadershipEmails. */
  headOfSalesRecipients: string[];
  secretaryReportTime: TimeOfDay;
  headOfSalesReportTime: TimeOfDay;
  /** Managers without a «Звонки» row for today by this time are named in the РОП summary. */
  callsDeadline: TimeOfDay;
  /** Days without activity before a lead gets «Ожидание». */
  idleDays: number;
  /** Count idle days Mon–Fri only (also the days before «Подвисла»). */
  idleWorkingDays: boolean;
  /** A lead whose stage has not moved for more than this many days is «Подвисла» (seed 002: 2). */
  stuckDays: number;
  /** When the morning «Кого дожать сегодня» email goes to each manager. */
  managersReportTime: TimeOfDay;
  /** Editors of protected sheets and columns. */
  leadershipEmails: string[];
  /** Failure alerts; empty → leadershipEmails. */
  adminEmails: string[];
  /** ISO 4217 code, upper case. */
  currency: string;
  /** Manager commission: percent of the paid amount… */
  managerCommissionPercent: number;
  /** …plus a fixed sum per paid invoice or paid lead (seed 003: 5 % + 100); «Менеджеры» may override both. */
  managerCommissionFixed: number;
  /** An unpaid invoice older than this many days is «Просрочен». */
  invoiceOverdueDays: number;
  /** A manager who has not edited «Аналитика» for this many days is flagged in the РОП summary. */
  staleAnalyticsDays: number;
  /** «Журнал» rows kept before old entries are archived. */
  journalMaxRows: number;
  /** «Журнал (архив)» rows kept; older ones are deleted (the spreadsheet's 10 M cells are finite). */
  journalArchiveMaxRows: number;
}
export type SettingKey = keyof Settings;

interface SettingDef<T> {
  name: string;
  description: string;
  default: T;
  /** Value for the local demo workbook when it differs from the default (example addresses). */
  demo?: string;
  /** Validates the coerced value; every message is Russian and may name the bad part. */
  schema: z.ZodMiniType<T>;
  /** Sheet value (string, number, boolean, Date) → the candidate the schema checks. */
  coerce: (raw: unknown, tz: string) => unknown;
  /** How a value is written into the sheet. */
  format: (value: T) => string;
  /** The usable part of a value the schema rejects (some addresses of a list), with what to say about it. */
  salvage?: (candidate: unknown) => { value: T; note: string } | null;
}

const EMAIL_HINT = 'не похоже на email';

/**
 * The addresses of a recipients cell, as typed: entries split by `,` `;` or a line break; `Name <a@b.ru>`
 * and `"Name" <a@b.ru>` give the address; words without «@» next to one address are a name written without
 * brackets. Anything else is kept as typed, so the schema names it. Repeats (any case) are dropped.
 */
export function addressCandidates(raw: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (s: string) => {
    const e = s.trim().replace(/^mailto:/i, '');
    const k = e.toLowerCase();
    if (e && !seen.has(k)) { seen.add(k); out.push(e); }
  };
  for (const entry of String(raw).split(/[,;\r\n]+/)) {
    const part = entry.trim();
    if (!part) continue;
    const named = /<([^<>]*)>\s*$/.exec(part);
    if (named) { push(named[1]); continue; }
    const words = part.split(/\s+/);
    const withAt = words.filter((w) => w.includes('@'));
    // One address among plain words: «Секретарь office@firma.ru»; no «@» at all: shown whole.
    if (withAt.length === 0) push(part);
    else for (const w of withAt.length === 1 ? withAt : words) push(w);
  }
  return out;
}

function emailsSetting(name: string, description: string, demo?: string): SettingDef<string[]> {
  return {
    name, description, default: [], demo,
    schema: z.array(z.string()).check(z.superRefine((list, ctx) => {
      const bad = list.filter((e) => !isEmail(e));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `${EMAIL_HINT}: ${bad.map((e) => `«${e}»`).join(', ')}` });
    })),
    coerce: (raw) => addressCandidates(raw),
    // One bad address must not re-route the report: the valid ones still get it.
    salvage: (candidate) => {
      const good = Array.isArray(candidate) ? candidate.filter((e): e is string => typeof e === 'string' && isEmail(e)) : [];
      return good.length > 0 ? { value: good, note: `пропущено, действуют остальные адреса: ${good.join(', ')}` } : null;
    },
    format: (v) => v.join(', '),
  };
}

const TIME_HINT = 'нужно время в формате ЧЧ:ММ';
const timeSchema = z.object({
  hour: z.number().check(z.int(TIME_HINT), z.minimum(0, TIME_HINT), z.maximum(23, TIME_HINT)),
  minute: z.number().check(z.int(TIME_HINT), z.minimum(0, TIME_HINT), z.maximum(59, TIME_HINT)),
}, { error: TIME_HINT });

export function formatTimeOfDay(t: TimeOfDay): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

function fromMinutes(total: number): TimeOfDay {
  const m = ((total % 1440) + 1440) % 1440;
  return { hour: Math.floor(m / 60), minute: m % 60 };
}

function timeSetting(name: string, description: string, hour: number, minute: number): SettingDef<TimeOfDay> {
  return {
    name, description, default: { hour, minute },
    schema: timeSchema,
    coerce: (raw, tz) => {
      // Sheets returns a time cell as a Date on 1899-12-30 at that wall-clock time in the
      // spreadsheet zone; rounding to the minute absorbs the odd seconds of historical offsets.
      if (isDate(raw)) {
        const p = zonedParts(raw, tz);
        return fromMinutes(p.hour * 60 + p.minute + (p.second >= 30 ? 1 : 0));
      }
      if (typeof raw === 'number' && raw >= 0 && raw < 1) return fromMinutes(Math.round(raw * 1440));
      const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(String(raw).trim());
      return m ? { hour: Number(m[1]), minute: Number(m[2]) } : raw;
    },
    format: formatTimeOfDay,
  };
}

/** '1 200,50', ' 5 ', '5%' → numbers; anything else is passed through for the schema to reject. */
function toNumber(raw: unknown, allowPercentSign: boolean): unknown {
  if (typeof raw === 'number') return raw;
  let s = String(raw).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (allowPercentSign) s = s.replace(/%$/, '');
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : raw;
}

function integerSetting(name: string, description: string, def: number, min: number, max: number): SettingDef<number> {
  const hint = `нужно целое число от ${min} до ${max}`;
  return {
    name, description, default: def,
    schema: z.number(hint).check(z.int(hint), z.minimum(min, hint), z.maximum(max, hint)),
    coerce: (raw) => toNumber(raw, false),
    format: String,
  };
}

function numberSetting(name: string, description: string, def: number, min: number, max: number, percent = false): SettingDef<number> {
  const hint = `нужно число от ${min} до ${max.toLocaleString('ru-RU')}`;
  return {
    name, description, default: def,
    schema: z.number(hint).check(z.minimum(min, hint), z.maximum(max, hint)),
    coerce: (raw) => toNumber(raw, percent),
    format: (v) => String(v).replace('.', ','),
  };
}

const BOOL_HINT = 'нужно «Да» или «Нет»';
const TRUE_WORDS = new Set(['да', 'true', 'истина', 'yes', '1']);
const FALSE_WORDS = new Set(['нет', 'false', 'ложь', 'no', '0']);

function booleanSetting(name: string, description: string, def: boolean): SettingDef<boolean> {
  return {
    name, description, default: def,
    schema: z.boolean(BOOL_HINT),
    coerce: (raw) => {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      return TRUE_WORDS.has(s) ? true : FALSE_WORDS.has(s) ? false : raw;
    },
    format: (v) => (v ? 'Да' : 'Нет'),
  };
}

const CURRENCY_HINT = 'нужен трёхбуквенный код валюты, например EUR';
const CURRENCY_SIGNS: Record<string, string> = { '€': 'EUR', 'ЕВРО': 'EUR', '$': 'USD', '₽': 'RUB', 'РУБ': 'RUB', 'РУБ.': 'RUB' };

function currencySetting(name: string, description: string, def: string): SettingDef<string> {
  return {
    name, description, default: def,
    schema: z.string(CURRENCY_HINT).check(z.regex(/^[A-Z]{3}$/, CURRENCY_HINT)),
    coerce: (raw) => {
      const s = String(raw).trim().toUpperCase();
      return CURRENCY_SIGNS[s] ?? s;
    },
    format: String,
  };
}

type SettingDefs = { [K in SettingKey]: SettingDef<Settings[K]> };

/** Every setting, in the order of the rows of «Настройки». */
const DEFS: SettingDefs = {
  secretaryRecipients: emailsSetting('Получатели отчёта секретаря',
    'Кому уходит сводка секретаря за вчера. Адреса через запятую. Пусто — на «Email руководства».',
    'director@example.com, office@example.com'),
  headOfSalesRecipients: emailsSetting('Получатели отчёта РОП',
    'Кому уходит вечерняя сводка РОП. Адреса через запятую. Пусто — на «Email руководства».',
    'director@example.com'),
  secretaryReportTime: timeSetting('Время отчёта секретаря',
    'Во сколько (по Москве) уходит сводка секретаря за вчерашний день, ЧЧ:ММ.', 11, 0),
  headOfSalesReportTime: timeSetting('Время отчёта РОП',
    'Во сколько (по Москве) уходит сводка РОП за сегодня, ЧЧ:ММ.', 19, 45),
  callsDeadline: timeSetting('Срок заполнения Звонков',
    'До этого времени заполняется лист «Звонки»; кто не заполнил — назван в отчёте РОП.', 19, 30),
  idleDays: integerSetting('Дней до Ожидания',
    'Сколько дней без движения по лиду, чтобы поставить этап «Ожидание».', 3, 1, 30),
  idleWorkingDays: booleanSetting('Ожидание в рабочих днях',
    'Да — дни до «Ожидания» и до «Подвисла» считаются только по будням (пн–пт); Нет — календарные дни.', false),
  stuckDays: integerSetting('Дней до «Подвисла»',
    'Лид, у которого этап не менялся дольше стольких дней, отмечается в «Аналитике» колонкой «Подвисла с» и попадает в письмо менеджеру.', 2, 1, 30),
  managersReportTime: timeSetting('Время писем менеджерам',
    'Во сколько (по Москве) каждый менеджер получает письмо «Кого дожать сегодня» со своими лидами, ЧЧ:ММ. Адреса — на листе «Менеджеры».', 10, 0),
  leadershipEmails: emailsSetting('Email руководства',
    'Кто может править защищённые листы и столбцы (Настройки, Справочники, % affiliate). Через запятую.',
    'director@example.com'),
  adminEmails: emailsSetting('Email администратора',
    'Куда писать о сбоях автоматизации и о неверных настройках. Пусто — на «Email руководства».',
    'admin@example.com'),
  currency: currencySetting('Валюта',
    'Валюта сумм (оплаты, счета, комиссия), трёхбуквенный код.', 'EUR'),
  managerCommissionPercent: numberSetting('Комиссия менеджера, %',
    'Процент от суммы каждого оплаченного счёта («Счета») и каждой оплаты лида («Аналитика»). Свой процент менеджера — на листе «Менеджеры».', 5, 0, 100, true),
  managerCommissionFixed: numberSetting('Комиссия менеджера за оплаченный счёт',
    'Фиксированная сумма за каждый оплаченный счёт и каждого оплатившего лида, в валюте из «Валюта» (например, 5 % + 100). Своя сумма менеджера — на листе «Менеджеры».', 100, 0, 1_000_000),
  invoiceOverdueDays: integerSetting('Дней до просрочки счёта',
    'Неоплаченный счёт старше стольких дней получает статус «Просрочен».', 7, 1, 365),
  staleAnalyticsDays: integerSetting('Дней без обновления Аналитики',
    'Менеджер, не обновлявший «Аналитику» столько дней, попадает в отчёт РОП.', 3, 1, 60),
  journalMaxRows: integerSetting('Размер журнала, строк',
    'Сколько строк хранит «Журнал»; более старые записи переносятся в архив.', 5000, 1000, 100_000),
  // Rows, not days: the limit that matters is Google's 10 M cells per spreadsheet, and a row bound caps
  // the archive at 7 cells a row however busy the team is. 50,000 rows = 350,000 cells (3.5 % of the
  // cap) — months of ordinary work; 200,000 rows at most (14 %).
  journalArchiveMaxRows: integerSetting('Размер архива журнала, строк',
    'Сколько строк хранит «Журнал (архив)»; более старые записи удаляются насовсем (у таблицы Google предел — 10 млн ячеек).', 50_000, 1000, 200_000),
};

export interface SettingInfo {
  key: SettingKey;
  name: string;
  description: string;
  /** The default as written into the sheet. */
  defaultText: string;
  /** What the local demo workbook holds. */
  demoText: string;
}

function info<K extends SettingKey>(key: K): SettingInfo {
  const d = DEFS[key];
  const defaultText = d.format(d.default);
  return { key, name: d.name, description: d.description, defaultText, demoText: d.demo ?? defaultText };
}

export const SETTING_KEYS = Object.keys(DEFS) as SettingKey[];
/** Every setting in sheet order; the Настройки template is built from this. */
export const SETTING_DEFS: readonly SettingInfo[] = SETTING_KEYS.map(info);
/** The Russian name of each setting, for messages elsewhere («задайте «Email администратора»»). */
export const SETTING_NAMES = Object.fromEntries(SETTING_KEYS.map((k) => [k, DEFS[k].name])) as Record<SettingKey, string>;

export const settingsSchema = z.strictObject(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, DEFS[k].schema])) as { [K in SettingKey]: z.ZodMiniType<Settings[K]> },
);

function defaults(): Settings {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, JSON.parse(JSON.stringify(DEFS[k].default))])) as unknown as Settings;
}
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze(defaults());

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

function display(value: unknown, tz: string): string {
  if (isDate(value)) return formatRuDateTime(value, tz);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value).trim();
}

const keyByName = new Map<string, SettingKey>(SETTING_KEYS.map((k) => [headerKey(DEFS[k].name), k]));

/**
 * Reads the rows of «Настройки». Names match trimmed and case-insensitively; an empty value takes the
 * default; a bad value takes the default and yields a Russian problem naming the setting and the value;
 * an unknown or repeated name is reported too.
 */
export function parseSettings(rows: Array<{ name: string; value: unknown }>, tz: string = MOSCOW): { settings: Settings; problems: string[] } {
  const settings = defaults();
  const problems: string[] = [];
  const seen = new Set<SettingKey>();
  for (const row of rows) {
    const rawName = String(row.name ?? '').trim();
    if (!rawName) continue;
    const key = keyByName.get(headerKey(rawName));
    if (!key) {
      problems.push(`Настройки: неизвестный параметр «${rawName}» — строка не используется`);
      continue;
    }
    // The defs form a correlated union TypeScript cannot follow; each def checks its own value.
    const def = DEFS[key] as SettingDef<unknown>;
    if (seen.has(key)) {
      problems.push(`Настройки: параметр «${def.name}» указан несколько раз — действует первая строка`);
      continue;
    }
    seen.add(key);
    if (isEmpty(row.value)) continue;
    const candidate = def.coerce(row.value, tz);
    const parsed = def.schema.safeParse(candidate);
    if (parsed.success) {
      (settings as unknown as Record<string, unknown>)[key] = parsed.data;
      continue;
    }
    const shown = display(row.value, tz);
    // A detail that only repeats the whole value («boss@» = «boss@») adds nothing.
    const details = [...new Set(parsed.error.issues.map((i) => i.message.replace(`: «${shown}»`, '')))];
    const kept = def.salvage?.(candidate);
    if (kept) (settings as unknown as Record<string, unknown>)[key] = kept.value;
    const fallback = def.format(def.default);
    problems.push(`Настройки: «${def.name}» = «${shown}» — ${details.join('; ')}`
      + (kept ? `; ${kept.note}` : fallback ? `; действует значение по умолчанию «${fallback}»` : '; значение не используется'));
  }
  return { settings, problems };
}

/** Everything at its default: what an empty or freshly created «Настройки» gives. */
export function isDefaultSettings(settings: Settings): boolean {
  return SETTING_KEYS.every((k) => JSON.stringify(settings[k]) === JSON.stringify(DEFAULT_SETTINGS[k]));
}

/** «Настройки» rows holding `settings` (a sheet recreated from the last known settings). */
export function settingsRows(settings: Settings): Array<{ name: string; value: string; description: string }> {
  return SETTING_KEYS.map((k) => {
    const d = DEFS[k] as SettingDef<unknown>;
    return { name: d.name, value: d.format(settings[k] ?? d.default), description: d.description };
  });
}

/** Where a report goes: its own recipients, or leadership when none are set. */
export function reportRecipients(settings: Settings, report: 'secretary' | 'headOfSales'): string[] {
  const own = report === 'secretary' ? settings.secretaryRecipients : settings.headOfSalesRecipients;
  return own.length > 0 ? own : settings.leadershipEmails;
}

/** Where failure alerts go: the admin, or leadership when no admin is set. */
export function alertRecipients(settings: Settings): string[] {
  return settings.adminEmails.length > 0 ? settings.adminEmails : settings.leadershipEmails;
}

/**
 * One setting typed alone («Мастер настройки»): its value and the text «Настройки» gets, or the Russian
 * details of what is wrong. Empty text stands for the default, as in the sheet.
 */
export function checkSettingText(key: SettingKey, raw: unknown, tz: string = MOSCOW): { ok: true; value: unknown; text: string } | { ok: false; details: string[] } {
  const def = DEFS[key] as SettingDef<unknown>;
  if (isEmpty(raw)) return { ok: true, value: def.default, text: '' };
  const parsed = def.schema.safeParse(def.coerce(raw, tz));
  if (parsed.success) return { ok: true, value: parsed.data, text: def.format(parsed.data) };
  return { ok: false, details: [...new Set(parsed.error.issues.map((i) => i.message))] };
}
