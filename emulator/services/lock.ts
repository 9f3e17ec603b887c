// LockService with a concurrency harness: another execution can hold a lock until a virtual time, and
// waiting moves the virtual clock instead of the wall clock.
// https://developers.google.com/apps-script/reference/lock/lock — locks are released automatically when the
// script terminates; releaseLock() without the lock has no effect.
import type { EmulatorContext } from '../context';
import type { ExecutionState } from './execution';

type LockApi = Pick<GoogleAppsScript.Lock.Lock, 'tryLock' | 'waitLock' | 'releaseLock' | 'hasLock'>;
type LockServiceApi = Pick<GoogleAppsScript.Lock.LockService, 'getScriptLock' | 'getDocumentLock' | 'getUserLock'>;

export type LockKind = 'script' | 'document' | 'user';
export const LOCK_TIMEOUT_ERROR = 'Lock timeout: another process was holding the lock for too long.';

interface LockSlot {
  /** Execution id holding it, or -1 for "another execution" (harness). */
  holder: number | null;
  /** While held by another execution: the virtual time it lets go. */
  otherUntil: number;
}

export class LockRegistry {
  readonly slots: Record<LockKind, LockSlot> = {
    script: { holder: null, otherUntil: 0 },
    document: { holder: null, otherUntil: 0 },
    user: { holder: null, otherUntil: 0 },
  };
  /** Harness: every acquisition and time-out, in order. */
  readonly log: { kind: LockKind; event: 'acquired' | 'timeout' | 'released'; at: number }[] = [];

  constructor(private readonly ctx: EmulatorContext, private readonly execution: ExecutionState) {}

  /** Harness: "another execution" holds the lock until the given virtual time. */
  holdByOther(kind: LockKind, untilMs: number | Date): void {
    this.slots[kind] = { holder: -1, otherUntil: typeof untilMs === 'number' ? untilMs : untilMs.getTime() };
  }

  /** Harness: is the lock held by anyone (this execution or another) right now? */
  isHeld(kind: LockKind): boolean {
    this.settleOther(kind);
    return this.slots[kind].holder !== null;
  }

  /** Harness: the running execution ended; the platform releases what it still holds. */
  endExecution(): void {
    const id = this.execution.current.id;
    for (const kind of ['script', 'document', 'user'] as const) {
      if (this.slots[kind].holder === id) { this.slots[kind].holder = null; this.log.push({ kind, event: 'released', at: this.ctx.clock.now() }); }
    }
  }

  private settleOther(kind: LockKind): void {
    const slot = this.slots[kind];
    if (slot.holder === -1 && slot.otherUntil <= this.ctx.clock.now()) slot.holder = null;
  }

  /** Waits (virtually) up to timeoutMs; true when the lock is now held by the running execution. */
  acquire(kind: LockKind, timeoutMs: number): boolean {
    const id = this.execution.current.id;
    this.settleOther(kind);
    const slot = this.slots[kind];
    // A stale holder from an execution that ended without endExecution() is treated as released.
    if (slot.holder !== null && slot.holder !== -1 && slot.holder !== id) slot.holder = null;
    if (slot.holder === null || slot.holder === id) {
      slot.holder = id;
      this.log.push({ kind, event: 'acquired', at: this.ctx.clock.now() });
      return true;
    }
    const now = this.ctx.clock.now();
    const wait = Math.max(0, timeoutMs);
    if (slot.otherUntil <= now + wait) {
      this.ctx.clock.set(slot.otherUntil);
      slot.holder = id;
      this.log.push({ kind, event: 'acquired', at: this.ctx.clock.now() });
      return true;
    }
    this.ctx.clock.advance(wait);
    this.log.push({ kind, event: 'timeout', at: this.ctx.clock.now() });
    return false;
  }

  release(kind: LockKind): void {
    const slot = this.slots[kind];
    if (slot.holder === this.execution.current.id) {
      slot.holder = null;
      this.log.push({ kind, event: 'released', at: this.ctx.clock.now() });
    }
  }

  holds(kind: LockKind): boolean {
    return this.slots[kind].holder === this.execution.current.id;
  }
}

export class EmulatedLock implements LockApi {
  private acquiredIn: number | null = null;

  constructor(private readonly ctx: EmulatorContext, private readonly registry: LockRegistry, private readonly execution: ExecutionState, readonly kind: LockKind) {}

  tryLock(timeoutInMillis: number): boolean {
    this.ctx.recorder.call('Lock.tryLock');
    const ok = this.registry.acquire(this.kind, timeoutInMillis);
    if (ok) this.acquiredIn = this.execution.current.id;
    return ok;
  }

  waitLock(timeoutInMillis: number): void {
    this.ctx.recorder.call('Lock.waitLock');
    if (!this.registry.acquire(this.kind, timeoutInMillis)) throw new Error(LOCK_TIMEOUT_ERROR);
    this.acquiredIn = this.execution.current.id;
  }

  releaseLock(): void {
    this.ctx.recorder.call('Lock.releaseLock');
    if (this.acquiredIn !== null) this.registry.release(this.kind);
    this.acquiredIn = null;
  }

  /** "false if tryLock or waitLock were never called, timed out or if releaseLock() was called". */
  hasLock(): boolean {
    this.ctx.recorder.call('Lock.hasLock');
    return this.acquiredIn === this.execution.current.id && this.registry.holds(this.kind);
  }
}

export class EmulatedLockService implements LockServiceApi {
  constructor(private readonly ctx: EmulatorContext, readonly registry: LockRegistry, private readonly execution: ExecutionState) {}

  private make(kind: LockKind): GoogleAppsScript.Lock.Lock {
    return new EmulatedLock(this.ctx, this.registry, this.execution, kind) as unknown as GoogleAppsScript.Lock.Lock;
  }

  getScriptLock(): GoogleAppsScript.Lock.Lock {
    this.ctx.recorder.call('LockService.getScriptLock');
    return this.make('script');
  }

  getDocumentLock(): GoogleAppsScript.Lock.Lock {
    this.ctx.recorder.call('LockService.getDocumentLock');
    return this.make('document');
  }

  getUserLock(): GoogleAppsScript.Lock.Lock {
    this.ctx.recorder.call('LockService.getUserLock');
    return this.make('user');
  }
}

export function createLockService(ctx: EmulatorContext, execution: ExecutionState): { service: EmulatedLockService; locks: LockRegistry } {
  const locks = new LockRegistry(ctx, execution);
  return { service: new EmulatedLockService(ctx, locks, execution), locks };
}
