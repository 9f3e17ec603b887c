// MailApp: every documented sendEmail overload, the per-recipient daily quota, an outbox, and .eml export.
// https://developers.google.com/apps-script/reference/mail/mail-app
import { createHash } from 'node:crypto';
import type { AccountKind, EmulatorContext } from '../context';
import { FAULTS } from '../recorder';
import { readBlobSource } from './blob';
import { formatDateInZone, signatureError } from './utilities';

type MailAppApi = Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail' | 'getRemainingDailyQuota'>;

/** "Email recipients per day: 100 / day" (consumer), "1,500 / day" (Workspace); "Quotas are per user".
 *  https://developers.google.com/apps-script/guides/services/quotas */
export const DAILY_MAIL_RECIPIENTS: Record<AccountKind, number> = { consumer: 100, workspace: 1500 };
/** The consumer quota, kept for callers that name it. */
export const DEFAULT_MAIL_QUOTA = DAILY_MAIL_RECIPIENTS.consumer;
/** "Email recipients per message: 50 / msg" for both account kinds (same page). */
export const MAIL_RECIPIENTS_PER_MESSAGE = 50;
/** "Quotas are per user and reset 24 hours after the first request." (same page) */
export const QUOTA_WINDOW_MS = 24 * 3_600_000;
export const MAIL_ERRORS = {
  quota: FAULTS.mailQuota,
  perMessage: 'Limit Exceeded: Email Recipients Per Message.',
  noRecipient: 'Failed to send email: no recipient',
  invalid: (address: string) => `Invalid email: ${address}`,
} as const;

export interface MailAttachment { name: string; contentType: string; data: Buffer }

export interface SentMail {
  from: string;
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  htmlBody: string | null;
  name: string | null;
  replyTo: string | null;
  noReply: boolean;
  attachments: MailAttachment[];
  /** Virtual time of sending, ms since epoch. */
  sentAt: number;
  /** Recipients counted against the quota (to + cc + bcc). */
  recipients: number;
}

/** One user's use of the daily quota. */
export interface MailUsage { used: number; windowStart: number | null }
export interface MailState {
  /** Daily recipients for every user when set (tests, the mailQuota option); null: by account kind. */
  quota: number | null;
  /** By effective user (lower-case email). */
  users: Record<string, MailUsage>;
  sentTotal: number;
}
/** The shape saved before quotas were per user: one quota and one counter. */
interface LegacyMailState { quota?: number; used?: number; windowStart?: number | null; sentTotal?: number }

const EMAIL_RE = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** Splits "a@x.com, B <b@y.com>" into bare addresses. */
export function parseAddressList(list: string | undefined | null): string[] {
  if (!list) return [];
  return String(list).split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /<([^>]*)>\s*$/.exec(s);
    return m ? m[1].trim() : s;
  });
}

export class EmulatedMailApp implements MailAppApi {
  /** Harness: every message sent, in order. */
  readonly outbox: SentMail[] = [];
  private state: MailState;

  /** `quota` overrides the daily number for every user; without it the account kind decides. */
  constructor(private readonly ctx: EmulatorContext, quota?: number) {
    this.state = { quota: quota ?? null, users: {}, sentTotal: 0 };
  }

  /** Harness: daily recipient quota of the running user (100 consumer, 1500 Workspace, or the override). */
  get quota(): number { return this.state.quota ?? DAILY_MAIL_RECIPIENTS[this.ctx.account]; }
  set quota(n: number) { this.state.quota = n; }

  /** The usage of a user, its 24-hour window rolled over when it has passed. */
  private usage(email: string): MailUsage {
    const key = email.toLowerCase();
    let u = this.state.users[key];
    if (!u) u = this.state.users[key] = { used: 0, windowStart: null };
    if (u.windowStart !== null && this.ctx.clock.now() >= u.windowStart + QUOTA_WINDOW_MS) { u.windowStart = null; u.used = 0; }
    return u;
  }

  /** Harness: recipients left today for a user (default: the effective user now), without counting a call. */
  remaining(email: string = this.ctx.userEmail): number {
    return Math.max(0, this.quota - this.usage(email).used);
  }

