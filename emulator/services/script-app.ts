// ScriptApp: installable triggers with their builders and limits, plus a harness that tells which clock
// triggers would fire in a time window, with the documented imprecision.
// https://developers.google.com/apps-script/reference/script/clock-trigger-builder
import { seededRandom, type EmulatorContext } from '../context';
import { isDateLike, signatureError } from './utilities';
import { zonedParts, zonedToUtc, isKnownZone } from './timezone';

type ScriptAppApi = Pick<GoogleAppsScript.Script.ScriptApp,
  'newTrigger' | 'getProjectTriggers' | 'getUserTriggers' | 'deleteTrigger' | 'getScriptId' | 'getOAuthToken' |
  'AuthMode' | 'EventType' | 'TriggerSource' | 'WeekDay'>;
type TriggerApi = Pick<GoogleAppsScript.Script.Trigger, 'getEventType' | 'getHandlerFunction' | 'getTriggerSource' | 'getTriggerSourceId' | 'getUniqueId'>;
type TriggerBuilderApi = Pick<GoogleAppsScript.Script.TriggerBuilder, 'timeBased' | 'forSpreadsheet'>;
type ClockBuilderApi = Pick<GoogleAppsScript.Script.ClockTriggerBuilder,
  'after' | 'at' | 'atHour' | 'create' | 'everyDays' | 'everyHours' | 'everyMinutes' | 'everyWeeks' | 'inTimezone' |
  'nearMinute' | 'onMonthDay' | 'onWeekDay'>;
type SpreadsheetBuilderApi = Pick<GoogleAppsScript.Script.SpreadsheetTriggerBuilder, 'create' | 'onChange' | 'onEdit' | 'onFormSubmit' | 'onOpen'>;

