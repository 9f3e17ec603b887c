// Every email the run would have sent, as an .eml a mail client opens and an .html a browser opens.
// Two steps, so an email is written exactly once even if the run is killed: prepareOutbox names the
// files (never a name already in the folder) and the runner saves them in its state file; only then
// deliverOutbox writes them, each without replacing anything. A run killed in between leaves them in
// the state, and the next run writes what is missing.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GasEnvironment } from '../emulator/index';
import type { PendingMail } from '../emulator/state';
import { MOSCOW, zonedParts } from '../src/core/dates';
import { crashPoint, writeExclusive } from './local-files';

const pad = (n: number) => String(n).padStart(2, '0');

function slug(subject: string): string {
  return subject.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'email';
}

/** The files of the messages sent since index `from` of the emulator's outbox, under names free in `dir`. */
export function prepareOutbox(env: GasEnvironment, from: number, dir: string): PendingMail[] {
  const taken = new Set<string>();
  const free = (base: string) => !taken.has(base) && !existsSync(join(dir, `${base}.eml`)) && !existsSync(join(dir, `${base}.html`));
  return env.mail.outbox.slice(from).map((m, i) => {
    const p = zonedParts(m.sentAt, MOSCOW);
    const first = `${p.year}-${pad(p.month)}-${pad(p.day)}_${pad(p.hour)}${pad(p.minute)}_${i + 1}_${slug(m.subject)}`;
    let base = first;
    // The same report sent again the same minute (a repeated «Отправить сейчас») gets its own files.
    for (let n = 2; !free(base); n++) base = `${first}_${n}`;
    taken.add(base);
    const files = [{ name: `${base}.eml`, text: env.mail.toEml(m) }];
    if (m.htmlBody) files.push({ name: `${base}.html`, text: `<!doctype html><meta charset="utf-8"><title>${m.subject.replace(/</g, '&lt;')}</title>${m.htmlBody}` });
    return { files };
  });
}

/** Writes the files not written yet (a file already there with the same content was delivered before);
 *  returns the paths of every file of these emails. */
export function deliverOutbox(dir: string, mails: PendingMail[]): string[] {
  if (mails.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const mail of mails) {
    for (const file of mail.files) {
      let target = join(dir, file.name);
      if (existsSync(target)) {
        if (readFileSync(target, 'utf8') === file.text) { paths.push(target); continue; }
        // Someone else's file took the name meanwhile: this email gets another one.
        for (let n = 2; existsSync(target); n++) target = join(dir, file.name.replace(/(\.[^.]+)$/, `_${n}$1`));
      }
      writeExclusive(target, file.text);
      paths.push(target);
      crashPoint('outbox-after-first-file');
    }
  }
  return paths;
}

/** Both steps at once (no state to keep in between); returns the paths. */
export function writeOutbox(env: GasEnvironment, from: number, dir: string): string[] {
  return deliverOutbox(dir, prepareOutbox(env, from, dir));
}
