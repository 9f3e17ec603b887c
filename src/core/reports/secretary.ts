// The 11:00 secretary summary (SPEC §3.4): the previous Moscow calendar day of «Отчёт секретаря».
import { addDays, daysBetween, formatRuDateTime, localDateTimeToDate, toLocalDate, zonedParts, type LocalDate } from '../dates';
import { isDate } from '../text';
import { isStageMark } from '../analytics/cells';
import { rmsg } from './messages';
import { cellText } from '../analytics/cells';
import { instantDate, instantTime, isBlank, NameBook, nameKey, readMoment, readText, readYes, type Moment } from './read';
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

/**
 * A phone's digits as a number, an email as itself, other text with a leading space (which no email
 * holds): three kinds of key that never meet, none built by concatenating the email (cheap to hash).
 */
type ContactKey = number | string;

/**
 * A dated row; its moment's fields are its own (no Moment object kept per row). What only the day's
 * rows need («Канал», «Новый клиент») is read from `values` for them.
 */
interface Contact extends Moment {
  rowNumber: number;
  managerKey: string;
  outcome: string;
  /** The row as typed: the texts shown for an open callback are read from it only for those rows. */
  values: SecretaryRow['values'];
  /** Normalised phone / email, and client name: how a later row is recognised as the same client. */
  contactKey: ContactKey | null;
  nameKey: string | null;
}

const IDENTITY_CHARS = 200;

const EMAIL = /[^\s,;<>]+@[^\s,;<>]+/;
const NON_DIGITS = /\D/g;

/** Phone → its last 10 digits (so +7 916… and 8 916… match); email → lower case. */
function contactIdentity(contact: string): ContactKey | null {
  const text = contact.trim();
  if (!text) return null;
  // A phone has no @: the email pattern (which backtracks over every start) is only tried on text with one.
  const at = text.indexOf('@');
  if (at >= 0) {
    if (isPlainEmail(text, at)) return text.toLowerCase();
    const email = EMAIL.exec(text.toLowerCase());
    if (email) return email[0];
  }
  const phone = phoneKey(text);
  if (phone >= 0) return phone;
  return ` ${nameKey(text.toLowerCase())}`;
}

/**
 * Text that EMAIL matches as a whole: printable ASCII without , ; < > and an @ inside (`firstAt`: the
 * first @). Most email cells are just that, and need no regex run (nor its match array).
 */
function isPlainEmail(text: string, firstAt: number): boolean {
  const at = firstAt > 0 ? firstAt : text.indexOf('@', 1);
  if (at < 0 || at === text.length - 1) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 44 || c === 59 || c === 60 || c === 62) return false;
  }
  return true;
}

/**
 * The last 10 digits of `text` as one number, -1 with fewer than 6 digits. The digit count (up to 10)
 * is part of the number, so '0123456' and '123456' stay two keys as their digit strings were.
 */
function phoneKey(text: string): number {
  let count = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      count++;
      value = value * 10 + (c - 48);
    }
  }
  if (count < 6) return -1;
  // Up to 15 digits the number is exact; past that, the last 10 are taken from the digit string (rare).
  if (count > 15) return 10 * 1e10 + Number(text.replace(NON_DIGITS, '').slice(-10));
  return Math.min(count, 10) * 1e10 + (count > 10 ? value % 1e10 : value);
}

/** Case-insensitive match against a list; unknown text is kept as typed, blank gets `missing`. */
function canonical(value: string, known: readonly string[], missing: string): string {
  if (!value) return missing;
  const key = nameKey(value);
  return known.find((k) => nameKey(k) === key) ?? value;
}

/**
 * `read` memoised per typed string: outcomes and managers are a handful of values repeated on every row
 * of a log that may hold 20,000 rows. A class, not a closure: the row loop's call site stays the same
 * function from one report to the next.
 */
class Memo<T> {
  private readonly seen = new Map<string, T>();
  constructor(private readonly read: (value: CellValue | undefined) => T) {}

  get(value: CellValue | undefined): T {
    if (typeof value !== 'string') return this.read(value);
    let hit = this.seen.get(value);
    if (hit === undefined && !this.seen.has(value)) {
      hit = this.read(value);
      this.seen.set(value, hit);
    }
    return hit as T;
  }
}

/** «Канал» of a contact, spelt as in «Справочники» (read for the rows of the day and the day before). */
function channelOf(c: Contact, tz: string): string {
  return canonical(readText(c.values.channel, tz), SECRETARY_CHANNELS, rmsg.channelMissing);
}

/**
 * Every dated row of the log into `contacts`, and the rows whose «Дата и время» cannot be read into
 * `unparsed`. Nothing follows the loop: V8 optimises a long loop while it runs, and code after it that
 * has never run would cost a deoptimisation on every report.
 */