// Enum members are plain strings here: they compare with === and print their name, as the real ones do.
export const AuthMode = { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' } as const;
export const EventType = { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_FORM_SUBMIT: 'ON_FORM_SUBMIT', ON_CHANGE: 'ON_CHANGE', ON_EVENT_UPDATED: 'ON_EVENT_UPDATED' } as const;
export const TriggerSource = { SPREADSHEETS: 'SPREADSHEETS', CLOCK: 'CLOCK', FORMS: 'FORMS', DOCUMENTS: 'DOCUMENTS', CALENDAR: 'CALENDAR' } as const;
export const WeekDay = { SUNDAY: 'SUNDAY', MONDAY: 'MONDAY', TUESDAY: 'TUESDAY', WEDNESDAY: 'WEDNESDAY', THURSDAY: 'THURSDAY', FRIDAY: 'FRIDAY', SATURDAY: 'SATURDAY' } as const;
const WEEKDAY_INDEX: Record<string, number> = { SUNDAY: 0, MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5, SATURDAY: 6 };

/** "20 triggers / user / script": https://developers.google.com/apps-script/guides/services/quotas */
export const MAX_TRIGGERS_PER_USER = 20;
export const TRIGGER_ERRORS = {
  tooMany: 'This script has too many triggers. Triggers must be deleted from the script before more can be added.',
  everyMinutes: 'The value you passed to everyMinutes was invalid. It must be one of 1, 5, 10, 15 or 30.',
  everyHours: 'The value you passed to everyHours was invalid. It must be one of 1, 2, 4, 6, 8 or 12.',
} as const;

export interface ClockSpec {
  everyMinutes?: number;
  everyHours?: number;
  everyDays?: number;
  everyWeeks?: number;
  atHour?: number;
  nearMinute?: number;
  weekDay?: string;
  monthDay?: number;
  at?: number;
  after?: number;
  timezone: string;
}

export interface TriggerRecord {
  uid: string;
  handler: string;
  eventType: keyof typeof EventType;
  source: keyof typeof TriggerSource;
  sourceId: string | null;
  owner: string;
  createdAt: number;
  /** Seed for this trigger's firing jitter, drawn from ctx.random at creation. */
  salt: number;
  clock?: ClockSpec;
}

export interface TriggerFiring {
  handler: string;
  time: number;
  triggerUid: string;
  event: ClockTriggerEvent;
}

/** The event object a time-driven trigger passes (fields in UTC). */
export interface ClockTriggerEvent {
  authMode: string;
  'day-of-month': number;
  'day-of-week': number;
  hour: number;
  minute: number;
  month: number;
  second: number;
  timezone: string;
  triggerUid: string;
  'week-of-year': number;
  year: number;
}

class EmulatedTrigger implements TriggerApi {
  constructor(private readonly ctx: EmulatorContext, readonly record: TriggerRecord) {}
  getEventType(): GoogleAppsScript.Script.EventType { this.ctx.recorder.call('Trigger.getEventType'); return this.record.eventType as unknown as GoogleAppsScript.Script.EventType; }
  getHandlerFunction(): string { this.ctx.recorder.call('Trigger.getHandlerFunction'); return this.record.handler; }
  getTriggerSource(): GoogleAppsScript.Script.TriggerSource { this.ctx.recorder.call('Trigger.getTriggerSource'); return this.record.source as unknown as GoogleAppsScript.Script.TriggerSource; }
  /** The spreadsheet id for spreadsheet triggers; null for time-driven ones. */
  getTriggerSourceId(): string { this.ctx.recorder.call('Trigger.getTriggerSourceId'); return this.record.sourceId as string; }
  getUniqueId(): string { this.ctx.recorder.call('Trigger.getUniqueId'); return this.record.uid; }
}

const asTrigger = (t: EmulatedTrigger) => t as unknown as GoogleAppsScript.Script.Trigger;

function hashInts(a: number, b: number): number {
  let h = (a ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (b >>> 0), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Reproducible jitter in [0, 1) for one trigger and one period. */
function jitter(salt: number, period: number): number {
  return seededRandom(hashInts(salt, period))();
}

function isoWeek(y: number, m: number, d: number): number {
  const date = new Date(Date.UTC(y, m - 1, d));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  return Math.ceil(((date.getTime() - yearStart) / 86400000 + 1) / 7);
}

export function clockEvent(time: number, triggerUid: string): ClockTriggerEvent {
  const d = new Date(time);
  return {
    authMode: AuthMode.FULL,
    'day-of-month': d.getUTCDate(),
    'day-of-week': d.getUTCDay() || 7,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    month: d.getUTCMonth() + 1,
    second: d.getUTCSeconds(),
    timezone: 'UTC',
    triggerUid,
    'week-of-year': isoWeek(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()),
    year: d.getUTCFullYear(),
  };
}

export class TriggerRegistry {
  readonly records: TriggerRecord[] = [];

  constructor(private readonly ctx: EmulatorContext, readonly scriptId: string) {}

  newUid(): string {
    return String(1_000_000_000 + Math.floor(this.ctx.random() * 8_999_999_999));
  }

  add(record: Omit<TriggerRecord, 'uid' | 'owner' | 'createdAt' | 'salt'>): TriggerRecord {
    const owner = this.ctx.userEmail;
    if (this.records.filter((r) => r.owner === owner).length >= MAX_TRIGGERS_PER_USER) throw new Error(TRIGGER_ERRORS.tooMany);
    const full: TriggerRecord = { ...record, uid: this.newUid(), owner, createdAt: this.ctx.clock.now(), salt: Math.floor(this.ctx.random() * 2 ** 32) };
    this.records.push(full);
    return full;
  }

  /** Harness: all triggers of every user. */
  list(): readonly TriggerRecord[] { return this.records; }

  /** Harness: triggers of the current user, as getProjectTriggers sees them. */
  mine(): TriggerRecord[] { return this.records.filter((r) => r.owner === this.ctx.userEmail); }

  remove(uid: string): boolean {
    const i = this.records.findIndex((r) => r.uid === uid);
    if (i < 0) return false;
    this.records.splice(i, 1);
    return true;
  }

  /**
   * Harness: the firings time-driven triggers would make with time in [fromMs, toMs), sorted by time.
   * Models the documented imprecision: everyMinutes/everyHours fire once per period at a random offset
   * inside it; atHour fires at a random minute of the hour; nearMinute lands within ±15 minutes.
   * The jitter is derived from ctx.random (at trigger creation), so a seed reproduces a run.
   */
  dueBetween(fromMs: number | Date, toMs: number | Date): TriggerFiring[] {
    const from = typeof fromMs === 'number' ? fromMs : fromMs.getTime();
    const to = typeof toMs === 'number' ? toMs : toMs.getTime();
    const out: TriggerFiring[] = [];
    for (const r of this.records) {
      if (r.eventType !== 'CLOCK' || !r.clock) continue;
      for (const time of this.firingsOf(r, from, to)) out.push({ handler: r.handler, time, triggerUid: r.uid, event: clockEvent(time, r.uid) });
    }
    return out.sort((a, b) => a.time - b.time || a.triggerUid.localeCompare(b.triggerUid));
  }

  private firingsOf(r: TriggerRecord, from: number, to: number): number[] {
    const c = r.clock!;
    const times: number[] = [];
    const keep = (t: number) => { if (t >= from && t < to && t >= r.createdAt) times.push(t); };
    if (c.at !== undefined) { keep(c.at); return times; }
    if (c.after !== undefined) { keep(r.createdAt + c.after + Math.floor(jitter(r.salt, 0) * 60_000)); return times; }
    const period = c.everyMinutes !== undefined ? c.everyMinutes * 60_000 : c.everyHours !== undefined ? c.everyHours * 3_600_000 : 0;
    if (period > 0) {
      for (let k = Math.floor(Math.max(from, r.createdAt) / period) - 1; k * period < to; k++) {
        keep(k * period + Math.floor(jitter(r.salt, k) * period));
      }
      return times;
    }
    // Day-based: everyDays / everyWeeks + onWeekDay / onMonthDay, at an hour in the trigger's zone.
    const zone = c.timezone;
    const created = zonedParts(r.createdAt, zone);
    const createdDay = Math.floor(Date.UTC(created.year, created.month - 1, created.day) / 86_400_000);
    const hour = c.atHour ?? created.hour;
    const start = zonedParts(Math.max(from, r.createdAt) - 2 * 86_400_000, zone);
    let day = Math.floor(Date.UTC(start.year, start.month - 1, start.day) / 86_400_000);
    const endDay = Math.floor(to / 86_400_000) + 2;
    for (; day <= endDay; day++) {
      const date = new Date(day * 86_400_000);
      const y = date.getUTCFullYear(), m = date.getUTCMonth() + 1, d = date.getUTCDate(), wd = date.getUTCDay();
      if (c.monthDay !== undefined) { if (d !== c.monthDay) continue; }
      else if (c.everyWeeks !== undefined || c.weekDay !== undefined) {
        const want = c.weekDay !== undefined ? WEEKDAY_INDEX[c.weekDay] : created.weekday;
        if (wd !== want) continue;
        const weeks = Math.floor((day - createdDay) / 7);
        if (weeks < 0 || weeks % (c.everyWeeks ?? 1) !== 0) continue;
      } else {
        const n = c.everyDays ?? 1;
        if ((day - createdDay) % n !== 0 || day < createdDay) continue;
      }
      const base = zonedToUtc(zone, y, m, d, hour, 0);
      const j = jitter(r.salt, day);
      keep(c.nearMinute !== undefined ? base + c.nearMinute * 60_000 + Math.round((j * 30 - 15) * 60_000) : base + Math.floor(j * 3_600_000));
    }
    return times;
  }

  serialize(): TriggerRecord[] { return this.records.map((r) => ({ ...r, clock: r.clock ? { ...r.clock } : undefined })); }

  restore(records: TriggerRecord[]): void {
    this.records.length = 0;
    for (const r of records) this.records.push({ ...r });
  }
}

function checkInt(method: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) throw signatureError(method, [n]);
  return Math.trunc(n);
}

class EmulatedClockTriggerBuilder implements ClockBuilderApi {
  private readonly spec: ClockSpec;

  constructor(private readonly ctx: EmulatorContext, private readonly registry: TriggerRegistry, private readonly handler: string) {
    this.spec = { timezone: ctx.scriptTimeZone };
  }

  private self(): GoogleAppsScript.Script.ClockTriggerBuilder { return this as unknown as GoogleAppsScript.Script.ClockTriggerBuilder; }

  after(durationMilliseconds: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.after');
    this.spec.after = Math.max(0, checkInt('ClockTriggerBuilder.after', durationMilliseconds));
    return this.self();
  }

  at(date: GoogleAppsScript.Base.Date): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.at');
    if (!isDateLike(date)) throw signatureError('ClockTriggerBuilder.at', [date]);
    this.spec.at = date.getTime();
    return this.self();
  }

  atHour(hour: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.atHour');
    const h = checkInt('ClockTriggerBuilder.atHour', hour);
    if (h < 0 || h > 23) throw new Error('Invalid argument: hour');
    this.spec.atHour = h;
    return this.self();
  }

  everyMinutes(n: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.everyMinutes');
    const v = checkInt('ClockTriggerBuilder.everyMinutes', n);
    if (![1, 5, 10, 15, 30].includes(v)) throw new Error(TRIGGER_ERRORS.everyMinutes);
    this.spec.everyMinutes = v;
    return this.self();
  }

  everyHours(n: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.everyHours');
    const v = checkInt('ClockTriggerBuilder.everyHours', n);
    if (![1, 2, 4, 6, 8, 12].includes(v)) throw new Error(TRIGGER_ERRORS.everyHours);
    this.spec.everyHours = v;
    return this.self();
  }

  everyDays(n: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.everyDays');
    const v = checkInt('ClockTriggerBuilder.everyDays', n);
    if (v < 1) throw new Error('Invalid argument: days');
    this.spec.everyDays = v;
    return this.self();
  }

  everyWeeks(n: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.everyWeeks');
    const v = checkInt('ClockTriggerBuilder.everyWeeks', n);
    if (v < 1) throw new Error('Invalid argument: weeks');
    this.spec.everyWeeks = v;
    return this.self();
  }

  inTimezone(timezone: string): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.inTimezone');
    if (typeof timezone !== 'string' || !isKnownZone(timezone)) throw new Error(`Invalid argument: timezone`);
    this.spec.timezone = timezone;
    return this.self();
  }

  nearMinute(minute: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.nearMinute');
    const m = checkInt('ClockTriggerBuilder.nearMinute', minute);
    if (m < 0 || m > 59) throw new Error('Invalid argument: minute');
    this.spec.nearMinute = m;
    return this.self();
  }

  onMonthDay(day: number): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.onMonthDay');
    const d = checkInt('ClockTriggerBuilder.onMonthDay', day);
    if (d < 1 || d > 31) throw new Error('Invalid argument: day');
    this.spec.monthDay = d;
    return this.self();
  }

  onWeekDay(day: GoogleAppsScript.Base.Weekday): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('ClockTriggerBuilder.onWeekDay');
    const name = String(day);
    if (!(name in WEEKDAY_INDEX)) throw signatureError('ClockTriggerBuilder.onWeekDay', [day]);
    this.spec.weekDay = name;
    return this.self();
  }

  create(): GoogleAppsScript.Script.Trigger {
    this.ctx.recorder.call('ClockTriggerBuilder.create');
    const s = this.spec;
    const recurring = [s.everyMinutes, s.everyHours, s.everyDays, s.everyWeeks, s.monthDay].filter((x) => x !== undefined).length;
    const oneOff = [s.at, s.after].filter((x) => x !== undefined).length;
    if (recurring + oneOff === 0 && s.weekDay === undefined) throw new Error('Missing trigger schedule: call everyMinutes, everyHours, everyDays, everyWeeks, onWeekDay, onMonthDay, at or after before create().');
    if ((s.atHour !== undefined || s.nearMinute !== undefined) && (s.everyMinutes !== undefined || s.everyHours !== undefined)) {
      throw new Error('atHour() and nearMinute() can only be used with everyDays(), everyWeeks(), onWeekDay() or onMonthDay().');
    }
    const record = this.registry.add({ handler: this.handler, eventType: 'CLOCK', source: 'CLOCK', sourceId: null, clock: { ...s } });
    return asTrigger(new EmulatedTrigger(this.ctx, record));
  }
}

