// Every email the run would have sent, as an .eml a mail client opens and an .html a browser opens.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GasEnvironment } from '../emulator/index';
import { MOSCOW, zonedParts } from '../src/core/dates';

const pad = (n: number) => String(n).padStart(2, '0');

function slug(subject: string): string {
  return subject.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'email';
}

/** Writes the messages sent since index `from` of the emulator's outbox; returns the paths. */
export function writeOutbox(env: GasEnvironment, from: number, dir: string): string[] {
  const sent = env.mail.outbox.slice(from);
  if (sent.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  sent.forEach((m, i) => {
    const p = zonedParts(m.sentAt, MOSCOW);
    const base = join(dir, `${p.year}-${pad(p.month)}-${pad(p.day)}_${pad(p.hour)}${pad(p.minute)}_${i + 1}_${slug(m.subject)}`);
    writeFileSync(`${base}.eml`, env.mail.toEml(m));
    paths.push(`${base}.eml`);
    if (m.htmlBody) {
      writeFileSync(`${base}.html`, `<!doctype html><meta charset="utf-8"><title>${m.subject.replace(/</g, '&lt;')}</title>${m.htmlBody}`);
      paths.push(`${base}.html`);
    }
  });
  return paths;
}
