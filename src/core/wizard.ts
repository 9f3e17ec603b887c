// «Мастер настройки» (issue 15): the form, its zod schema and what a submit changes — pure. The fields
// come from the settings definitions (core/settings.ts) and from the «Менеджеры» template, never from a
// list of their own, so a setting or column added later shows up by itself. src/jobs/wizard.ts reads
// the sheets and writes what planSettingWrites / planManagerWrites return.
import * as z from 'zod/mini';
import type { ColumnDef, SheetDef } from '../../sheets-templates/schema';
import { authorityPhrase, type Authority } from './access';
import { countOf, type PluralForms } from './plural';
import { addressCandidates, checkSettingText, DEFAULT_SETTINGS, SETTING_DEFS, SETTING_KEYS, type SettingKey } from './settings';
import { headerKey, isDate, isEmail } from './text';
import { formatRuDateTime, MOSCOW } from './dates';

// ---- the form --------------------------------------------------------------------------------------

export type SettingFieldKind = 'emails' | 'time' | 'number' | 'boolean' | 'text';

export interface WizardSettingField {
  key: SettingKey;
  name: string;
  description: string;
  kind: SettingFieldKind;
  /** What the form shows: the value as «Настройки» holds it, or the typed text when it is not valid. */
  value: string;
  /** The default, shown as a hint. */
  defaultText: string;
  required: boolean;
}

export type ManagerFieldKind = 'text' | 'email' | 'percent' | 'number' | 'choice' | 'boolean';

export interface WizardManagerColumn {
  key: string;
  header: string;
  kind: ManagerFieldKind;
  note?: string;
  /** 'choice': the allowed values, as the sheet spells them. */
  choices?: string[];
  min?: number;
  max?: number;
}

export interface WizardManagers {
  sheet: string;
  /** The column that names a manager: rows are matched by it (trimmed, any case, ё = е). */
  nameKey: string;
  columns: WizardManagerColumn[];
  /** Current rows with a name, as the form shows them. */
  rows: Array<Record<string, string>>;
}

export interface WizardForm {
  settings: WizardSettingField[];
  /** null when the templates have no «Менеджеры» sheet. */
  managers: WizardManagers | null;
}

const LEADERSHIP: SettingKey = 'leadershipEmails';

function settingKind(key: SettingKey): SettingFieldKind {
  const d: unknown = DEFAULT_SETTINGS[key];
  if (Array.isArray(d)) return 'emails';
  if (typeof d === 'object' && d !== null) return 'time';
  if (typeof d === 'number') return 'number';
  if (typeof d === 'boolean') return 'boolean';
  return 'text';
}

/**
 * The settings the wizard asks for: every address list (leadership, recipients, admin), every time
 * (reports, deadlines, the managers' email), the currency, and the day counts of «Ожидание» / «Подвисла».
 * Leadership first: it is the one that must not stay empty.
 */
export function wizardSettingKeys(): SettingKey[] {
  const info = new Map(SETTING_DEFS.map((s) => [s.key, s]));
  const wanted = SETTING_KEYS.filter((k) => {
    const kind = settingKind(k);
    if (kind === 'emails' || kind === 'time' || k === 'currency') return true;
    return (kind === 'number' || kind === 'boolean') && /ожидан|подвис/i.test(info.get(k)!.name);
  });
  return [...wanted.filter((k) => k === LEADERSHIP), ...wanted.filter((k) => k !== LEADERSHIP)];
}

/** A cell of «Настройки» as the form shows it: the canonical text when it is valid, else as typed. */
export function settingFormText(key: SettingKey, raw: unknown): string {
  const checked = checkSettingText(key, raw);
  if (checked.ok) return checked.text;
  return isDate(raw) ? formatRuDateTime(raw, MOSCOW) : String(raw ?? '').trim();
}

/** The column naming a manager: the template's row key, or «Менеджер», or the first column. */
function nameColumn(def: SheetDef): ColumnDef {
  return def.columns.find((c) => c.key === def.initialRowKey)
    ?? def.columns.find((c) => headerKey(c.header) === 'менеджер')
    ?? def.columns.find((c) => c.key === 'name')
    ?? def.columns[0];
}

