// Utilities: Java SimpleDateFormat-style formatDate in an explicit zone, a sleep that only moves the
// virtual clock, and the small helpers scripts lean on.
import type { EmulatorContext } from '../context';
import { EmulatedBlob, asBlob, fromSignedBytes, toSignedBytes } from './blob';
import { zonedParts } from './timezone';

type UtilitiesApi = Pick<GoogleAppsScript.Utilities.Utilities,
  'formatDate' | 'sleep' | 'getUuid' | 'base64Encode' | 'base64Decode' | 'base64EncodeWebSafe' | 'base64DecodeWebSafe' |
  'newBlob' | 'formatString'>;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Utilities.sleep: "The maximum allowed value is 300000 (or 5 minutes)."
 * https://developers.google.com/apps-script/reference/utilities/utilities#sleep(Integer) */
export const MAX_SLEEP_MS = 300_000;

/** Duck-typed: Dates may come from another realm (the bundle runs in node:vm). */
export function isDateLike(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (isDateLike(v)) return 'Date';
  if (Array.isArray(v)) return 'number[]';
  const t = typeof v;
  return t === 'string' ? 'String' : t === 'number' ? 'number' : t === 'boolean' ? 'Boolean' : t === 'undefined' ? 'undefined' : 'Object';
}

/** The V8 runtime's wording when an argument has the wrong type. */
export function signatureError(method: string, args: unknown[]): Error {
  return new Error(`The parameters (${args.map(typeName).join(',')}) don't match the method signature for ${method}.`);
}

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

function offsetText(minutes: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (style !== 'Z' && minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const h = pad(Math.floor(Math.abs(minutes) / 60), 2);
  const m = pad(Math.abs(minutes) % 60, 2);
  if (style === 'X') return `${sign}${h}`;
  if (style === 'XXX') return `${sign}${h}:${m}`;
  return `${sign}${h}${m}`;
}

function zoneName(ms: number, zone: string, long: boolean): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: long ? 'long' : 'short' })
      .formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName');
    if (part) return part.value;
  } catch { /* unknown zone: Java falls back to GMT */ }
  return long ? 'Greenwich Mean Time' : 'GMT';
}

/** Java SimpleDateFormat, the subset Apps Script scripts use, rendered in `zone`.
 * https://developers.google.com/apps-script/reference/utilities/utilities#formatDate(Date,String,String) */
export function formatDateInZone(ms: number, zone: string, pattern: string): string {
  const p = zonedParts(ms, zone);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      // '' is a literal quote; 'text' is literal text (with '' inside meaning a quote).
      if (pattern[i + 1] === "'") { out += "'"; i += 2; continue; }
      i++;
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") { out += "'"; i += 2; continue; }
          break;
        }
        out += pattern[i++];
      }
      if (i >= pattern.length) throw new Error('Unterminated quote');
      i++;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) { out += c; i++; continue; }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case 'G': out += p.year > 0 ? 'AD' : 'BC'; break;
      case 'y': case 'Y': out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n); break;
      case 'M': case 'L':
        out += n >= 4 ? MONTHS[p.month - 1] : n === 3 ? MONTHS[p.month - 1].slice(0, 3) : pad(p.month, n); break;
      case 'd': out += pad(p.day, n); break;
      case 'D': {
        const dayOfYear = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
        out += pad(dayOfYear, n); break;
      }
      case 'E': out += n >= 4 ? DAYS[p.weekday] : DAYS[p.weekday].slice(0, 3); break;
      case 'u': out += pad(p.weekday === 0 ? 7 : p.weekday, n); break;
      case 'a': out += p.hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += pad(p.hour, n); break;
      case 'k': out += pad(p.hour === 0 ? 24 : p.hour, n); break;
      case 'K': out += pad(p.hour % 12, n); break;
      case 'h': out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n); break;
      case 'm': out += pad(p.minute, n); break;
      case 's': out += pad(p.second, n); break;
      case 'S': out += pad(p.ms, n); break;
      case 'Z': out += offsetText(p.offsetMinutes, 'Z'); break;
      case 'X':
        if (n > 3) throw new Error("Illegal pattern character 'X'");
        out += offsetText(p.offsetMinutes, n === 1 ? 'X' : n === 2 ? 'XX' : 'XXX'); break;
      case 'z': out += zoneName(ms, zone, n >= 4); break;
      default: throw new Error(`Illegal pattern character '${c}'`);
    }
  }
  return out;
}

