// The 11:00 secretary summary (SPEC §3.4): the previous Moscow calendar day of «Отчёт секретаря».
import { addDays, daysBetween, formatRuDateTime, localDateTimeToDate, toLocalDate, zonedParts, type LocalDate } from '../dates';
import { isDate } from '../text';
import { isStageMark } from '../analytics/cells';
import { rmsg } from './messages';
import { cellText } from '../analytics/cells';
import { isBlank, NameBook, nameKey, readMoment, readText, readYes, type Moment } from './read';
import { OUTCOME_CALLBACK, OUTCOME_REQUEST, SECRETARY_CHANNELS, SECRETARY_HEADERS, SECRETARY_OUTCOMES, SECRETARY_SHEET } from './sheets';
import {
  SECRETARY_KEYS, type CellValue, type ChannelCount, type OpenCallback, type ResponseFigures, type SecretaryReport, type SecretaryRow,
  type SlowResponse, type UnparsedRow,
} from './types';
import { percentOf } from './format';

export interface SecretaryInput {
  rows: SecretaryRow[];
  /** When the summary is made; the covered day is the Moscow day before it. */
  now: Date;
  tz: string;
  /** «Справочники» managers, so transfers show their spelling. */
  managers?: string[];
}

/** The day an 11:00 summary made at `now` covers: yesterday in `tz`. */
export function secretaryReportDay(now: Date | number, tz: string): LocalDate {
  return addDays(toLocalDate(now, tz), -1);
}

interface Contact {
  rowNumber: number;
  moment: Moment;
  channel: string;
  newClient: boolean;
  managerKey: string;
  outcome: string;
  /** The row as typed: the texts shown for an open callback are read from it only for those rows. */
  values: SecretaryRow['values'];
  /** Normalised phone / email, and client name: how a later row is recognised as the same client. */
  contactKey: string | null;
  nameKey: string | null;
}

const IDENTITY_CHARS = 200;

const EMAIL = /[^\s,;<>]+@[^\s,;<>]+/;
const NON_DIGITS = /\D/g;

/** Phone → its last 10 digits (so +7 916… and 8 916… match); email → lower case. */
function contactIdentity(contact: string): string | null {
  const text = contact.trim().toLowerCase();
  if (!text) return null;
  // A phone has no @: the email pattern (which backtracks over every start) is only tried on text with one.
  const email = text.includes('@') ? EMAIL.exec(text) : null;
  if (email) return `mail:${email[0]}`;
  const digits = text.replace(NON_DIGITS, '');
  if (digits.length >= 6) return `tel:${digits.slice(-10)}`;
  return `text:${nameKey(text)}`;
}

/** Case-insensitive match against a list; unknown text is kept as typed, blank gets `missing`. */
function canonical(value: string, known: readonly string[], missing: string): string {
  if (!value) return missing;
  const key = nameKey(value);
  return known.find((k) => nameKey(k) === key) ?? value;
}

/**
 * `read` memoised per typed string: channels, outcomes and managers are a handful of values repeated on
 * every row of a log that may hold 20,000 rows.
 */
function memo<T>(read: (value: CellValue | undefined) => T): (value: CellValue | undefined) => T {
  const seen = new Map<string, T>();
  return (value) => {
    if (typeof value !== 'string') return read(value);
    let hit = seen.get(value);
    if (hit === undefined && !seen.has(value)) {
      hit = read(value);
      seen.set(value, hit);
    }
    return hit as T;
  };
}

