// A report as a short list of blocks, rendered twice — Gmail-safe HTML (inline styles only, tables
// with border-collapse, max-width 600px, no images) and the plain-text alternative — so both always
// carry the same content. Every string is user data until proven otherwise: the HTML renderer escapes
// all of it, and only http(s) links become links.
import { escapeHtml } from '../text';
import { rmsg } from './messages';

/** A table cell: text, optionally with a smaller grey second line and a link (http(s) only). */
export type Cell = string | { text: string; sub?: string; href?: string };

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'h2'; text: string }
  | { kind: 'p'; text: string; muted?: boolean }
  | { kind: 'alert'; text: string; tone: 'warn' | 'danger' | 'ok' }
  | { kind: 'keys'; items: Array<{ label: string; value: string }> }
  | { kind: 'table'; headers: string[]; numeric: boolean[]; rows: Cell[][]; footer?: Cell[]; more?: number; nowrap?: boolean[] }
  | { kind: 'list'; items: string[]; more?: number }
  | { kind: 'link'; text: string; href: string };

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const BORDER = 'border:1px solid #d0d7de;';
const STYLE = {
  body: 'margin:0;padding:0;background:#f6f8fa;',
  wrap: `max-width:600px;margin:0 auto;padding:16px;background:#ffffff;${FONT}font-size:14px;line-height:1.45;color:#1f2328;`,
  title: 'margin:0 0 8px;font-size:20px;line-height:1.3;font-weight:bold;color:#1f2328;',
  h2: 'margin:22px 0 8px;font-size:16px;line-height:1.3;font-weight:bold;color:#1f2328;',
  p: 'margin:0 0 8px;',
  muted: 'margin:0 0 8px;font-size:12px;color:#59636e;',
  table: `width:100%;border-collapse:collapse;${FONT}font-size:13px;margin:0 0 8px;`,
  th: `${BORDER}padding:5px 6px;background:#f6f8fa;text-align:left;vertical-align:bottom;font-weight:bold;`,
  td: `${BORDER}padding:5px 6px;text-align:left;vertical-align:top;word-break:break-word;`,
  num: `${BORDER}padding:5px 6px;text-align:right;vertical-align:top;white-space:nowrap;`,
  // Short cells (a client, «14 дней с 29.10.2026», «строка 18») keep one line: a long note elsewhere would squeeze them.
  keep: `${BORDER}padding:5px 6px;text-align:left;vertical-align:top;white-space:nowrap;`,
  foot: 'font-weight:bold;background:#f6f8fa;',
  sub: 'font-size:12px;color:#59636e;',
  more: `${BORDER}padding:5px 6px;color:#59636e;font-style:italic;`,
  keyLabel: 'padding:3px 12px 3px 0;color:#59636e;vertical-align:top;',
  keyValue: 'padding:3px 0;font-weight:bold;vertical-align:top;',
  link: 'color:#0969da;text-decoration:underline;',
  alert: {
    warn: 'margin:12px 0;padding:10px 12px;border:1px solid #d4a72c;background:#fff8c5;color:#1f2328;',
    danger: 'margin:12px 0;padding:10px 12px;border:1px solid #cf222e;background:#ffebe9;color:#1f2328;font-weight:bold;',
    ok: 'margin:12px 0;padding:10px 12px;border:1px solid #1a7f37;background:#dafbe1;color:#1f2328;',
  },
} as const;

function cellText(c: Cell): string {
  return typeof c === 'string' ? c : c.text;
}

function cellHtml(c: Cell): string {
  if (typeof c === 'string') return escapeHtml(c);
  const href = c.href ? safeHref(c.href) : null;
  const text = href ? `<a href="${escapeHtml(href)}" style="${STYLE.link}">${escapeHtml(c.text)}</a>` : escapeHtml(c.text);
  return text + (c.sub ? `<br><span style="${STYLE.sub}">${escapeHtml(c.sub)}</span>` : '');
}

