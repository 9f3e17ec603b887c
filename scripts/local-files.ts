// The local runner's files on disk: one run per workbook (a lock file), saves that never leave a
// half-written workbook (temporary file + fsync + rename, the previous version kept as a backup), a
// file a person saved during the run never overwritten, and every file-system error as one Russian line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processAlive, syncDir, tempPathFor, writeNewFile } from '../emulator/state';

/** A failure the person can act on: the message is one Russian line naming the file and what to do. */
export class LocalError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
  }
}

/**
 * Test hook: `SALES_LOCAL_FAULT=<point>` kills the run (SIGKILL, as `kill -9` or a power cut would) at
 * that point, so tests can check what a crash there leaves behind. With `SALES_LOCAL_FAULT_MODE=throw`
 * the run stops there by an exception instead (a test running it in its own process).
 */
export function crashPoint(point: string): void {
  if (process.env.SALES_LOCAL_FAULT !== point) return;
  if (process.env.SALES_LOCAL_FAULT_MODE === 'throw') throw new Error(`simulated crash: ${point}`);
  process.kill(process.pid, 'SIGKILL');
}

/** A relative path as the person meant it: from the folder they ran the command in (`npm start`
 *  runs scripts from the package root and tells the original folder in INIT_CWD). */
export function userPath(p: string): string {
  const base = process.env.npm_lifecycle_event === 'start' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  return path.resolve(base, p);
}

/** A file-system error in Russian (what went wrong, not where: the caller names the file). */
export function fsErrorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM': return 'нет прав на запись или чтение (файл или папка только для чтения, или файл держит другая программа)';
    case 'EROFS': return 'диск только для чтения';
    case 'ENOSPC': return 'на диске нет места';
    case 'EDQUOT': return 'превышена квота диска';
    case 'ENAMETOOLONG': return 'слишком длинное имя файла для этой файловой системы';
    case 'ENOENT': return 'нет такого файла или папки';
    case 'ENOTDIR': return 'часть пути — файл, а не папка';
    case 'EISDIR': return 'это папка, а не файл';
    case 'EEXIST': return 'файл уже существует';
    case 'EBUSY': return 'файл занят другой программой (закройте его в Excel)';
    case 'EMFILE':
    case 'ENFILE': return 'открыто слишком много файлов';
    case 'EIO': return 'ошибка чтения или записи диска';
    default: return e?.code ? `системная ошибка ${e.code}` : String(e?.message ?? error);
  }
}

// ---- one run at a time -----------------------------------------------------------------------------

interface LockInfo { pid: number; host: string; startedAt: number }

export const lockPathFor = (workbook: string) => `${workbook}.lock`;

const clock = (ms: number) => new Date(ms).toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readLock(file: string): { raw: string; info: LockInfo | null; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    const mtimeMs = fs.statSync(file).mtimeMs;
    try {
      const info = JSON.parse(raw) as LockInfo;
      return { raw, info: Number.isInteger(info.pid) ? info : null, mtimeMs };
    } catch {
      return { raw, info: null, mtimeMs };
    }
  } catch {
    return null;
  }
}

/** Moves a dead run's lock away; false when another run took it over first. */
function takeOver(file: string, raw: string): boolean {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = fs.readFileSync(aside, 'utf8');
  if (moved !== raw) {
    // That was a live run's fresh lock: give it back.
    try { fs.linkSync(aside, file); } catch { /* its owner re-checks its lock before it ends */ }
    fs.rmSync(aside, { force: true });
    return false;
  }
  fs.rmSync(aside, { force: true });
  return true;
}

/**
 * Takes the workbook's lock file (process id, machine, start time). A lock whose process is gone is a
 * crashed run's and is taken over; a live one is waited for up to `waitMs`, then the run is refused.
 * Returns the release function.
 */
export async function acquireLock(workbook: string, opts: { waitMs: number; log: (line: string) => void }): Promise<() => void> {
  const file = lockPathFor(workbook);
  const text = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: Date.now() } satisfies LockInfo);
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    try {
      writeNewFile(file, text);
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === text) fs.rmSync(file, { force: true });
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LocalError(`Не удалось создать файл блокировки ${file}: ${fsErrorText(error)}. Проверьте, что в папку таблицы можно писать.`);
      }
    }
    const other = readLock(file);
    if (!other) continue;
    const { info } = other;
    const dead = info ? info.host === os.hostname() && !processAlive(info.pid) : Date.now() - other.mtimeMs > 10_000;
    if (dead) {
      if (takeOver(file, other.raw)) opts.log(`Прошлый запуск${info ? ` (процесс ${info.pid}, начат в ${clock(info.startedAt)})` : ''} оборвался, не сняв блокировку: она снята.`);
      continue;
    }
    const who = info ? `процесс ${info.pid}${info.host !== os.hostname() ? ` на компьютере ${info.host}` : ''}, начат в ${clock(info.startedAt)}` : 'неизвестный процесс';
    if (Date.now() >= deadline) {
      throw new LocalError(`Таблица ${workbook} занята другим запуском (${who}). Дождитесь его окончания и запустите снова; если такого запуска нет, удалите файл ${file}.`, 2);
    }
    if (!told) {
      opts.log(`Таблица занята другим запуском (${who}) — жду до ${Math.round(opts.waitMs / 1000)} с…`);
      told = true;
    }
    await sleep(150 + Math.floor(Math.random() * 100));
  }
}