  getRemainingDailyQuota(): number {
    this.ctx.recorder.call('MailApp.getRemainingDailyQuota');
    return this.remaining();
  }

  sendEmail(...args: unknown[]): void {
    this.ctx.recorder.call('MailApp.sendEmail');
    const msg = this.normalise(args);
    const recipients = [...parseAddressList(msg.to), ...parseAddressList(msg.cc), ...parseAddressList(msg.bcc)];
    if (recipients.length === 0) throw new Error(MAIL_ERRORS.noRecipient);
    for (const r of recipients) if (!EMAIL_RE.test(r)) throw new Error(MAIL_ERRORS.invalid(r));
    if (msg.replyTo) for (const r of parseAddressList(msg.replyTo)) if (!EMAIL_RE.test(r)) throw new Error(MAIL_ERRORS.invalid(r));
    if (recipients.length > MAIL_RECIPIENTS_PER_MESSAGE) throw new Error(MAIL_ERRORS.perMessage);
    // Charged to the effective user of the execution: the trigger's creator, or the person who runs it.
    if (recipients.length > this.remaining()) throw new Error(MAIL_ERRORS.quota);
    const now = this.ctx.clock.now();
    const usage = this.usage(this.ctx.userEmail);
    if (usage.windowStart === null) usage.windowStart = now;
    usage.used += recipients.length;
    this.state.sentTotal++;
    this.outbox.push({ ...msg, sentAt: now, recipients: recipients.length });
    // A time-out after Gmail accepted the message: delivered, yet the script sees an error.
    this.ctx.recorder.settle('MailApp.sendEmail');
  }

  private normalise(args: unknown[]): Omit<SentMail, 'sentAt' | 'recipients'> {
    const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    let p: GoogleAppsScript.Mail.MailAdvancedParameters;
    if (args.length === 1 && args[0] && typeof args[0] === 'object') {
      p = args[0] as GoogleAppsScript.Mail.MailAdvancedParameters;
    } else if (args.length === 4 && typeof args[3] === 'string') {
      // sendEmail(to, replyTo, subject, body)
      p = { to: str(args[0]), replyTo: str(args[1]), subject: str(args[2]), body: str(args[3]) };
    } else if (args.length === 3 || args.length === 4) {
      if (typeof args[0] !== 'string') throw signatureError('MailApp.sendEmail', args);
      const options = (args[3] ?? {}) as GoogleAppsScript.Mail.MailAdvancedParameters;
      if (typeof options !== 'object') throw signatureError('MailApp.sendEmail', args);
      p = { ...options, to: str(args[0]), subject: str(args[1]), body: str(args[2]) };
    } else {
      throw signatureError('MailApp.sendEmail', args);
    }
    const attachments = (p.attachments ?? []).map((a) => readBlobSource(a));
    return {
      from: this.ctx.userEmail,
      to: str(p.to), cc: str(p.cc), bcc: str(p.bcc), subject: str(p.subject), body: str(p.body),
      htmlBody: p.htmlBody === undefined || p.htmlBody === null ? null : String(p.htmlBody),
      name: p.name === undefined || p.name === null ? null : String(p.name),
      replyTo: p.replyTo ? String(p.replyTo) : null,
      noReply: Boolean(p.noReply),
      attachments,
    };
  }

  /** Harness: quota and per-user counters, for saving between local runs. */
  serialize(): MailState {
    const users: Record<string, MailUsage> = {};
    for (const email of Object.keys(this.state.users)) {
      const u = this.usage(email);
      if (u.windowStart !== null) users[email] = { ...u };
    }
    return { quota: this.state.quota, users, sentTotal: this.state.sentTotal };
  }

  /** Also reads the older single-counter shape, charging its use to the user running now. */
  restore(s: Partial<MailState> | LegacyMailState): void {
    const quota = typeof s.quota === 'number' ? s.quota : this.state.quota;
    const users: Record<string, MailUsage> = {};
    if ('users' in s && s.users && typeof s.users === 'object') {
      for (const [email, u] of Object.entries(s.users)) users[email.toLowerCase()] = { used: Number(u.used) || 0, windowStart: u.windowStart ?? null };
    } else if ('used' in s && typeof s.used === 'number') {
      users[this.ctx.userEmail.toLowerCase()] = { used: s.used, windowStart: s.windowStart ?? null };
    }
    this.state = { quota, users, sentTotal: s.sentTotal ?? 0 };
  }