function readContacts(rows: SecretaryRow[], sendDay: LocalDate, tz: string, names: NameBook, contacts: Contact[], unparsed: UnparsedRow[]): void {
  const outcomeOf = new Memo((v) => canonical(readText(v, tz), SECRETARY_OUTCOMES, rmsg.outcomeMissing));
  // Registered in row order, as each spelling first appears (the first spelling of a name is shown).
  const managerOf = new Memo((v) => names.add(readText(v, tz)));
  for (const row of rows) {
    const v = row.values;
    const typed = v.dateTime;
    // A filled «Дата и время» (nearly every row) already tells the row is not empty.
    if (isBlank(typed) && SECRETARY_KEYS.every((k) => isBlank(v[k]))) continue;
    let date: LocalDate;
    let ms: number;
    let time: string;
    if (typed instanceof Date && typed.getTime() === typed.getTime()) {
      // A valid Date, as a log holds on almost every row: readMoment's result without its two wrappers.
      ms = typed.getTime();
      date = instantDate(ms, tz);
      time = instantTime(ms, tz);
    } else {
      const moment = readMoment(typed, SECRETARY_HEADERS.dateTime, sendDay, tz);
      if (!moment.ok || moment.value === null) {
        unparsed.push({ sheet: SECRETARY_SHEET, rowNumber: row.rowNumber, reason: moment.ok ? rmsg.missing(SECRETARY_HEADERS.dateTime) : moment.reason });
        continue;
      }
      ({ date, ms, time } = moment.value);
    }
    // Identity keys read more of the cell than is shown: two long names may share their shortened form.
    const fullName = cellText(v.client as CellValue).slice(0, IDENTITY_CHARS);
    contacts.push({
      rowNumber: row.rowNumber,
      date,
      ms,
      time,
      managerKey: managerOf.get(v.transferredTo),
      outcome: outcomeOf.get(v.outcome),
      values: v,
      contactKey: contactIdentity(cellText(v.contact as CellValue).slice(0, IDENTITY_CHARS)),
      nameKey: fullName ? nameKey(fullName) : null,
    });
  }
}

/**
 * The log's open «Перезвонить» items as of `now` (the whole log, as in the 11:00 summary): the managers'
 * morning emails list the ones handed to each of them.
 */
export function openCallbackItems(input: SecretaryInput): OpenCallback[] {
  const sendDay = toLocalDate(input.now, input.tz);
  const names = new NameBook();
  for (const m of input.managers ?? []) names.add(m);
  const contacts: Contact[] = [];
  readContacts(input.rows, sendDay, input.tz, names, contacts, []);
  return openCallbacks(contacts, sendDay, names, input.tz);
}