/** Java String.format, the common subset: %s %d %i %f %.Nf %x %%. */
export function javaFormat(template: string, args: unknown[]): string {
  let next = 0;
  return template.replace(/%(\d+\$)?([-0 +,]*)(\d+)?(?:\.(\d+))?([sdifxXbc%n])/g, (_m, pos: string | undefined, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (conv === 'n') return '\n';
    const arg = pos ? args[Number(pos.slice(0, -1)) - 1] : args[next++];
    let s: string;
    switch (conv) {
      case 'd': case 'i': s = String(Math.trunc(Number(arg))); break;
      case 'f': s = Number(arg).toFixed(prec === undefined ? 6 : Number(prec)); break;
      case 'x': s = Math.trunc(Number(arg)).toString(16); break;
      case 'X': s = Math.trunc(Number(arg)).toString(16).toUpperCase(); break;
      case 'b': s = String(Boolean(arg)); break;
      case 'c': s = typeof arg === 'number' ? String.fromCharCode(arg) : String(arg).charAt(0); break;
      default: s = String(arg); if (prec !== undefined) s = s.slice(0, Number(prec));
    }
    if (flags.includes(',') && /^-?\d/.test(s)) {
      const [int, frac] = s.split('.');
      s = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? '.' + frac : '');
    }
    if (flags.includes('+') && /^\d/.test(s) && 'difxX'.includes(conv)) s = '+' + s;
    if (width !== undefined && s.length < Number(width)) {
      if (flags.includes('-')) s = s.padEnd(Number(width));
      else if (flags.includes('0') && conv !== 's') s = (s.startsWith('-') ? '-' + s.slice(1).padStart(Number(width) - 1, '0') : s.padStart(Number(width), '0'));
      else s = s.padStart(Number(width));
    }
    return s;
  });
}

function toBytes(data: string | number[], charset?: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data, String(charset ?? '').toUpperCase() === 'US_ASCII' ? 'ascii' : 'utf8');
  return fromSignedBytes(data);
}

export class EmulatedUtilities implements UtilitiesApi {
  constructor(private readonly ctx: EmulatorContext) {}

  /** The V8 enum of charsets, as Utilities.Charset exposes it. */
  readonly Charset = { US_ASCII: 'US_ASCII', UTF_8: 'UTF_8' };

  formatDate(date: GoogleAppsScript.Base.Date, timeZone: string, format: string): string {
    this.ctx.recorder.call('Utilities.formatDate');
    if (!isDateLike(date) || typeof timeZone !== 'string' || typeof format !== 'string') {
      throw signatureError('Utilities.formatDate', [date, timeZone, format]);
    }
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new Error('Invalid argument: date');
    return formatDateInZone(ms, timeZone, format);
  }

  /** Never really waits: the virtual clock moves instead. */
  sleep(milliseconds: number): void {
    this.ctx.recorder.call('Utilities.sleep');
    if (typeof milliseconds !== 'number' || Number.isNaN(milliseconds)) throw signatureError('Utilities.sleep', [milliseconds]);
    if (milliseconds > MAX_SLEEP_MS) throw new Error(`Invalid argument: milliseconds. Maximum allowed value is ${MAX_SLEEP_MS}.`);
    if (milliseconds > 0) this.ctx.clock.advance(Math.floor(milliseconds));
  }

  /** RFC 4122 version 4, drawn from the seeded random source so runs are reproducible. */
  getUuid(): string {
    this.ctx.recorder.call('Utilities.getUuid');
    const b = Array.from({ length: 16 }, () => Math.floor(this.ctx.random() * 256));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  base64Encode(data: string | number[], charset?: unknown): string {
    this.ctx.recorder.call('Utilities.base64Encode');
    return toBytes(data, charset).toString('base64');
  }

  base64EncodeWebSafe(data: string | number[], charset?: unknown): string {
    this.ctx.recorder.call('Utilities.base64EncodeWebSafe');
    // Apps Script keeps the '=' padding in the web-safe variant.
    return toBytes(data, charset).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }

  base64Decode(encoded: string): number[] {
    this.ctx.recorder.call('Utilities.base64Decode');
    return toSignedBytes(Buffer.from(encoded, 'base64'));
  }

  base64DecodeWebSafe(encoded: string): number[] {
    this.ctx.recorder.call('Utilities.base64DecodeWebSafe');
    return toSignedBytes(Buffer.from(encoded, 'base64url'));
  }

  newBlob(data: string | number[], contentType?: string, name?: string): GoogleAppsScript.Base.Blob {
    this.ctx.recorder.call('Utilities.newBlob');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : fromSignedBytes(data);
    return asBlob(new EmulatedBlob(buf, contentType ?? null, name ?? null));
  }

  formatString(template: string, ...args: unknown[]): string {
    this.ctx.recorder.call('Utilities.formatString');
    return javaFormat(template, args);
  }
}

export function createUtilities(ctx: EmulatorContext): EmulatedUtilities {
  return new EmulatedUtilities(ctx);
}