// ---- saves ------------------------------------------------------------------------------------

/** What tells one version of a file from another. */
export interface FileStamp { mtimeMs: number; size: number; ino: number }

export function stampOf(file: string): FileStamp | null {
  try {
    const s = fs.statSync(file);
    return { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
  } catch {
    return null;
  }
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null) => (a === null || b === null ? a === b : a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino);

/** `team.xlsx` → `team.bak.xlsx`: the version before the last save. */
export function backupPathFor(file: string): string {
  const { dir, name, ext } = path.parse(file);
  return path.join(dir, `${name}.bak${ext}`);
}

const stampText = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
};

/** A new file beside `file` that takes nothing's place: `<name>.<tag>-<time>[-N]<ext>`. */
export function writeBeside(file: string, data: Uint8Array, tag: string): string {
  const { dir, name, ext } = path.parse(file);
  const base = `${name}.${tag}-${stampText(new Date())}`;
  for (let n = 1; ; n++) {
    const target = path.join(dir, `${base}${n > 1 ? `-${n}` : ''}${ext}`);
    if (fs.existsSync(target)) continue;
    writeExclusive(target, data);
    return target;
  }
}

/** Writes a file that must not exist yet, atomically: never a partial file, never over another one. */
export function writeExclusive(target: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(target);
  try {
    writeNewFile(tmp, data);
    try {
      fs.linkSync(tmp, target); // fails with EEXIST instead of replacing
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || fs.existsSync(target)) throw error;
      fs.renameSync(tmp, target); // a file system without hard links
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(path.dirname(target));
}

export interface SaveOutcome {
  /** Where the data went. */
  path: string;
  /** Not into `file`: someone changed it during the run, it is read-only, or replacing it failed. */
  beside?: 'changed' | 'readonly' | 'failed';
  /** Why replacing failed (Russian). */
  error?: string;
  backup?: string;
}

/**
 * Saves `data` as `file` unless the file changed since `loaded` (its stamp when the run read it; null:
 * it did not exist). Atomic: a temporary file in the same folder, flushed, then renamed over the old
 * one. With `backup`, the old version is first copied to `<name>.bak.xlsx`. Whatever cannot go into
 * `file` goes to a new file beside it; only when that fails too does this throw.
 */
export function saveFileSafely(file: string, data: Uint8Array, loaded: FileStamp | null, opts: { backup?: boolean; crashPoint?: string; log?: (line: string) => void } = {}): SaveOutcome {
  const beside = (reason: NonNullable<SaveOutcome['beside']>, error?: string): SaveOutcome => {
    try {
      return { path: writeBeside(file, data, 'run'), beside: reason, error };
    } catch (e) {
      throw new LocalError(`Не удалось сохранить ${file}${error ? ` (${error})` : ''}, и рядом с ним тоже: ${fsErrorText(e)}. Освободите место или проверьте права на папку и запустите снова.`);
    }
  };
  if (!sameStamp(loaded, stampOf(file))) return beside('changed');
  if (loaded) {
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      return beside('readonly');
    }
  }
  let backup: string | undefined;
  if (loaded && opts.backup) {
    const target = backupPathFor(file);
    const tmp = tempPathFor(target);
    try {
      fs.copyFileSync(file, tmp);
      const fd = fs.openSync(tmp, 'r+');
      try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
      fs.renameSync(tmp, target);
      backup = target;
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      opts.log?.(`Не удалось сохранить резервную копию ${target}: ${fsErrorText(error)} (таблица всё равно сохраняется целиком или не сохраняется вовсе).`);
    }
  }
  const tmp = tempPathFor(file);
  try {
    writeNewFile(tmp, data);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    return beside('failed', fsErrorText(error));
  }
  if (opts.crashPoint) crashPoint(opts.crashPoint);
  // A person may have saved while this run was writing.
  if (!sameStamp(loaded, stampOf(file))) {
    fs.rmSync(tmp, { force: true });
    return beside('changed');
  }
  try {
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    return beside('failed', fsErrorText(error));
  }
  syncDir(path.dirname(file));
  return { path: file, backup };
}
