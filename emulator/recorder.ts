// Counts every emulated service call by method and injects faults at chosen calls, so tests and the
// benchmark can measure exactly what a job costs and prove what happens when a service fails.

export interface FaultRule {
  /** Method name as counted, e.g. 'Range.setValues', or a predicate over it. */
  method: string | ((method: string) => boolean);
  /** Fail the nth matching call (1-based) counted from when the rule was added; default: every call. */
  nth?: number;
  /** How many times to fail once triggered (default 1 when nth is given, Infinity otherwise). */
  times?: number;
  /** Message of the thrown Error, as the real service words it. */
  error: string;
  /**
   * 'after': the call does its work (the mail is delivered, the cells are written) and then throws — an
   * ambiguous failure such as a time-out after the service accepted the request. Only calls that settle
   * (MailApp.sendEmail, Range.setValue(s), Range.setFormula(s)) support it. Default 'before'.
   */
  phase?: 'before' | 'after';
}

/** Calls that report their outcome after doing their work, so an 'after' fault can hit them. */
export const SETTLING_CALLS = new Set(['MailApp.sendEmail', 'Range.setValues', 'Range.setValue', 'Range.setFormulas', 'Range.setFormula']);

export const FAULTS = {
  timeout: 'Service Spreadsheets timed out while accessing document with id ',
  tooManyCalls: 'Service invoked too many times for one day: ',
  lockTimeout: 'Lock timeout: another process was holding the lock for too long.',
  mailQuota: 'Service invoked too many times for one day: email.',
} as const;

interface ActiveFault { rule: FaultRule; seen: number; left: number }

/** A Range read or write: a call that moves cell data (what SPEC §6 limits for onEdit). */
export function isRangeIo(method: string): boolean {
  return /^Range\.(get|set)(Values|Value|DisplayValues|DisplayValue|Notes|Note|Formulas|Formula|RichTextValues|Backgrounds|NumberFormats)$/.test(method)
    || method === 'Range.clearContent';
}

export class ServiceRecorder {
  readonly counts = new Map<string, number>();
  cellsRead = 0;
  cellsWritten = 0;
  private faults: ActiveFault[] = [];
  /** An 'after' fault waiting for its call to finish its work. */
  private pendingAfter: { method: string; error: string } | null = null;
  /** When false, calls are neither counted nor faulted (used by the harness itself). */
  enabled = true;
  /** Checks run before every counted call (authorization scopes, execution time); they throw to refuse. */
  private guards: Array<(method: string) => void> = [];
  /** Receives the modelled cost (ms) of every counted call and of every cell moved. */
  costListener: ((ms: number) => void) | null = null;
  /** Modelled latency of one call of a method (the emulator installs its model). */
  latency: (method: string) => number = () => 0;
  /** Modelled cost of one cell read or written. */
  msPerCell = 0;
  /** Harness hooks run before every counted call, outside counting: a person's edit between two calls. */
  private hooks: Array<(method: string, count: number) => void> = [];

  /** Adds a check that runs before each counted call; returns its removal. */
  addGuard(guard: (method: string) => void): () => void {
    this.guards.push(guard);
    return () => { this.guards = this.guards.filter((g) => g !== guard); };
  }

  /**
   * Harness: runs `hook(method, n)` before every counted call (n = how many calls of that method came
   * before, counted from 0), with counting off, so a test can let a person type between any two calls
   * of a running execution. Returns its removal.
   */
  onCall(hook: (method: string, count: number) => void): () => void {
    this.hooks.push(hook);
    return () => { this.hooks = this.hooks.filter((h) => h !== hook); };
  }

  /** Record one service call; throws when a guard refuses it or a fault rule matches. */
  call(method: string): void {
    if (!this.enabled) return;
    if (this.hooks.length > 0) {
      const n = this.counts.get(method) ?? 0;
      this.quiet(() => { for (const h of [...this.hooks]) h(method, n); });
    }
    for (const g of this.guards) g(method);
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    this.costListener?.(this.latency(method));
    for (const f of this.faults) {
      const matches = typeof f.rule.method === 'string' ? f.rule.method === method : f.rule.method(method);
      if (!matches || f.left <= 0) continue;
      f.seen++;
      if (f.rule.nth !== undefined && f.seen < f.rule.nth) continue;
      f.left--;
      if (f.rule.phase === 'after') {
        if (!SETTLING_CALLS.has(method)) throw new Error(`Emulator: ${method} cannot fail after its work (see SETTLING_CALLS)`);
        this.pendingAfter = { method, error: f.rule.error };
        return;
      }
      throw new Error(f.rule.error);
    }
  }

  /** Called by a settling call once its work is done: throws the 'after' fault aimed at it, if any. */
  settle(method: string): void {
    const p = this.pendingAfter;
    if (!p || p.method !== method) return;
    this.pendingAfter = null;
    throw new Error(p.error);
  }

  read(cells: number): void { if (this.enabled) { this.cellsRead += cells; this.costListener?.(cells * this.msPerCell); } }
  written(cells: number): void { if (this.enabled) { this.cellsWritten += cells; this.costListener?.(cells * this.msPerCell); } }

  injectFault(rule: FaultRule): void {
    const times = rule.times ?? (rule.nth !== undefined ? 1 : Infinity);
    this.faults.push({ rule, seen: 0, left: times });
  }

  clearFaults(): void { this.faults = []; this.pendingAfter = null; }

  total(filter?: (method: string) => boolean): number {
    let n = 0;
    for (const [m, c] of this.counts) if (!filter || filter(m)) n += c;
    return n;
  }

  /** Range reads and writes: the calls that move cell data. */
  rangeIo(): number {
    return this.total(isRangeIo);
  }

  snapshot(): { calls: Record<string, number>; total: number; cellsRead: number; cellsWritten: number } {
    return { calls: Object.fromEntries([...this.counts].sort()), total: this.total(), cellsRead: this.cellsRead, cellsWritten: this.cellsWritten };
  }

  reset(): void {
    this.counts.clear();
    this.cellsRead = 0;
    this.cellsWritten = 0;
  }

  /** Runs fn without counting or faulting (fixtures, assertions). */
  quiet<T>(fn: () => T): T {
    const was = this.enabled;
    this.enabled = false;
    try { return fn(); } finally { this.enabled = was; }
  }
}
