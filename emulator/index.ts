// The whole emulated Apps Script world in one object: every service, the harness handles tests and the
// local runner need, and the globals a script (or the built bundle in node:vm) sees.
import { readFileSync } from 'node:fs';
import { createContext, type AccountKind, type EmulatorContext, type VirtualClock } from './context';
import { authorizationGuard } from './auth/guard';
import { callLatencyMs, MS_PER_CELL } from './services/latency';
import { Charts, createSpreadsheetWorld, type SpreadsheetWorld } from './spreadsheet/index';
import { ExecutionState, type ExecutionKind, type TriggerOrigin } from './services/execution';
import { createUtilities, type EmulatedUtilities } from './services/utilities';
import { createSession, type EmulatedSession } from './services/session';
import { createPropertiesService, type EmulatedPropertiesService, type PropertyStoreKind } from './services/properties';
import { createCacheService, type EmulatedCacheService, type CacheKind } from './services/cache';
import { createLockService, type LockRegistry } from './services/lock';
import { createScriptApp, type TriggerRegistry, type TriggerRecord } from './services/script-app';
import { createMailApp, type EmulatedMailApp, type MailState } from './services/mail';
import { createHtmlService, type EmulatedHtmlService } from './services/html';
import { createUi, type EmulatedUi } from './services/ui';
import { createConsole, createLogger, LogSink } from './services/logger';

export type { ExecutionKind, TriggerOrigin } from './services/execution';
export type { SentMail } from './services/mail';
export type { TriggerFiring, TriggerRecord } from './services/script-app';

/** The parts of appsscript.json the platform acts on. */
export interface ScriptManifest {
  timeZone?: string;
  /** Explicit scopes: the script may call only methods Google documents under one of them. */
  oauthScopes: string[];
}

export interface GasEnvironmentOptions {
  /** The project's manifest. Required: what the script may call depends on it, as on Google. */
  manifest: ScriptManifest;
  now?: number | Date;
  seed?: number;
  /** The person who runs things unless an execution names someone else (default: the owner). */
  userEmail?: string;
  ownerEmail?: string;
  scriptTimeZone?: string;
  /** Daily mail recipients (default: the account kind's quota). */
  mailQuota?: number;
  scriptId?: string;
  /** Consumer (default) or Workspace accounts: quotas and Session behaviour. */
  account?: AccountKind;
}

/** Reads an appsscript.json (the built one, dist/appsscript.json, is what Google would get). */
export function readManifest(file: string): ScriptManifest {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<ScriptManifest>;
  if (!Array.isArray(json.oauthScopes)) throw new Error(`${file}: no oauthScopes list`);
  return { timeZone: json.timeZone, oauthScopes: json.oauthScopes.map(String) };
}

/** The globals Apps Script gives a script. */
export interface GasGlobals {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  DriveApp: GoogleAppsScript.Drive.DriveApp;
  Session: GoogleAppsScript.Base.Session;
  Utilities: GoogleAppsScript.Utilities.Utilities;
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  CacheService: GoogleAppsScript.Cache.CacheService;
  LockService: GoogleAppsScript.Lock.LockService;
  ScriptApp: GoogleAppsScript.Script.ScriptApp;
  MailApp: GoogleAppsScript.Mail.MailApp;
  HtmlService: GoogleAppsScript.HTML.HtmlService;
  Logger: GoogleAppsScript.Base.Logger;
  Charts: typeof Charts;
  console: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'time' | 'timeEnd'>;
  Date: DateConstructor;
}

export interface GasState {
  version: 1;
  /** Virtual time when saved. */
  savedAt: number;
  properties: Record<PropertyStoreKind, Record<string, string>>;
  cache: ReturnType<EmulatedCacheService['serialize']>;
  triggers: TriggerRecord[];
  mail: MailState;
  /** Daily trigger runtime used per trigger owner (the quota outlives one run of the local runner). */
  triggerRuntime?: Record<string, { start: number; usedMs: number }>;
  spreadsheets?: unknown;
}