/** Every dated row of the log, and the rows whose «Дата и время» cannot be read. */
function readContacts(rows: SecretaryRow[], sendDay: LocalDate, tz: string, names: NameBook): { contacts: Contact[]; unparsed: UnparsedRow[] } {
  const contacts: Contact[] = [];
  const unparsed: UnparsedRow[] = [];
  const channelOf = memo((v) => canonical(readText(v, tz), SECRETARY_CHANNELS, rmsg.channelMissing));
  const outcomeOf = memo((v) => canonical(readText(v, tz), SECRETARY_OUTCOMES, rmsg.outcomeMissing));
  // Registered in row order, as each spelling first appears (the first spelling of a name is shown).
  const managerOf = memo((v) => names.add(readText(v, tz)));
  for (const row of rows) {
    const v = row.values;
    if (SECRETARY_KEYS.every((k) => isBlank(v[k]))) continue;
    const moment = readMoment(v.dateTime, SECRETARY_HEADERS.dateTime, sendDay, tz);
    if (!moment.ok || moment.value === null) {
      unparsed.push({ sheet: SECRETARY_SHEET, rowNumber: row.rowNumber, reason: moment.ok ? rmsg.missing(SECRETARY_HEADERS.dateTime) : moment.reason });
      continue;
    }
    // Identity keys read more of the cell than is shown: two long names may share their shortened form.
    const fullName = cellText(v.client as CellValue).slice(0, IDENTITY_CHARS);
    contacts.push({
      rowNumber: row.rowNumber,
      moment: moment.value,
      channel: channelOf(v.channel),
      newClient: readYes(v.newClient),
      managerKey: managerOf(v.transferredTo),
      outcome: outcomeOf(v.outcome),
      values: v,
      contactKey: contactIdentity(cellText(v.contact as CellValue).slice(0, IDENTITY_CHARS)),
      nameKey: fullName ? nameKey(fullName) : null,
    });
  }
  return { contacts, unparsed };
}

/**
 * The log's open «Перезвонить» items as of `now` (the whole log, as in the 11:00 summary): the managers'
 * morning emails list the ones handed to each of them.
 */
export function openCallbackItems(input: SecretaryInput): OpenCallback[] {
  const sendDay = toLocalDate(input.now, input.tz);
  const names = new NameBook();
  for (const m of input.managers ?? []) names.add(m);
  return openCallbacks(readContacts(input.rows, sendDay, input.tz, names).contacts, sendDay, names, input.tz);
}

export function computeSecretaryReport(input: SecretaryInput): SecretaryReport {
  const { rows, now, tz } = input;
  const sendDay = toLocalDate(now, tz);
  const day = addDays(sendDay, -1);
  const previousDay = addDays(day, -1);
  const names = new NameBook();
  for (const m of input.managers ?? []) names.add(m);
  const { contacts, unparsed } = readContacts(rows, sendDay, tz, names);

  const ofDay = contacts.filter((c) => c.moment.date === day);
  const ofPrevious = contacts.filter((c) => c.moment.date === previousDay);

  // Channels: the four of «Справочники» always, in their order, then anything else typed.
  const channelOrder = new Set<string>(SECRETARY_CHANNELS);
  for (const c of ofDay) channelOrder.add(c.channel);
  for (const c of ofPrevious) channelOrder.add(c.channel);
  const countBy = (list: Contact[], f: (c: Contact) => string) => {
    const m = new Map<string, number>();
    for (const c of list) m.set(f(c), (m.get(f(c)) ?? 0) + 1);
    return m;
  };
  const dayChannels = countBy(ofDay, (c) => c.channel);
  const prevChannels = countBy(ofPrevious, (c) => c.channel);
  const byChannel: ChannelCount[] = [...channelOrder].map((channel) => {
    const count = dayChannels.get(channel) ?? 0;
    const previousCount = prevChannels.get(channel) ?? 0;
    return { channel, count, previousCount, delta: count - previousCount };
  });

  const outcomes = countBy(ofDay, (c) => c.outcome);
  const outcomeOrder = [...SECRETARY_OUTCOMES, ...[...outcomes.keys()].filter((o) => !SECRETARY_OUTCOMES.includes(o))];
  const byOutcome = outcomeOrder.filter((o) => outcomes.has(o)).map((outcome) => ({ outcome, count: outcomes.get(outcome)! }));

  const newOnes = ofDay.filter((c) => c.newClient);
  const newClientRequests = newOnes.filter((c) => c.outcome === OUTCOME_REQUEST).length;

  const transferMap = new Map<string, { count: number; requests: number }>();
  let notTransferred = 0;
  for (const c of ofDay) {
    if (!c.managerKey) { notTransferred++; continue; }
    const t = transferMap.get(c.managerKey) ?? { count: 0, requests: 0 };
    t.count++;
    if (c.outcome === OUTCOME_REQUEST) t.requests++;
    transferMap.set(c.managerKey, t);
  }
  const transfers = [...transferMap].map(([key, t]) => ({ manager: names.display(key), ...t }))
    .sort((a, b) => b.count - a.count || a.manager.localeCompare(b.manager, 'ru'));

  return {
    day,
    previousDay,
    generatedAt: new Date(now.getTime()),
    total: ofDay.length,
    previousTotal: ofPrevious.length,
    byChannel,
    byOutcome,
    newClients: newOnes.length,
    newClientRequests,
    newClientRequestPercent: percentOf(newClientRequests, newOnes.length),
    transfers,
    notTransferred,
    openCallbacks: openCallbacks(contacts, sendDay, names, tz),
    callbackResponse: responseFigures(ofDay, 'calledBackAt', CALLBACK_TARGET_MINUTES, names, tz, unparsed),
    transferResponse: responseFigures(ofDay, 'transferredAt', TRANSFER_TARGET_MINUTES, names, tz, unparsed),
    noRows: ofDay.length === 0,
    unparsed,
  };
}

