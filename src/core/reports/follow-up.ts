// The morning email to each manager, «Кого дожать сегодня» (SPEC §3.6): only that manager's own leads —
// a payment link sent a day or more ago without «Оплата» (seed 000: «дожать на следующий день»), leads in
// «Ожидание» or «Повторные переговоры» due today or overdue, leads «Подвисла» (seed 002), open «Перезвонить»
// items the secretary handed to them, and rows of theirs with problems. A lead is listed once, under the
// first of those that applies, with the others named beside it. Pure: rows in, one model per manager out.
import { daysBetween, formatRuDate, type LocalDate } from '../dates';
import { cellText, isBlank, readDateCell, type DateReading } from '../analytics/cells';
import { currentStageHeader, headerOf, newestActivityStage, STAGE_KEYS, type StageDates } from '../analytics/stages';
import { stuckSince, type StuckSettings } from '../analytics/stuck';
import type { AnalyticsKey, AnalyticsRow } from '../analytics/types';
import { readUsername } from '../analytics/username';
import type { ManagerDirectory } from '../managers';
import { headerKey } from '../text';
import { clip } from './read';
import { openCallbackItems } from './secretary';
import type { OpenCallback, SecretaryRow } from './types';

/** The «Аналитика» columns the morning email reads. */
export const FOLLOW_UP_KEYS: readonly AnalyticsKey[] = ['manager', 'name', 'username', ...STAGE_KEYS, 'lastContact', 'problems'];