export function computeSecretaryReport(input: SecretaryInput): SecretaryReport {
  const { rows, now, tz } = input;
  const sendDay = toLocalDate(now, tz);
  const day = addDays(sendDay, -1);
  const previousDay = addDays(day, -1);
  const names = new NameBook();
  for (const m of input.managers ?? []) names.add(m);
  const contacts: Contact[] = [];
  const unparsed: UnparsedRow[] = [];
  readContacts(rows, sendDay, tz, names, contacts, unparsed);

  const ofDay: Contact[] = [];
  const ofPrevious: Contact[] = [];
  contactsOfDays(contacts, day, ofDay, previousDay, ofPrevious);
  const channel = (c: Contact) => channelOf(c, tz);

  // Channels: the four of «Справочники» always, in their order, then anything else typed.
  const channelOrder = new Set<string>(SECRETARY_CHANNELS);
  for (const c of ofDay) channelOrder.add(channel(c));
  for (const c of ofPrevious) channelOrder.add(channel(c));
  const countBy = (list: Contact[], f: (c: Contact) => string) => {
    const m = new Map<string, number>();
    for (const c of list) m.set(f(c), (m.get(f(c)) ?? 0) + 1);
    return m;
  };
  const dayChannels = countBy(ofDay, channel);
  const prevChannels = countBy(ofPrevious, channel);
  const byChannel: ChannelCount[] = [...channelOrder].map((channel) => {
    const count = dayChannels.get(channel) ?? 0;
    const previousCount = prevChannels.get(channel) ?? 0;
    return { channel, count, previousCount, delta: count - previousCount };
  });

  const outcomes = countBy(ofDay, (c) => c.outcome);
  const outcomeOrder = [...SECRETARY_OUTCOMES, ...[...outcomes.keys()].filter((o) => !SECRETARY_OUTCOMES.includes(o))];
  const byOutcome = outcomeOrder.filter((o) => outcomes.has(o)).map((outcome) => ({ outcome, count: outcomes.get(outcome)! }));

  const newOnes = ofDay.filter((c) => readYes(c.values.newClient));
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

/** The contacts of `day` into `ofDay`, of `previousDay` into `ofPrevious` (a loop alone, as readContacts). */
function contactsOfDays(contacts: Contact[], day: LocalDate, ofDay: Contact[], previousDay: LocalDate, ofPrevious: Contact[]): void {
  for (const c of contacts) {
    if (c.date === day) ofDay.push(c);
    else if (c.date === previousDay) ofPrevious.push(c);
  }
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
    if (c.time === '') continue;
    const at = responseInstant(c.values[key], c, tz);
    if (at === null) continue;
    const minutes = at === 'bad' ? -1 : Math.round((at - c.ms) / 60_000);
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
      time: c.time,
      client: readText(c.values.client, tz),
      manager: c.managerKey ? names.display(c.managerKey) : '',
      channel: channelOf(c, tz),
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
  const open = contacts.filter(isOpenCallback);
  if (open.length === 0) return [];
  const latest = new LatestRows(open);
  latest.scan(contacts);
  // Days waited, by date: a handful of dates repeat over the list.
  const ages = new Map<LocalDate, number>();
  const ageOf = (date: LocalDate) => {
    let age = ages.get(date);
    if (age === undefined) ages.set(date, (age = Math.max(0, daysBetween(date, sendDay))));
    return age;
  };
  return open
    .filter((c) => !latest.closed(c))
    .sort((a, b) => a.ms - b.ms || a.rowNumber - b.rowNumber)
    .map((c) => ({
      rowNumber: c.rowNumber,
      date: c.date,
      time: c.time,
      client: readText(c.values.client, tz),
      company: readText(c.values.company, tz),
      contact: readText(c.values.contact, tz),
      manager: c.managerKey ? names.display(c.managerKey) : '',
      request: readText(c.values.request, tz),
      comment: readText(c.values.comment, tz),
      ageDays: ageOf(c.date),
    }));
}

/** A «Перезвонить» row; one whose «Перезвонили в» is filled is done, whoever logged it. */
function isOpenCallback(c: Contact): boolean {
  return c.outcome === OUTCOME_CALLBACK && isBlank(c.values.calledBackAt);
}

/**
 * The latest row per client key, kept only for the keys of open callbacks: the maps stay small and the
 * other rows cost one lookup each. A key maps to null until a row with it is seen.
 */
class LatestRows {
  private readonly byContact = new Map<ContactKey, Contact | null>();
  private readonly byName = new Map<string, Contact | null>();
  private readonly byNameNoContact = new Map<string, Contact | null>();

  constructor(open: Contact[]) {
    for (const c of open) {
      if (c.contactKey !== null) {
        this.byContact.set(c.contactKey, null);
        if (c.nameKey !== null) this.byNameNoContact.set(c.nameKey, null);
      } else if (c.nameKey !== null) this.byName.set(c.nameKey, null);
    }
  }

  /** Notes every row of the log (a loop alone, as readContacts). */
  scan(contacts: Contact[]): void {
    const anyByName = this.byName.size > 0;
    const anyByNameNoContact = this.byNameNoContact.size > 0;
    for (const c of contacts) {
      if (c.contactKey !== null) keepLatest(this.byContact, c.contactKey, c);
      if (c.nameKey !== null) {
        if (anyByName) keepLatest(this.byName, c.nameKey, c);
        if (c.contactKey === null && anyByNameNoContact) keepLatest(this.byNameNoContact, c.nameKey, c);
      }
    }
  }

  /** A later row for the same client: by phone / email, or by name where one of the two has neither. */
  closed(c: Contact): boolean {
    return c.contactKey !== null
      ? isLater(this.byContact, c.contactKey, c) || isLater(this.byNameNoContact, c.nameKey, c)
      : isLater(this.byName, c.nameKey, c);
  }
}

/** `a` was logged after `b` (same instant: the lower row is the later one). */
function later(a: Contact, b: Contact): boolean {
  return a.ms > b.ms || (a.ms === b.ms && a.rowNumber > b.rowNumber);
}

/** Records `c` under `key` when the key is wanted and `c` is its latest row so far. */
function keepLatest<K>(map: Map<K, Contact | null>, key: K, c: Contact): void {
  const seen = map.get(key);
  if (seen === null || (seen !== undefined && later(c, seen))) map.set(key, c);
}

/** A row under `key` later than `c`. */
function isLater<K>(map: Map<K, Contact | null>, key: K | null, c: Contact): boolean {
  const seen = key === null ? undefined : map.get(key);
  return seen !== undefined && seen !== null && later(seen, c);
}