/** Seed 004: a request is called back within 5–10 minutes (the promise to a caller is 10). */
export const CALLBACK_TARGET_MINUTES = 10;
/** Seed 004: a caller never waits on the line for a manager longer than 2 minutes. */
export const TRANSFER_TARGET_MINUTES = 2;
/** Longer than this is a typo (a wrong day), not a wait. */
const MAX_RESPONSE_MINUTES = 7 * 24 * 60;

/**
 * «Перезвонили в» / «Передано в» of a contact as an instant: a full date-time as typed, or a time of day
 * (a time cell, «14:35», a fraction of a day) on the contact's day — the next day when it is earlier than
 * the contact (past midnight). null: blank, a mark the edit did not stamp, or unreadable (`bad`).
 */
export function responseInstant(value: CellValue | undefined, contact: Moment, tz: string): number | null | 'bad' {
  if (isBlank(value) || isStageMark(value as CellValue)) return null;
  let minuteOfDay: number | null = null;
  if (typeof value === 'object' && isDate(value)) {
    const p = zonedParts(value, tz);
    // A time cell is a Date on 1899-12-30 (seconds drift with historical offsets: round to the minute).
    if (p.year >= 1900) return value.getTime();
    minuteOfDay = p.hour * 60 + p.minute + (p.second >= 30 ? 1 : 0);
  } else if (typeof value === 'number') {
    if (value < 0 || value >= 1) return 'bad';
    minuteOfDay = Math.round(value * 1440);
  } else if (typeof value === 'string') {
    const time = /^\s*(\d{1,2})[:.](\d{2})\s*$/.exec(value);
    if (time && Number(time[1]) < 24 && Number(time[2]) < 60) minuteOfDay = Number(time[1]) * 60 + Number(time[2]);
    else {
      const moment = readMoment(value, '', contact.date, tz);
      return moment.ok && moment.value !== null && moment.value.time !== '' ? moment.value.ms : 'bad';
    }
  } else return 'bad';
  let ms = localDateTimeToDate(contact.date, tz, Math.floor(minuteOfDay / 60), minuteOfDay % 60).getTime();
  if (ms < contact.ms) ms = localDateTimeToDate(addDays(contact.date, 1), tz, Math.floor(minuteOfDay / 60), minuteOfDay % 60).getTime();
  return ms;
}

