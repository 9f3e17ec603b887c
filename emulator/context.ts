// Shared state of one emulated Apps Script world: the call recorder, a virtual clock, the user and
// a seeded random source. Every emulated service receives this context.
import { ServiceRecorder } from './recorder';

export interface VirtualClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function createClock(startMs: number): VirtualClock {
  let t = startMs;
  return {
    now: () => t,
    set: (ms) => { t = ms; },
    advance: (ms) => { t += ms; },
  };
}

/** Mulberry32: small, fast, reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Google account kind of the users: quotas and Session behaviour differ
 *  (https://developers.google.com/apps-script/guides/services/quotas). */
export type AccountKind = 'consumer' | 'workspace';
/** https://developers.google.com/apps-script/reference/script/auth-mode */
export type AuthModeName = 'FULL' | 'LIMITED' | 'NONE';

export interface EmulatorContext {
  recorder: ServiceRecorder;
  /** Consumer (gmail.com) or Workspace account: decides quotas. */
  account: AccountKind;
  /** Authorization mode of the running execution (LIMITED for simple triggers). */
  authMode: AuthModeName;
  /** Scopes the project's manifest grants (oauthScopes of appsscript.json). */
  grantedScopes: ReadonlySet<string>;
  clock: VirtualClock;
  random: () => number;
  /** Effective user of the running execution: whose permissions and quotas apply (the person for simple
   *  triggers and menu runs, the creator for installable triggers). Changed by beginExecution. */
  userEmail: string;
  /** Owner of the script project and bound spreadsheet. */
  ownerEmail: string;
  /** Script project time zone (appsscript.json timeZone). */
  scriptTimeZone: string;
}

export function createContext(opts: Partial<Omit<EmulatorContext, 'recorder' | 'clock' | 'random'>> & { now?: number; seed?: number } = {}): EmulatorContext {
  return {
    recorder: new ServiceRecorder(),
    account: opts.account ?? 'consumer',
    authMode: opts.authMode ?? 'FULL',
    grantedScopes: opts.grantedScopes ?? new Set(),
    clock: createClock(opts.now ?? Date.UTC(2026, 10, 23, 9, 0)),
    random: seededRandom(opts.seed ?? 1),
    userEmail: opts.userEmail ?? 'owner@example.com',
    ownerEmail: opts.ownerEmail ?? 'owner@example.com',
    scriptTimeZone: opts.scriptTimeZone ?? 'Europe/Moscow',
  };
}