/** Only web links are links: a `javascript:` URL in «Настройки» must not become clickable. */
function safeHref(href: string): string | null {
  return /^https?:\/\/[^\s<>"']+$/i.test(href.trim()) ? href.trim() : null;
}

export function renderHtml(subject: string, blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(`<h1 style="${STYLE.title}">${escapeHtml(b.text)}</h1>`);
        break;
      case 'h2':
        out.push(`<h2 style="${STYLE.h2}">${escapeHtml(b.text)}</h2>`);
        break;
      case 'p':
        out.push(`<p style="${b.muted ? STYLE.muted : STYLE.p}">${escapeHtml(b.text)}</p>`);
        break;
      case 'alert':
        out.push(`<div style="${STYLE.alert[b.tone]}">${escapeHtml(b.text)}</div>`);
        break;
      case 'keys':
        out.push(`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;${FONT}font-size:14px;margin:0 0 8px;">`
          + b.items.map((i) => `<tr><td style="${STYLE.keyLabel}">${escapeHtml(i.label)}</td><td style="${STYLE.keyValue}">${escapeHtml(i.value)}</td></tr>`).join('')
          + '</table>');
        break;
      case 'table': {
        const td = (i: number) => (b.numeric[i] ? STYLE.num : b.nowrap?.[i] ? STYLE.keep : STYLE.td);
        const rows = b.rows.map((r) => `<tr>${r.map((c, i) => `<td style="${td(i)}">${cellHtml(c)}</td>`).join('')}</tr>`);
        if (b.more) rows.push(`<tr><td colspan="${b.headers.length}" style="${STYLE.more}">${escapeHtml(rmsg.more(b.more))}</td></tr>`);
        if (b.footer) rows.push(`<tr>${b.footer.map((c, i) => `<td style="${td(i)}${STYLE.foot}">${cellHtml(c)}</td>`).join('')}</tr>`);
        out.push(`<table cellpadding="0" cellspacing="0" border="0" width="100%" style="${STYLE.table}">`
          + `<tr>${b.headers.map((h, i) => `<th style="${STYLE.th}${b.numeric[i] ? 'text-align:right;' : ''}">${escapeHtml(h)}</th>`).join('')}</tr>`
          + rows.join('') + '</table>');
        break;
      }
      case 'list':
        out.push(`<ul style="margin:0 0 8px;padding-left:20px;">${b.items.map((i) => `<li style="margin:0 0 4px;">${escapeHtml(i)}</li>`).join('')}`
          + (b.more ? `<li style="margin:0 0 4px;color:#59636e;font-style:italic;">${escapeHtml(rmsg.more(b.more))}</li>` : '') + '</ul>');
        break;
      case 'link': {
        const href = safeHref(b.href);
        out.push(href
          ? `<p style="margin:20px 0 8px;"><a href="${escapeHtml(href)}" style="${STYLE.link}">${escapeHtml(b.text)}</a></p>`
          : '');
        break;
      }
    }
  }
  return '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    + `<title>${escapeHtml(subject)}</title></head>`
    + `<body style="${STYLE.body}"><div style="${STYLE.wrap}">${out.join('\n')}</div></body></html>`;
}

export function renderText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(b.text, '='.repeat(Math.min(60, b.text.length)), '');
        break;
      case 'h2':
        out.push('', b.text.toUpperCase(), '');
        break;
      case 'p':
        out.push(b.text);
        break;
      case 'alert':
        out.push(`(!) ${b.text}`, '');
        break;
      case 'keys':
        for (const i of b.items) out.push(`${i.label}: ${i.value}`);
        break;
      case 'table':
        for (const r of b.rows) out.push(textRow(b.headers, r));
        if (b.more) out.push(rmsg.more(b.more));
        if (b.footer) out.push(textRow(b.headers, b.footer));
        break;
      case 'list':
        for (const i of b.items) out.push(`• ${i}`);
        if (b.more) out.push(rmsg.more(b.more));
        break;
      case 'link': {
        const href = safeHref(b.href);
        if (href) out.push('', `${b.text}: ${href}`);
        break;
      }
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** '• Олег — Входящие: 3; Исходящие: 5' */
function textRow(headers: string[], row: Cell[]): string {
  const full = (c: Cell) => {
    if (typeof c === 'string') return c;
    const href = c.href ? safeHref(c.href) : null;
    const parts = [c.sub, href].filter((x): x is string => Boolean(x));
    return parts.length === 0 ? c.text : `${c.text} (${parts.join(', ')})`;
  };
  const rest = row.slice(1).map((c, i) => `${headers[i + 1]}: ${full(c)}`).join('; ');
  return `• ${full(row[0])}${rest ? ` — ${rest}` : ''}`;
}