function responseFigures(
  ofDay: Contact[], key: 'calledBackAt' | 'transferredAt', target: number, names: NameBook, tz: string, unparsed: UnparsedRow[],
): ResponseFigures | null {
  const waits: Array<{ contact: Contact; minutes: number }> = [];
  for (const c of ofDay) {
    // A contact logged with a date only has no moment to count from.
    if (c.moment.time === '') continue;
    const at = responseInstant(c.values[key], c.moment, tz);
    if (at === null) continue;
    const minutes = at === 'bad' ? -1 : Math.round((at - c.moment.ms) / 60_000);
    if (at === 'bad' || minutes < 0 || minutes > MAX_RESPONSE_MINUTES) {
      const typed = c.values[key];
      const shown = typeof typed === 'object' && isDate(typed) ? formatRuDateTime(typed, tz) : typed;
      unparsed.push({ sheet: SECRETARY_SHEET, rowNumber: c.rowNumber, reason: rmsg.notATime(SECRETARY_HEADERS[key], shown) });
      continue;
    }
    waits.push({ contact: c, minutes });
  }
  if (waits.length === 0) return null;
  const sorted = waits.map((w) => w.minutes).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const slow = waits.filter((w) => w.minutes > target)
    .sort((a, b) => b.minutes - a.minutes || a.contact.rowNumber - b.contact.rowNumber)
    .map(({ contact: c, minutes }): SlowResponse => ({
      rowNumber: c.rowNumber,
      time: c.moment.time,
      client: readText(c.values.client, tz),
      manager: c.managerKey ? names.display(c.managerKey) : '',
      channel: c.channel,
      minutes,
    }));
  return { count: waits.length, medianMinutes: median, withinTarget: waits.length - slow.length, targetMinutes: target, slow };
}

/**
 * «Перезвонить» rows with no later row for the same client, over the whole log, including rows typed
 * this morning. Same client: the same phone / email; or the same name when one of the two rows has no
 * phone or email (two callers named Анна with different phones are different people). Oldest first:
 * the longest wait leads.
 */
function openCallbacks(contacts: Contact[], sendDay: LocalDate, names: NameBook, tz: string): OpenCallback[] {
  const later = (a: Contact, b: Contact) => a.moment.ms > b.moment.ms || (a.moment.ms === b.moment.ms && a.rowNumber > b.rowNumber);
  const byContact = new Map<string, Contact>();
  const byName = new Map<string, Contact>();
  const byNameNoContact = new Map<string, Contact>();
  const keepLatest = (map: Map<string, Contact>, key: string | null, c: Contact) => {
    if (key === null) return;
    const seen = map.get(key);
    if (!seen || later(c, seen)) map.set(key, c);
  };
  for (const c of contacts) {
    keepLatest(byContact, c.contactKey, c);
    keepLatest(byName, c.nameKey, c);
    if (c.contactKey === null) keepLatest(byNameNoContact, c.nameKey, c);
  }
  const isLater = (map: Map<string, Contact>, key: string | null, c: Contact) => {
    const seen = key === null ? undefined : map.get(key);
    return seen !== undefined && later(seen, c);
  };
  const closed = (c: Contact) => (c.contactKey !== null
    ? isLater(byContact, c.contactKey, c) || isLater(byNameNoContact, c.nameKey, c)
    : isLater(byName, c.nameKey, c));
  // A callback whose «Перезвонили в» is filled is done, whoever logged it.
  return contacts
    .filter((c) => c.outcome === OUTCOME_CALLBACK && !closed(c) && isBlank(c.values.calledBackAt))
    .sort((a, b) => a.moment.ms - b.moment.ms || a.rowNumber - b.rowNumber)
    .map((c) => ({
      rowNumber: c.rowNumber,
      date: c.moment.date,
      time: c.moment.time,
      client: readText(c.values.client, tz),
      company: readText(c.values.company, tz),
      contact: readText(c.values.contact, tz),
      manager: c.managerKey ? names.display(c.managerKey) : '',
      request: readText(c.values.request, tz),
      comment: readText(c.values.comment, tz),
      ageDays: Math.max(0, daysBetween(c.moment.date, sendDay)),
    }));
}