class EmulatedSpreadsheetTriggerBuilder implements SpreadsheetBuilderApi {
  private eventType: TriggerRecord['eventType'] | null = null;

  constructor(private readonly ctx: EmulatorContext, private readonly registry: TriggerRegistry, private readonly handler: string, private readonly sourceId: string) {}

  private set(method: string, type: TriggerRecord['eventType']): GoogleAppsScript.Script.SpreadsheetTriggerBuilder {
    this.ctx.recorder.call(`SpreadsheetTriggerBuilder.${method}`);
    this.eventType = type;
    return this as unknown as GoogleAppsScript.Script.SpreadsheetTriggerBuilder;
  }

  onChange() { return this.set('onChange', 'ON_CHANGE'); }
  onEdit() { return this.set('onEdit', 'ON_EDIT'); }
  onFormSubmit() { return this.set('onFormSubmit', 'ON_FORM_SUBMIT'); }
  onOpen() { return this.set('onOpen', 'ON_OPEN'); }

  create(): GoogleAppsScript.Script.Trigger {
    this.ctx.recorder.call('SpreadsheetTriggerBuilder.create');
    if (!this.eventType) throw new Error('Missing trigger type: call onOpen, onEdit, onChange or onFormSubmit before create().');
    const record = this.registry.add({ handler: this.handler, eventType: this.eventType, source: 'SPREADSHEETS', sourceId: this.sourceId });
    return asTrigger(new EmulatedTrigger(this.ctx, record));
  }
}