/** The columns of «Менеджеры» a person fills (not the ones the script computes), typed for the form. */
export function managerColumns(def: SheetDef): { nameKey: string; columns: WizardManagerColumn[] } {
  const name = nameColumn(def);
  const columns: WizardManagerColumn[] = [];
  for (const c of def.columns) {
    if (c.edit === 'script' || c.edit === 'system' || c.type === 'date' || c.type === 'datetime') continue;
    const base = { key: c.key, header: c.header, note: c.note };
    const v = c.validation;
    if (c.key === name.key) columns.push({ ...base, kind: 'text' });
    else if (v?.kind === 'values') columns.push({ ...base, kind: 'choice', choices: [...v.values] });
    else if (c.type === 'checkbox') columns.push({ ...base, kind: 'boolean' });
    else if (c.type === 'email') columns.push({ ...base, kind: 'email' });
    else if (c.type === 'percent') columns.push({ ...base, kind: 'percent', min: v?.kind === 'number' ? v.min ?? 0 : 0, max: v?.kind === 'number' ? v.max ?? 100 : 100 });
    else if (c.type === 'money' || c.type === 'number' || c.type === 'integer') {
      columns.push({ ...base, kind: 'number', min: v?.kind === 'number' ? v.min ?? 0 : 0, max: v?.kind === 'number' ? v.max : undefined });
    } else columns.push({ ...base, kind: 'text' });
  }
  // The name first, whatever the template's order.
  columns.sort((a, b) => Number(b.key === name.key) - Number(a.key === name.key));
  return { nameKey: name.key, columns };
}

/** A cell of «Менеджеры» as the form shows it. */
export function managerFormText(value: unknown, column: WizardManagerColumn): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return column.kind === 'boolean' ? String(value) : value ? 'Да' : 'Нет';
  if (typeof value === 'number') return String(value).replace('.', ',');
  if (isDate(value)) return formatRuDateTime(value, MOSCOW);
  return String(value).trim();
}

export interface WizardSources {
  /** «Настройки» by setting: the value cell as read (absent: no row for it). */
  settings: ReadonlyMap<SettingKey, unknown>;
  managersDef: SheetDef | null;
  managersSheet?: string;
  /** Rows of «Менеджеры» by column key, as read. */
  managerRows: ReadonlyArray<Record<string, unknown>>;
}

export function buildWizardForm(src: WizardSources): WizardForm {
  const info = new Map(SETTING_DEFS.map((s) => [s.key, s]));
  const settings = wizardSettingKeys().map((key): WizardSettingField => {
    const s = info.get(key)!;
    return { key, name: s.name, description: s.description, kind: settingKind(key), value: settingFormText(key, src.settings.get(key) ?? ''), defaultText: s.defaultText, required: key === LEADERSHIP };
  });
  if (!src.managersDef) return { settings, managers: null };
  const { nameKey, columns } = managerColumns(src.managersDef);
  const rows = src.managerRows
    .filter((r) => String(r[nameKey] ?? '').trim() !== '')
    .map((r) => Object.fromEntries(columns.map((c) => [c.key, managerFormText(r[c.key], c)])));
  return { settings, managers: { sheet: src.managersSheet ?? src.managersDef.name, nameKey, columns, rows } };
}

// ---- the answers -----------------------------------------------------------------------------------

/** What the dialog sends and `npm start -- --job wizard --answers FILE.json` reads. Absent: left as it is. */
export interface WizardAnswersInput {
  /** By setting key (see wizardSettingKeys): the text as it would be typed into «Настройки». */
  settings?: Record<string, string | number | boolean>;
  /** One object per manager, by column key of «Менеджеры»; matched by name, never deleted. */
  managers?: Array<Record<string, string | number | boolean | null>>;
}

export type ManagerCell = string | number | boolean;

export interface WizardAnswers {
  settings: Array<{ key: SettingKey; name: string; text: string }>;
  managers: Array<{ name: string; values: Record<string, ManagerCell> }>;
}

function unknownKeys(where: string, known: readonly string[]) {
  return (issue: { code?: string; keys?: string[] }) => (issue.code === 'unrecognized_keys'
    ? `${where}: неизвестные поля ${(issue.keys ?? []).map((k) => `«${k}»`).join(', ')} (есть: ${known.join(', ')})`
    : `${where}: нужен объект`);
}

