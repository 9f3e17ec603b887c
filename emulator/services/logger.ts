// Logger and console: kept in memory for tests, echoed to the host console when asked (the local runner).
import type { EmulatorContext } from '../context';
import { javaFormat } from './utilities';

type LoggerApi = Pick<GoogleAppsScript.Base.Logger, 'log' | 'getLog' | 'clear'>;

export interface LogLine { level: 'log' | 'info' | 'warn' | 'error'; text: string; at: number }

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Error).stack === 'string') return (v as Error).stack as string;
  if (Object.prototype.toString.call(v) === '[object Date]') return String(v);
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}

export class LogSink {
  readonly lines: LogLine[] = [];
  /** Harness: also print to the host console. */
  echo = false;
  constructor(private readonly ctx: EmulatorContext) {}
  add(level: LogLine['level'], text: string): void {
    this.lines.push({ level, text, at: this.ctx.clock.now() });
    if (this.echo) console[level](text);
  }
  text(): string { return this.lines.map((l) => l.text).join('\n'); }
}

export class EmulatedLogger implements LoggerApi {
  private buffer: string[] = [];
  constructor(private readonly ctx: EmulatorContext, private readonly sink: LogSink) {}

  log(dataOrFormat: unknown, ...values: unknown[]): GoogleAppsScript.Base.Logger {
    this.ctx.recorder.call('Logger.log');
    const text = values.length > 0 && typeof dataOrFormat === 'string' ? javaFormat(dataOrFormat, values) : show(dataOrFormat);
    this.buffer.push(text);
    this.sink.add('log', text);
    return this as unknown as GoogleAppsScript.Base.Logger;
  }

  getLog(): string { this.ctx.recorder.call('Logger.getLog'); return this.buffer.join('\n'); }
  clear(): void { this.ctx.recorder.call('Logger.clear'); this.buffer = []; }
}

/** console.* as Apps Script's Cloud logging sees it: not a counted service call. */
export function createConsole(sink: LogSink): Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'time' | 'timeEnd'> {
  const fmt = (args: unknown[]) => {
    if (typeof args[0] === 'string' && /%[sdifoOj]/.test(args[0])) {
      let i = 1;
      const head = args[0].replace(/%[sdifoOj]/g, () => show(args[i++]));
      return [head, ...args.slice(i).map(show)].join(' ');
    }
    return args.map(show).join(' ');
  };
  const timers = new Map<string, number>();
  return {
    log: (...a: unknown[]) => sink.add('log', fmt(a)),
    info: (...a: unknown[]) => sink.add('info', fmt(a)),
    warn: (...a: unknown[]) => sink.add('warn', fmt(a)),
    error: (...a: unknown[]) => sink.add('error', fmt(a)),
    time: (label = 'default') => { timers.set(label, Date.now()); },
    timeEnd: (label = 'default') => { const t = timers.get(label); if (t !== undefined) sink.add('log', `${label}: ${Date.now() - t}ms`); },
  };
}

export function createLogger(ctx: EmulatorContext, sink: LogSink): EmulatedLogger {
  return new EmulatedLogger(ctx, sink);
}