/** Reads a spreadsheet's id without counting it as the script's own call. */
function spreadsheetId(ctx: EmulatorContext, ssOrId: unknown, method: string): string {
  if (typeof ssOrId === 'string') return ssOrId;
  if (ssOrId && typeof (ssOrId as { getId?: unknown }).getId === 'function') {
    return ctx.recorder.quiet(() => (ssOrId as { getId(): string }).getId());
  }
  throw signatureError(method, [ssOrId]);
}

class EmulatedTriggerBuilder implements TriggerBuilderApi {
  constructor(private readonly ctx: EmulatorContext, private readonly registry: TriggerRegistry, private readonly handler: string) {}

  timeBased(): GoogleAppsScript.Script.ClockTriggerBuilder {
    this.ctx.recorder.call('TriggerBuilder.timeBased');
    return new EmulatedClockTriggerBuilder(this.ctx, this.registry, this.handler) as unknown as GoogleAppsScript.Script.ClockTriggerBuilder;
  }

  forSpreadsheet(sheetOrKey: GoogleAppsScript.Spreadsheet.Spreadsheet | string): GoogleAppsScript.Script.SpreadsheetTriggerBuilder {
    this.ctx.recorder.call('TriggerBuilder.forSpreadsheet');
    const id = spreadsheetId(this.ctx, sheetOrKey, 'TriggerBuilder.forSpreadsheet');
    return new EmulatedSpreadsheetTriggerBuilder(this.ctx, this.registry, this.handler, id) as unknown as GoogleAppsScript.Script.SpreadsheetTriggerBuilder;
  }
}

