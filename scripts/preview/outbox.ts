// The outbox folder as the preview lists it: every .eml written by `npm start` or by the preview, with
// its headers decoded and the HTML twin (or the plain-text part) to show.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOSCOW, zonedParts } from '../../src/core/dates';

export interface OutboxMail {
  /** The file name without .eml: the id in the page's addresses. */
  id: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  date: string;
}

/** RFC 2047 encoded words (B and Q), adjacent ones joined as mail clients do. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, text: string) => {
      const bytes = enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'binary');
      return new TextDecoder(/utf-?8/i.test(charset) ? 'utf-8' : charset).decode(bytes);
    });
}

interface Part { headers: Map<string, string>; body: string }

function parsePart(raw: string): Part {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

function decodeBody(part: Part): string {
  const enc = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    return Buffer.from(part.body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'binary').toString('utf8');
  }
  return part.body;
}

/** The first part of this content type, looking inside multipart bodies. */
function findPart(part: Part, type: string): Part | null {
  const ct = part.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
  if (/^multipart\//i.test(ct) && boundary) {
    for (const chunk of part.body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const found = findPart(parsePart(chunk.replace(/^\r?\n/, '')), type);
      if (found) return found;
    }
    return null;
  }
  return ct.toLowerCase().startsWith(type) ? part : null;
}

/** The emails of the folder, newest first; the date in Moscow time, as the team reads it. */
export function listOutbox(dir: string): OutboxMail[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.eml'))
    .map((f) => {
      const { headers } = parsePart(readFileSync(join(dir, f), 'utf8'));
      const h = (k: string) => decodeWords(headers.get(k) ?? '');
      const sent = Date.parse(headers.get('date') ?? '');
      return { id: f.slice(0, -4), from: h('from'), to: h('to'), cc: h('cc'), subject: h('subject'), date: Number.isNaN(sent) ? (headers.get('date') ?? '') : moscowTime(sent), sent };
    })
    .sort((a, b) => (b.sent || 0) - (a.sent || 0) || b.id.localeCompare(a.id))
    .map(({ sent: _sent, ...m }) => m);
}

function moscowTime(ms: number): string {
  const p = zonedParts(ms, MOSCOW);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(p.day)}.${two(p.month)}.${p.year} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** The email's HTML: its .html twin, else its HTML part; null when it is plain text only. */
export function mailHtml(dir: string, id: string): string | null {
  if (!isMailId(dir, id)) return null;
  const twin = join(dir, `${id}.html`);
  if (existsSync(twin)) return readFileSync(twin, 'utf8');
  const html = findPart(parsePart(readFileSync(join(dir, `${id}.eml`), 'utf8')), 'text/html');
  return html ? decodeBody(html) : null;
}

/** The plain-text part of the email. */
export function mailText(dir: string, id: string): string {
  if (!isMailId(dir, id)) return '';
  const text = findPart(parsePart(readFileSync(join(dir, `${id}.eml`), 'utf8')), 'text/plain');
  return text ? decodeBody(text) : '';
}

/** Only names of the folder's own .eml files: nothing else of the disk is reachable through the page. */
export function isMailId(dir: string, id: string): boolean {
  return !/[\\/]/.test(id) && !id.startsWith('.') && existsSync(dir) && readdirSync(dir).includes(`${id}.eml`);
}
