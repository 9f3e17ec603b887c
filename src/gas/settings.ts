// «Настройки» read in one call and parsed; a missing sheet yields the defaults plus a problem.
import { utf8Bytes } from '../core/bytes';
import { templateByKey } from '../../sheets-templates';
import { DEFAULT_SETTINGS, isDefaultSettings, parseSettings, settingsRows, type Settings } from '../core/settings';
import { formatRuDateTime, MOSCOW } from '../core/dates';
import { findSheet } from './sheets';
import { cell, HeaderPlacementError, readTable, type Table } from './table';
import { withRetry } from './retry';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function readSettings(sheet: Sheet | null): { settings: Settings; problems: string[] } {
  const def = templateByKey('settings');
  if (!sheet) return { settings: { ...DEFAULT_SETTINGS }, problems: [`Нет листа «${def.name}»: действуют настройки по умолчанию. Запустите «Настроить таблицу».`] };
  let table: Table;
  try {
    table = readTable(sheet, def);
  } catch (error) {
    // Headers nobody can place: the defaults apply and the problem is reported like a broken setting.
    if (error instanceof HeaderPlacementError) return { settings: { ...DEFAULT_SETTINGS }, problems: [error.message] };
    throw error;
  }
  const rows = table.rows
    .map((r) => ({ name: String(cell(table, r, 'name') ?? '').trim(), value: cell(table, r, 'value') }))
    .filter((r) => r.name !== '');
  return parseSettings(rows, MOSCOW);
}

/** `missingSheet`: there is no «Настройки» at all (the defaults are then a guess, not a choice). */
export function loadSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { settings: Settings; problems: string[]; missingSheet: boolean } {
  const sheet = findSheet(ss, templateByKey('settings'));
  return { ...readSettings(sheet), missingSheet: sheet === null };
}

const SNAPSHOT_KEY = 'settings:snapshot';
/** The last settings read that were not all defaults: what a deleted «Настройки» is rebuilt from. */
const LAST_GOOD_KEY = 'settings:lastGood';

interface LastGood { at: number; settings: Settings }

type Props = GoogleAppsScript.Properties.Properties;


/** Under Google's 9 KB per value (key + value), with room for the key. */
const PART_BYTES = 8000;
/** A value longer than this is not stored at all: a copy must never crowd out the schedule's markers (500 KB per store). */
const MAX_PARTS = 8;
const CHUNKS = '#chunks:';

/** Text cut into pieces of at most PART_BYTES UTF-8 bytes, never inside a surrogate pair. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > PART_BYTES) { out.push(text.slice(from, i)); from = i; bytes = 0; }
    bytes += size;
    if (pair) i++;
  }
  out.push(text.slice(from));
  return out;
}

/**
 * Writes `text` under `key`, split into `key#1…` when it is too large for one property (a long list of
 * addresses); returns false, writing nothing, when even that would be too large.
 */
function writeLarge(props: Props, key: string, text: string): boolean {
  const old = withRetry(() => props.getProperty(key));
  const oldParts = old?.startsWith(CHUNKS) ? Number(old.slice(CHUNKS.length)) || 0 : 0;
  let parts = 0;
  if (utf8Bytes(key) + utf8Bytes(text) <= PART_BYTES) {
    withRetry(() => props.setProperty(key, text));
  } else {
    const list = pieces(text);
    if (list.length > MAX_PARTS) return false;
    // Parts first, the header last: a run stopped halfway leaves either the previous copy or one that
    // no longer parses, which reads as absent — never a wrong one.
    list.forEach((p, i) => withRetry(() => props.setProperty(`${key}#${i + 1}`, p)));
    withRetry(() => props.setProperty(key, `${CHUNKS}${list.length}`));
    parts = list.length;
  }
  for (let i = parts + 1; i <= oldParts; i++) withRetry(() => props.deleteProperty(`${key}#${i}`));
  return true;
}