/** The zod schema of the answers to `form`: the shape, then every field checked, each message naming it. */
export function wizardAnswersSchema(form: WizardForm) {
  const settingKeys = form.settings.map((f) => f.key);
  const settingShape = Object.fromEntries(form.settings.map((f) => [f.key,
    z.optional(z.union([z.string(), z.number(), z.boolean()], { error: `${f.name}: нужен текст` }))]));
  const columns = form.managers?.columns ?? [];
  const managerShape = Object.fromEntries(columns.map((c) => [c.key,
    z.optional(z.union([z.string(), z.number(), z.boolean(), z.null()], { error: `${c.header}: нужен текст, число или да/нет` }))]));
  return z.strictObject({
    settings: z.optional(z.strictObject(settingShape, { error: unknownKeys('Настройки', settingKeys) })),
    managers: z.optional(z.array(z.strictObject(managerShape, { error: unknownKeys('Менеджер', columns.map((c) => c.key)) }),
      { error: 'Менеджеры: нужен список' })),
  }, { error: unknownKeys('Ответы мастера', ['settings', 'managers']) })
    .check(z.superRefine((answers, ctx) => {
      for (const message of answerProblems(answers as WizardAnswersInput, form)) ctx.addIssue({ code: 'custom', message });
    }));
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

/** '5', '5,5', '5 %', '1 200,50' → a number; null when it is none. */
function readNumber(raw: unknown, percent: boolean): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  let s = text(raw).replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (percent) s = s.replace(/%$/, '');
  return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

const YES = new Set(['да', 'true', 'истина', 'yes', '1']);
const NO = new Set(['нет', 'false', 'ложь', 'no', '0']);

/** A manager's answer in the type its column stores, or the Russian hint of what it should be. */
function managerValue(raw: unknown, c: WizardManagerColumn): { value: ManagerCell } | { hint: string } {
  if (c.kind === 'boolean') {
    if (typeof raw === 'boolean') return { value: raw };
    const s = text(raw).toLowerCase();
    if (s === '') return { value: false };
    return YES.has(s) ? { value: true } : NO.has(s) ? { value: false } : { hint: 'нужно «Да» или «Нет»' };
  }
  const typed = text(raw);
  if (typed === '') return { value: '' };
  switch (c.kind) {
    case 'email': {
      const list = addressCandidates(typed);
      const bad = list.filter((e) => !isEmail(e));
      return bad.length ? { hint: 'не похоже на email' } : { value: list.join(', ') };
    }
    case 'percent':
    case 'number': {
      const n = readNumber(raw, c.kind === 'percent');
      const min = c.min ?? 0;
      const ok = n !== null && n >= min && (c.max === undefined || n <= c.max);
      if (ok) return { value: n };
      return { hint: c.max === undefined ? `нужно число не меньше ${min}` : `нужно число от ${min} до ${c.max}` };
    }
    case 'choice': {
      const hit = (c.choices ?? []).find((v) => headerKey(v) === headerKey(typed));
      return hit !== undefined ? { value: hit } : { hint: `нужно одно из: ${(c.choices ?? []).map((v) => `«${v}»`).join(', ')}` };
    }
    default:
      return { value: typed };
  }
}

/** Every problem of well-shaped answers, in Russian, each naming the field (and the manager). */
export function answerProblems(a: WizardAnswersInput, form: WizardForm): string[] {
  const out: string[] = [];
  const given = a.settings ?? {};
  for (const f of form.settings) {
    if (!(f.key in given)) continue;
    const typed = text(given[f.key]);
    if (typed === '') continue;
    if (f.kind === 'emails') {
      for (const bad of addressCandidates(typed).filter((e) => !isEmail(e))) out.push(`${f.name}: «${bad}» — не похоже на email`);
      continue;
    }
    const checked = checkSettingText(f.key, typed);
    if (!checked.ok) out.push(`${f.name}: «${typed}» — ${checked.details.join('; ')}`);
  }
  const leadership = form.settings.find((f) => f.key === LEADERSHIP);
  if (leadership) {
    const typed = LEADERSHIP in given ? text(given[LEADERSHIP]) : leadership.value;
    if (!addressCandidates(typed).some(isEmail) && !out.some((m) => m.startsWith(`${leadership.name}:`))) {
      out.push(`${leadership.name}: укажите хотя бы один адрес — руководство правит защищённые листы и получает отчёты, у которых не заданы получатели`);
    }
  }
  const m = form.managers;
  if (!m) {
    if ((a.managers ?? []).length > 0) out.push('Менеджеры: в таблице нет листа менеджеров — запустите «Настроить таблицу»');
    return out;
  }
  const nameHeader = m.columns.find((c) => c.key === m.nameKey)?.header ?? 'Менеджер';
  const seen = new Set<string>();
  (a.managers ?? []).forEach((row, i) => {
    const name = text(row[m.nameKey]);
    if (name === '') {
      const filled = m.columns.some((c) => c.key !== m.nameKey && c.kind !== 'boolean' && text(row[c.key]) !== '');
      if (filled) out.push(`${nameHeader}: не указано имя в строке ${i + 1} списка менеджеров — строку без имени сохранить нельзя`);
      return;
    }
    const key = headerKey(name);
    if (seen.has(key)) out.push(`${nameHeader}: «${name}» указан несколько раз — оставьте одну строку`);
    seen.add(key);
    for (const c of m.columns) {
      if (c.key === m.nameKey || !(c.key in row)) continue;
      const v = managerValue(row[c.key], c);
      if ('hint' in v) out.push(`${c.header} (менеджер «${name}»): «${text(row[c.key])}» — ${v.hint}`);
    }
  });
  return out;
}

/** Checked and normalised answers, or every problem (nothing is to be written then). */
export function validateWizardAnswers(input: unknown, form: WizardForm): { ok: true; answers: WizardAnswers } | { ok: false; errors: string[] } {
  const parsed = wizardAnswersSchema(form).safeParse(input);
  if (!parsed.success) return { ok: false, errors: [...new Set(parsed.error.issues.map((i) => i.message))] };
  const a = parsed.data as WizardAnswersInput;
  const given = a.settings ?? {};
  const settings = form.settings.filter((f) => f.key in given).map((f) => {
    const checked = checkSettingText(f.key, text(given[f.key]));
    return { key: f.key, name: f.name, text: checked.ok ? checked.text : text(given[f.key]) };
  });
  const managers: WizardAnswers['managers'] = [];
  const m = form.managers;
  if (m) {
    for (const row of a.managers ?? []) {
      const name = text(row[m.nameKey]);
      if (name === '') continue;
      const values: Record<string, ManagerCell> = { [m.nameKey]: name };
      for (const c of m.columns) {
        if (c.key === m.nameKey || !(c.key in row)) continue;
        const v = managerValue(row[c.key], c);
        if ('value' in v) values[c.key] = v.value;
      }
      managers.push({ name, values });
    }
  }
  return { ok: true, answers: { settings, managers } };
}

// ---- what a submit writes --------------------------------------------------------------------------

export interface SettingNow { rowIndex: number; raw: unknown }
export interface SettingWrite { key: SettingKey; name: string; rowIndex: number | null; before: unknown; text: string }

const blank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** The settings whose value changes: compared as values, so «a@b.ru,c@d.ru» and «a@b.ru, c@d.ru» are one. */
export function planSettingWrites(answers: WizardAnswers['settings'], current: ReadonlyMap<SettingKey, SettingNow>): SettingWrite[] {
  const out: SettingWrite[] = [];
  for (const a of answers) {
    const now = current.get(a.key);
    const raw = now?.raw ?? '';
    if (blank(raw) && a.text === '') continue; // a missing row is setup's to add
    if (!blank(raw) && a.text !== '') {
      const before = checkSettingText(a.key, raw);
      const after = checkSettingText(a.key, a.text);
      if (before.ok && after.ok && JSON.stringify(before.value) === JSON.stringify(after.value)) continue;
    }
    out.push({ key: a.key, name: a.name, rowIndex: now?.rowIndex ?? null, before: raw, text: a.text });
  }
  return out;
}

export interface ManagerNow { rowIndex: number; values: Record<string, unknown> }
export interface ManagerPlan {
  /** Row index (into the rows read) → the cells that change. */
  updates: Map<number, Record<string, ManagerCell>>;
  /** New managers, in the order given. */
  appends: Array<Record<string, ManagerCell>>;
  added: string[];
  updated: string[];
}

function sameManagerCell(now: unknown, next: ManagerCell): boolean {
  if (blank(now) && next === '') return true;
  if (typeof next === 'number') {
    const n = typeof now === 'number' ? now : readNumber(now, true);
    return n !== null && Math.abs(n - next) < 1e-9;
  }
  if (typeof next === 'boolean') return now === next || (next === false && blank(now));
  const a = text(now);
  return a === next || (a.includes('@') && a.toLowerCase().replace(/\s+/g, '') === next.toLowerCase().replace(/\s+/g, ''));
}

/** Managers matched by name update only the cells that differ; new names are appended; nobody is deleted. */
export function planManagerWrites(answers: WizardAnswers['managers'], current: readonly ManagerNow[], nameKey: string): ManagerPlan {
  const byName = new Map<string, ManagerNow>();
  for (const row of current) {
    const k = headerKey(row.values[nameKey]);
    if (k !== '' && !byName.has(k)) byName.set(k, row);
  }
  const plan: ManagerPlan = { updates: new Map(), appends: [], added: [], updated: [] };
  for (const a of answers) {
    const now = byName.get(headerKey(a.name));
    if (!now) {
      plan.appends.push(a.values);
      plan.added.push(a.name);
      continue;
    }
    const changes: Record<string, ManagerCell> = {};
    for (const [key, value] of Object.entries(a.values)) {
      if (key === nameKey) continue; // the name as typed in the sheet stays: dropdown values point at it
      if (!sameManagerCell(now.values[key], value)) changes[key] = value;
    }
    if (Object.keys(changes).length > 0) {
      plan.updates.set(now.rowIndex, changes);
      plan.updated.push(a.name);
    }
  }
  return plan;
}

// ---- words -----------------------------------------------------------------------------------------

const SETTINGS_CHANGED: PluralForms = ['параметр изменён', 'параметра изменены', 'параметров изменено'];
const MANAGERS_ADDED: PluralForms = ['менеджер добавлен', 'менеджера добавлены', 'менеджеров добавлено'];
const MANAGERS_UPDATED: PluralForms = ['менеджер обновлён', 'менеджера обновлены', 'менеджеров обновлено'];

const quoted = (names: string[]) => names.map((n) => `«${n}»`).join(', ');

export const wizardText = {
  title: 'Мастер настройки',
  settingsChanged: (names: string[]) => `«Настройки»: ${countOf(names.length, SETTINGS_CHANGED)} — ${quoted(names)}.`,
  settingsSame: '«Настройки»: всё как было.',
  managersAdded: (sheet: string, names: string[]) => `«${sheet}»: ${countOf(names.length, MANAGERS_ADDED)} — ${quoted(names)}.`,
  managersUpdated: (sheet: string, names: string[]) => `«${sheet}»: ${countOf(names.length, MANAGERS_UPDATED)} — ${quoted(names)}.`,
  managersSame: (sheet: string) => `«${sheet}»: без изменений.`,
  refusal: (a: Authority) => `Сохранять «Мастер настройки» может только ${authorityPhrase(a)}. `
    + `${a.me ? `Вы вошли как ${a.me}.` : 'Google не сообщил ваш адрес.'} Мастер меняет «Настройки», «Менеджеры» и защиту листов. Ничего не изменено.`,
  notSaved: 'Ничего не сохранено — исправьте и нажмите «Сохранить» ещё раз:',
  firstRunIntro: 'Таблица подготовлена. Осталось сказать, кто руководство, кто менеджеры и куда и когда слать отчёты — всё это можно поменять позже здесь же («Продажи → Мастер настройки») или прямо в листах.',
  menuIntro: 'Здесь текущие значения «Настроек» и «Менеджеров». Поменяйте нужное и нажмите «Сохранить»; остальное в листах не тронется.',
} as const;