  /** Harness: the message as an RFC 5322 / MIME text a mail client opens. */
  toEml(message: SentMail, timeZone = this.ctx.scriptTimeZone): string {
    return toEml(message, timeZone);
  }
}

// ---- .eml rendering -------------------------------------------------------------------------------------

const CRLF = '\r\n';

function wrap76(s: string): string {
  return s.replace(/(.{76})/g, `$1${CRLF}`).replace(/\r\n$/, '');
}

function isAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s);
}

/** RFC 2047 encoded-words, each at most 75 characters, split on character boundaries. */
export function encodeWords(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) { words.push(chunk); chunk = ''; }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

function mailbox(name: string | null, address: string): string {
  if (!name) return address;
  return isAscii(name) ? `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>` : `${encodeWords(name)} <${address}>`;
}

function htmlToText(html: string): string {
  return html.replace(/<(br|\/p|\/div|\/tr|\/h\d)[^>]*>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n').trim();
}

function textPart(contentType: string, content: string): string {
  return [
    `Content-Type: ${contentType}; charset="UTF-8"`,
    'Content-Transfer-Encoding: base64',
    '',
    wrap76(Buffer.from(content.replace(/\r?\n/g, CRLF), 'utf8').toString('base64')),
  ].join(CRLF);
}

/** Derived from the message, so the same run writes byte-identical .eml files. */
function digest(m: SentMail, salt: string): string {
  return createHash('sha1').update(`${salt}|${m.sentAt}|${m.to}|${m.subject}|${m.body}|${m.htmlBody ?? ''}`).digest('hex').slice(0, 16);
}

export function toEml(m: SentMail, timeZone: string): string {
  const from = m.noReply ? 'noreply@example.com' : m.from;
  const headers = [
    `From: ${mailbox(m.name, from)}`,
    m.to ? `To: ${m.to}` : null,
    m.cc ? `Cc: ${m.cc}` : null,
    m.replyTo ? `Reply-To: ${m.replyTo}` : null,
    `Subject: ${encodeWords(m.subject)}`,
    `Date: ${formatDateInZone(m.sentAt, timeZone, 'EEE, dd MMM yyyy HH:mm:ss Z')}`,
    `Message-ID: <${m.sentAt}.${digest(m, 'id')}@emulator.local>`,
    'MIME-Version: 1.0',
  ].filter((h): h is string => h !== null);

  const text = m.body || (m.htmlBody ? htmlToText(m.htmlBody) : '');
  let bodyHeader: string;
  let body: string;
  if (m.htmlBody !== null) {
    const b = `----=_Part_alt_${digest(m, 'alt')}`;
    bodyHeader = `Content-Type: multipart/alternative; boundary="${b}"`;
    body = [`--${b}`, textPart('text/plain', text), `--${b}`, textPart('text/html', m.htmlBody), `--${b}--`, ''].join(CRLF);
  } else {
    const part = textPart('text/plain', text).split(CRLF);
    bodyHeader = part.slice(0, 2).join(CRLF);
    body = part.slice(3).join(CRLF) + CRLF;
  }

  if (m.attachments.length > 0) {
    const b = `----=_Part_mixed_${digest(m, 'mixed')}`;
    const parts = [`--${b}`, bodyHeader, '', body];
    for (const a of m.attachments) {
      const filename = isAscii(a.name) ? `"${a.name}"` : `"${encodeWords(a.name)}"`;
      parts.push(`--${b}`,
        `Content-Type: ${a.contentType}; name=${filename}`,
        `Content-Disposition: attachment; filename=${filename}`,
        'Content-Transfer-Encoding: base64', '', wrap76(a.data.toString('base64')));
    }
    parts.push(`--${b}--`, '');
    bodyHeader = `Content-Type: multipart/mixed; boundary="${b}"`;
    body = parts.join(CRLF);
  }
  return [...headers, bodyHeader, '', body].join(CRLF);
}

export function createMailApp(ctx: EmulatorContext, quota?: number): EmulatedMailApp {
  return new EmulatedMailApp(ctx, quota);
}