/** Reads from getProperties() when at hand (no service call), else one property at a time. */
function getter(all?: Record<string, string>): (key: string) => string | null {
  if (all) return (k) => all[k] ?? null;
  const props = PropertiesService.getScriptProperties();
  return (k) => withRetry(() => props.getProperty(k));
}

/** The text under `key`, joined from its parts when it was split. */
function readLarge(get: (key: string) => string | null, key: string): string | null {
  const head = get(key);
  if (!head?.startsWith(CHUNKS)) return head;
  const n = Number(head.slice(CHUNKS.length)) || 0;
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const p = get(`${key}#${i}`);
    if (p === null) return null;
    parts.push(p);
  }
  return parts.join('');
}

/**
 * Settings saved by the last job that read «Настройки», so triggers need no sheet read. Settings that
 * are not all defaults also become the last known good copy; an empty or freshly created sheet (all
 * defaults) never replaces that copy.
 */
export function saveSettingsSnapshot(settings: Settings): void {
  const props = PropertiesService.getScriptProperties();
  const text = JSON.stringify(settings);
  writeLarge(props, SNAPSHOT_KEY, text);
  if (isDefaultSettings(settings)) return;
  const good = readLastGood(getter());
  if (good && JSON.stringify(good.settings) === text) return;
  writeLarge(props, LAST_GOOD_KEY, JSON.stringify({ at: Date.now(), settings } satisfies LastGood));
}

export function parseSnapshot(raw: string | null | undefined): Settings | null {
  if (!raw) return null;
  try {
    return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Settings) };
  } catch {
    return null;
  }
}

export const SETTINGS_SNAPSHOT_KEY = SNAPSHOT_KEY;

/** The snapshot from a getProperties() map (or read now), joined from its parts when it was split. */
export function readSnapshot(all?: Record<string, string>): Settings | null {
  return parseSnapshot(readLarge(getter(all), SNAPSHOT_KEY));
}

function readLastGood(get: (key: string) => string | null): LastGood | null {
  const raw = readLarge(get, LAST_GOOD_KEY);
  if (raw) {
    try {
      const v = JSON.parse(raw) as LastGood;
      if (v && typeof v.at === 'number' && v.settings) return { at: v.at, settings: { ...DEFAULT_SETTINGS, ...v.settings } };
    } catch { /* a damaged copy is treated as absent */ }
  }
  return null;
}

/**
 * The last known settings that were not all defaults: the saved copy, or — saved by a version without
 * one — the snapshot (then its date is unknown).
 */
export function lastKnownSettings(all?: Record<string, string>): { settings: Settings; at: number | null } | null {
  const get = getter(all);
  const good = readLastGood(get);
  if (good) return good;
  const snap = parseSnapshot(readLarge(get, SNAPSHOT_KEY));
  return snap && !isDefaultSettings(snap) ? { settings: snap, at: null } : null;
}

/** «от 23.11.2026 19:40» — when the copy was saved, for the messages that name it. */
export function copyDate(at: number | null): string {
  return at === null ? '' : ` от ${formatRuDateTime(at, MOSCOW)}`;
}

/**
 * Rows for a «Настройки» that setup is creating: the last known settings when there are any (a deleted
 * sheet must not come back empty and silently stop every email), with the sentence that tells the user.
 */
export function settingsToRestore(): { rows: Array<Record<string, string>>; message: string } | null {
  const known = lastKnownSettings();
  if (!known) return null;
  return {
    rows: settingsRows(known.settings),
    message: `Лист «${templateByKey('settings').name}» был создан заново и заполнен из сохранённой копии настроек${copyDate(known.at)} (последние прочитанные значения), а не значениями по умолчанию. Проверьте получателей отчётов и время отправки.`,
  };
}

/** The snapshot when there is one, otherwise «Настройки» read (and the snapshot saved). */
export function currentSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): Settings {
  const hit = readSnapshot();
  if (hit) return hit;
  const { settings } = loadSettings(ss);
  saveSettingsSnapshot(settings);
  return settings;
}
