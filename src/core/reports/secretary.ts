// The 11:00 secretary summary (SPEC §3.4): the previous Moscow calendar day of «Отчёт секретаря».
import { addDays, daysBetween, toLocalDate, type LocalDate } from '../dates';
import { rmsg } from './messages';
import { cellText } from '../analytics/cells';
import { isBlank, NameBook, nameKey, readMoment, readText, readYes, type Moment } from './read';
import { OUTCOME_CALLBACK, OUTCOME_REQUEST, SECRETARY_CHANNELS, SECRETARY_HEADERS, SECRETARY_OUTCOMES, SECRETARY_SHEET } from './sheets';
import { SECRETARY_KEYS, type CellValue, type ChannelCount, type OpenCallback, type SecretaryReport, type SecretaryRow, type UnparsedRow } from './types';
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

/** Phone → its last 10 digits (so +7 916… and 8 916… match); email → lower case. */
function contactIdentity(contact: string): string | null {
  const text = contact.trim().toLowerCase();
  if (!text) return null;
  const email = /[^\s,;<>]+@[^\s,;<>]+/.exec(text);
  if (email) return `mail:${email[0]}`;
  const digits = text.replace(/\D/g, '');
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

export function computeSecretaryReport(input: SecretaryInput): SecretaryReport {
  const { rows, now, tz } = input;
  const sendDay = toLocalDate(now, tz);
  const day = addDays(sendDay, -1);
  const previousDay = addDays(day, -1);
  const names = new NameBook();
  for (const m of input.managers ?? []) names.add(m);

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
    noRows: ofDay.length === 0,
    unparsed,
  };
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
  return contacts
    .filter((c) => c.outcome === OUTCOME_CALLBACK && !closed(c))
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