export interface BeginExecutionOptions {
  /** For installable triggers: time-driven (default) or a spreadsheet trigger. */
  origin?: TriggerOrigin;
  /**
   * Menu runs and simple triggers: the person at the keyboard (default: the environment's user).
   * Installable triggers: ignored when `trigger` is given (they run as the trigger's creator).
   */
  user?: string;
  /** Installable triggers: the trigger that fires; the execution runs as the user who created it. */
  trigger?: TriggerRecord | string;
}

export interface GasEnvironment {
  ctx: EmulatorContext;
  world: SpreadsheetWorld;
  ui: EmulatedUi;
  mail: EmulatedMailApp;
  locks: LockRegistry;
  triggers: TriggerRegistry;
  properties: EmulatedPropertiesService;
  cache: EmulatedCacheService;
  session: EmulatedSession;
  html: EmulatedHtmlService;
  utilities: EmulatedUtilities;
  logs: LogSink;
  execution: ExecutionState;
  globals: GasGlobals;
  /** Assigns every global (and the virtual Date) to the target; returns the undo. */
  install(target?: object): () => void;
  beginExecution(kind: ExecutionKind, opts?: BeginExecutionOptions): void;
  endExecution(): void;
  saveState(opts?: { spreadsheets?: boolean }): GasState;
  loadState(data: unknown): void;
}

/**
 * A Date whose zero-argument constructor and Date.now() read the virtual clock. Instances are ordinary
 * host Dates (same prototype), so `instanceof Date` and every Date method behave as usual.
 */
export function createVirtualDate(clock: VirtualClock, Host: DateConstructor = Date): DateConstructor {
  function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new Host(clock.now()).toString();
    return Reflect.construct(Host, args.length === 0 ? [clock.now()] : args, new.target);
  }
  VirtualDate.prototype = Host.prototype;
  Object.defineProperty(VirtualDate, 'name', { value: 'Date' });
  Object.assign(VirtualDate, { now: () => clock.now(), parse: Host.parse, UTC: Host.UTC });
  return VirtualDate as unknown as DateConstructor;
}

