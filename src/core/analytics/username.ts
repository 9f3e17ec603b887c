// «Телеграм username» → `@nick`. Managers paste links, add spaces or forget the @.
import { cellText } from './cells';
import type { CellValue } from './types';

const WHITESPACE = /\s+/g;
const LINK_PREFIX = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\//i;
const LEADING_AT = /^@+/;
const QUERY = /[?#].*$/;
const TRAILING_SLASH = /\/$/;
const VALID_NICK = /^[A-Za-z0-9_]{5,32}$/;
/** Already `@nick` (as the rules leave it) or a bare nick: no cleaning to do. */
const CLEAN_NICK = /^@?[A-Za-z0-9_]{5,32}$/;

export type UsernameCell =
  | { kind: 'empty' }
  /** `nick` without the @; `display` is how the cell should read. */
  | { kind: 'nick'; nick: string; display: string }
  | { kind: 'bad'; typed: string };

/**
 * `@nick` for text that is already a clean nick (what almost every row holds), else null (readUsername
 * tells a link from a bad value). No object per call, and no new string when the text has its @.
 */
export function cleanNickDisplay(typed: string): string | null {
  if (!CLEAN_NICK.test(typed)) return null;
  return typed.charCodeAt(0) === 64 /* @ */ ? typed : `@${typed}`;
}

export function readUsername(value: CellValue | null | undefined): UsernameCell {
  const typed = cellText(value);
  if (typed === '') return { kind: 'empty' };
  if (CLEAN_NICK.test(typed)) {
    const nick = typed.charCodeAt(0) === 64 /* @ */ ? typed.slice(1) : typed;
    return { kind: 'nick', nick, display: `@${nick}` };
  }
  let s = typed.replace(WHITESPACE, '');
  if (LINK_PREFIX.test(s)) {
    // `t.me/nick/` and `t.me/nick?start=1` name a user; `t.me/joinchat/…` (more segments) does not.
    s = s.replace(LINK_PREFIX, '').replace(QUERY, '').replace(TRAILING_SLASH, '');
  }
  s = s.replace(LEADING_AT, '');
  if (!VALID_NICK.test(s)) return { kind: 'bad', typed };
  return { kind: 'nick', nick: s, display: `@${s}` };
}

/** Nicks compare case-insensitively, as Telegram resolves them. */
export function nickKey(nick: string): string {
  return nick.toLowerCase();
}