/** In the order the email shows them: closest to money first. */
export const FOLLOW_UP_KINDS = ['linkSent', 'waiting', 'renegotiation', 'stuck', 'callback', 'problems'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export interface FollowUpLine {
  kind: FollowUpKind;
  /** Which sheet the row is on (the link points there). */
  sheet: 'analytics' | 'secretaryLog';
  rowNumber: number;
  client: string;
  /** '@nick', a phone or an email: how to reach the client. */
  contact: string;
  /** «Текущий этап», or «Перезвонить» for a callback. */
  stage: string;
  /** The date the wait is counted from (stage date, last activity, the secretary's row). */
  since: LocalDate | null;
  days: number | null;
  /** Other reasons the same lead would be listed for («подвисла с 20.11.2026»). */
  also: string[];
  /** «Проблемы» text, or the request of a callback. */
  detail: string;
}

export interface ManagerFollowUp {
  manager: string;
  /** headerKey of the name: the only thing a line is matched by. */
  key: string;
  email: string | null;
  lines: FollowUpLine[];
}

export interface FollowUpInput {
  /** «Аналитика» rows (FOLLOW_UP_KEYS at least) with their sheet row numbers. */
  leads: ReadonlyArray<{ rowNumber: number; values: AnalyticsRow }>;
  /** «Отчёт секретаря» rows, for the open «Перезвонить» items. */
  secretary: SecretaryRow[];
  directory: ManagerDirectory;
  stuck: StuckSettings;
  now: Date;
  today: LocalDate;
  tz: string;
}

const LINK = STAGE_KEYS.indexOf('stageLinkSent');
const WAITING_HEADER = headerOf('stageWaiting');
const RENEGOTIATION_HEADER = headerOf('stageRenegotiation');

export const followUpText = {
  also: {
    linkSent: (d: LocalDate) => `ссылка на оплату отправлена ${formatRuDate(d)}`,
    waiting: (d: LocalDate) => `в «Ожидании» с ${formatRuDate(d)}`,
    renegotiation: (d: LocalDate) => `повторные переговоры, последний контакт ${formatRuDate(d)}`,
    stuck: (d: LocalDate) => `подвисла с ${formatRuDate(d)}`,
    problems: 'есть проблемы в строке',
  },
  callbackStage: 'Перезвонить',
  noName: 'без имени',
};

interface LeadFinding { kind: FollowUpKind; since: LocalDate; days: number; also: string }

/**
 * What a lead is due for, in FOLLOW_UP_KINDS order (problems aside). Closed leads («Оплата» or «Отказ»
 * filled) are due for nothing but their problems.
 */
function findings(row: AnalyticsRow, today: LocalDate, reading: DateReading, stuck: StuckSettings): { stage: string; found: LeadFinding[] } {
  const dates: StageDates = {};
  for (const key of STAGE_KEYS) {
    reading.column = key;
    const cell = readDateCell(row[key], reading);
    if (cell.kind === 'date') dates[key] = cell.date;
  }
  const stage = currentStageHeader(dates);
  // Filled at all: a typed «оплачено» closes the lead as a date does.
  const terminal = !isBlank(row.stagePaid) || !isBlank(row.stageRefused);
  if (terminal) return { stage, found: [] };
  reading.column = 'lastContact';
  const lc = readDateCell(row.lastContact, reading);
  const lastContact = lc.kind === 'date' && lc.date <= today ? lc.date : null;
  const moved = newestActivityStage(dates);
  const lastActivity = moved !== null && (lastContact === null || moved > lastContact) ? moved : lastContact;
  const found: LeadFinding[] = [];
  const add = (kind: FollowUpKind, since: LocalDate, also: string) => found.push({ kind, since, days: Math.max(0, daysBetween(since, today)), also });

  // The link is the newest real step, sent before today, and nobody has talked to the client since.
  const link = dates[STAGE_KEYS[LINK]];
  if (link !== undefined && link === moved && link < today && (lastContact === null || lastContact <= link)) {
    add('linkSent', link, followUpText.also.linkSent(link));
  }
  const waiting = dates.stageWaiting;
  if (stage === WAITING_HEADER && waiting !== undefined && waiting <= today && (lastContact === null || lastContact <= waiting)) {
    add('waiting', lastActivity ?? waiting, followUpText.also.waiting(waiting));
  }
  // Renegotiation is due the day after the last contact: today's talk means it is done for today.
  if (stage === RENEGOTIATION_HEADER && lastActivity !== null && lastActivity < today) {
    add('renegotiation', lastActivity, followUpText.also.renegotiation(lastActivity));
  }
  const stuckDay = stuckSince(dates, false, today, stuck);
  if (stuckDay !== null && moved !== null) add('stuck', moved, followUpText.also.stuck(stuckDay));
  return { stage, found };
}

function clientOf(row: AnalyticsRow): { client: string; contact: string } {
  const name = clip(cellText(row.name).replace(/\s+/g, ' '));
  const u = readUsername(row.username);
  const contact = u.kind === 'nick' ? u.display : clip(cellText(row.username));
  return { client: name || contact || followUpText.noName, contact: name ? contact : '' };
}

/**
 * One model per manager with at least one line or an entry on «Менеджеры». A row counts for the manager
 * whose name it carries (case, ё and spacing aside) — never for anyone else: rows without a manager go
 * to nobody (the 19:45 email counts them).
 */
export function computeFollowUps(input: FollowUpInput): ManagerFollowUp[] {
  const { today, tz } = input;
  const byKey = new Map<string, ManagerFollowUp>();
  for (const e of input.directory.entries) {
    if (!e.active) continue;
    byKey.set(e.key, { manager: e.name, key: e.key, email: e.email, lines: [] });
  }
  const inactive = new Set(input.directory.entries.filter((e) => !e.active).map((e) => e.key));
  const managerOf = (name: string): ManagerFollowUp | null => {
    const key = headerKey(name);
    if (key === '' || inactive.has(key)) return null;
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = { manager: name.trim().replace(/\s+/g, ' '), key, email: null, lines: [] }));
    return m;
  };

  const reading: DateReading = { column: '', acceptMarks: true, today, tz };
  for (const { rowNumber, values } of input.leads) {
    const m = managerOf(cellText(values.manager));
    if (!m) continue;
    const problems = clip(cellText(values.problems).replace(/\s+/g, ' '));
    const { stage, found } = findings(values, today, reading, input.stuck);
    if (found.length === 0 && problems === '') continue;
    const { client, contact } = clientOf(values);
    const first = found[0];
    m.lines.push({
      kind: first?.kind ?? 'problems',
      sheet: 'analytics',
      rowNumber,
      client,
      contact,
      stage,
      since: first?.since ?? null,
      days: first?.days ?? null,
      also: [...found.slice(1).map((f) => f.also), ...(first && problems ? [followUpText.also.problems] : [])],
      detail: problems,
    });
  }

  const callbacks: OpenCallback[] = openCallbackItems({
    rows: input.secretary, now: input.now, tz, managers: input.directory.entries.map((e) => e.name),
  });
  for (const c of callbacks) {
    const m = managerOf(c.manager);
    if (!m) continue;
    m.lines.push({
      kind: 'callback', sheet: 'secretaryLog', rowNumber: c.rowNumber,
      client: c.client || followUpText.noName, contact: c.contact, stage: followUpText.callbackStage,
      since: c.date, days: c.ageDays, also: c.comment ? [c.comment] : [], detail: c.request,
    });
  }

  const rank = (k: FollowUpKind) => FOLLOW_UP_KINDS.indexOf(k);
  for (const m of byKey.values()) {
    m.lines.sort((a, b) => rank(a.kind) - rank(b.kind) || (b.days ?? -1) - (a.days ?? -1) || a.rowNumber - b.rowNumber);
  }
  return [...byKey.values()];
}