export function createGasEnvironment(opts: GasEnvironmentOptions): GasEnvironment {
  const now = opts.now === undefined ? undefined : typeof opts.now === 'number' ? opts.now : opts.now.getTime();
  if (!opts.manifest || !Array.isArray(opts.manifest.oauthScopes)) {
    throw new Error('Emulator: pass the project manifest (appsscript.json with oauthScopes): scopes decide what the script may call');
  }
  const ctx = createContext({
    now, seed: opts.seed, userEmail: opts.userEmail, ownerEmail: opts.ownerEmail ?? opts.userEmail,
    scriptTimeZone: opts.scriptTimeZone ?? opts.manifest.timeZone, account: opts.account,
    grantedScopes: new Set(opts.manifest.oauthScopes),
  });
  const defaultUser = ctx.userEmail;
  const execution = new ExecutionState(ctx.clock.now(), defaultUser);
  ctx.recorder.latency = callLatencyMs;
  ctx.recorder.msPerCell = MS_PER_CELL;
  ctx.recorder.costListener = (ms) => execution.spend(ms, ctx.clock.now());
  ctx.recorder.addGuard(authorizationGuard(ctx, execution));
  const logs = new LogSink(ctx);
  const utilities = createUtilities(ctx);
  const session = createSession(ctx);
  session.currentUser = () => execution.current.user;
  const properties = createPropertiesService(ctx);
  const cache = createCacheService(ctx);
  const { service: lockService, locks } = createLockService(ctx, execution);
  const { service: scriptApp, triggers } = createScriptApp(ctx, opts.scriptId);
  const mail = createMailApp(ctx, opts.mailQuota);
  const html = createHtmlService(ctx);
  const ui = createUi(ctx, execution);
  const logger = createLogger(ctx, logs);
  const world = createSpreadsheetWorld(ctx, { getUi: () => ui.forScript() });
  const VirtualDate = createVirtualDate(ctx.clock);

  const globals: GasGlobals = {
    SpreadsheetApp: world.SpreadsheetApp as unknown as GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    DriveApp: world.DriveApp as unknown as GoogleAppsScript.Drive.DriveApp,
    Session: session as unknown as GoogleAppsScript.Base.Session,
    Utilities: utilities as unknown as GoogleAppsScript.Utilities.Utilities,
    PropertiesService: properties as unknown as GoogleAppsScript.Properties.PropertiesService,
    CacheService: cache as unknown as GoogleAppsScript.Cache.CacheService,
    LockService: lockService as unknown as GoogleAppsScript.Lock.LockService,
    ScriptApp: scriptApp as unknown as GoogleAppsScript.Script.ScriptApp,
    MailApp: mail as unknown as GoogleAppsScript.Mail.MailApp,
    HtmlService: html as unknown as GoogleAppsScript.HTML.HtmlService,
    Logger: logger as unknown as GoogleAppsScript.Base.Logger,
    Charts,
    console: createConsole(logs),
    Date: VirtualDate,
  };
  html.templateScope = globals;

  let executionOpen = false;
  const env: GasEnvironment = {
    ctx, world, ui, mail, locks, triggers, properties, cache, session, html, utilities, logs, execution, globals,

    install(target: object = globalThis) {
      const t = target as Record<string, unknown>;
      const saved = new Map<string, PropertyDescriptor | undefined>();
      for (const [key, value] of Object.entries(globals)) {
        saved.set(key, Object.getOwnPropertyDescriptor(t, key));
        Object.defineProperty(t, key, { value, writable: true, configurable: true, enumerable: key !== 'Date' && key !== 'console' });
      }
      return () => {
        for (const [key, desc] of saved) {
          if (desc) Object.defineProperty(t, key, desc);
          else delete t[key];
        }
      };
    },

    beginExecution(kind, o = {}) {
      if (executionOpen) env.endExecution();
      let user = (o.user ?? defaultUser).toLowerCase();
      if (kind === 'installableTrigger' && o.trigger !== undefined) {
        const record = typeof o.trigger === 'string' ? triggers.list().find((r) => r.uid === o.trigger) : o.trigger;
        if (!record) throw new Error(`Emulator: no trigger ${String(o.trigger)}`);
        user = record.owner.toLowerCase();
      }
      execution.begin(kind, ctx.clock.now(), o.origin ?? null, user);
      ctx.userEmail = user;
      ctx.authMode = kind === 'simpleTrigger' ? 'LIMITED' : 'FULL';
      session.activeUserEmail = null;
      executionOpen = true;
    },

    endExecution() {
      locks.endExecution();
      execution.finish(ctx.clock.now());
      executionOpen = false;
      ctx.userEmail = defaultUser;
      ctx.authMode = 'FULL';
      execution.begin('local', ctx.clock.now(), null, defaultUser);
    },

    saveState(o = {}) {
      const state: GasState = {
        version: 1,
        savedAt: ctx.clock.now(),
        properties: properties.serialize(),
        cache: cache.serialize(),
        triggers: triggers.serialize(),
        mail: mail.serialize(),
        triggerRuntime: Object.fromEntries(execution.triggerRuntime),
      };
      if (o.spreadsheets !== false) state.spreadsheets = world.serialize();
      return state;
    },

    loadState(data) {
      if (!data || typeof data !== 'object') throw new Error('Emulator state must be an object');
      const s = data as Partial<GasState>;
      if (s.version !== undefined && s.version !== 1) throw new Error(`Unsupported emulator state version ${String(s.version)}`);
      if (s.properties) properties.restore(s.properties);
      if (s.cache) cache.restore(s.cache as Partial<Record<CacheKind, Record<string, { value: string; expiresAt: number }>>>);
      if (s.triggers) triggers.restore(s.triggers);
      if (s.mail) mail.restore(s.mail);
      if (s.triggerRuntime) for (const [owner, w] of Object.entries(s.triggerRuntime)) execution.triggerRuntime.set(owner, { ...w });
      if (s.spreadsheets !== undefined) world.restore(s.spreadsheets as Parameters<SpreadsheetWorld['restore']>[0]);
    },
  };
  return env;
}