export class EmulatedScriptApp implements ScriptAppApi {
  readonly AuthMode = AuthMode as unknown as typeof GoogleAppsScript.Script.AuthMode;
  readonly EventType = EventType as unknown as typeof GoogleAppsScript.Script.EventType;
  readonly TriggerSource = TriggerSource as unknown as typeof GoogleAppsScript.Script.TriggerSource;
  readonly WeekDay = WeekDay as unknown as typeof GoogleAppsScript.Base.Weekday;

  constructor(private readonly ctx: EmulatorContext, readonly registry: TriggerRegistry) {}

  newTrigger(functionName: string): GoogleAppsScript.Script.TriggerBuilder {
    this.ctx.recorder.call('ScriptApp.newTrigger');
    if (typeof functionName !== 'string' || functionName === '') throw signatureError('ScriptApp.newTrigger', [functionName]);
    return new EmulatedTriggerBuilder(this.ctx, this.registry, functionName) as unknown as GoogleAppsScript.Script.TriggerBuilder;
  }

  /** "Gets all installable triggers associated with the current project and current user." */
  getProjectTriggers(): GoogleAppsScript.Script.Trigger[] {
    this.ctx.recorder.call('ScriptApp.getProjectTriggers');
    return this.registry.mine().map((r) => asTrigger(new EmulatedTrigger(this.ctx, r)));
  }

  getUserTriggers(spreadsheet: GoogleAppsScript.Spreadsheet.Spreadsheet | GoogleAppsScript.Document.Document | GoogleAppsScript.Forms.Form): GoogleAppsScript.Script.Trigger[] {
    this.ctx.recorder.call('ScriptApp.getUserTriggers');
    const id = spreadsheetId(this.ctx, spreadsheet, 'ScriptApp.getUserTriggers');
    return this.registry.mine().filter((r) => r.sourceId === id).map((r) => asTrigger(new EmulatedTrigger(this.ctx, r)));
  }

  deleteTrigger(trigger: GoogleAppsScript.Script.Trigger): void {
    this.ctx.recorder.call('ScriptApp.deleteTrigger');
    const uid = trigger instanceof EmulatedTrigger ? trigger.record.uid : this.ctx.recorder.quiet(() => trigger.getUniqueId());
    this.registry.remove(uid);
  }

  getScriptId(): string {
    this.ctx.recorder.call('ScriptApp.getScriptId');
    return this.registry.scriptId;
  }

  getOAuthToken(): string {
    this.ctx.recorder.call('ScriptApp.getOAuthToken');
    return 'emulated-oauth-token';
  }
}

export function createScriptApp(ctx: EmulatorContext, scriptId = '1EmulatedScriptId0000000000000000000000000000000000000'): { service: EmulatedScriptApp; triggers: TriggerRegistry } {
  const triggers = new TriggerRegistry(ctx, scriptId);
  return { service: new EmulatedScriptApp(ctx, triggers), triggers };
}
