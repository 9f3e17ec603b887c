// Keeps script properties, triggers, cache and the mail quota between local runs, in a JSON file next to
// the workbook, so a sequence of `npm start` runs behaves like one Apps Script day. Spreadsheets are not
// included: the workbook itself is their state. Every write is atomic (temporary file in the same folder,
// fsync, rename): a run killed mid-write leaves the previous state, never a half-written one.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GasEnvironment, GasState } from './index';

export function statePathFor(workbookPath: string): string {
  const { dir, name } = path.parse(workbookPath);
  return path.join(dir, `${name}.gas-state.json`);
}

/** Temporary files of atomic writes: hidden, named after the target and the writing process. */
const TMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes, flushes and closes a new file that must not exist yet (O_EXCL). */
export function writeNewFile(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable: the directory entry is flushed too (not supported everywhere: best effort). */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse to open or flush a directory.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` atomically: readers (and a crash at any moment) see either the old
 * content or the new one. `beforeRename` runs between the flushed temporary file and the rename.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { beforeRename?: (tmp: string) => void } = {}): void {
  const tmp = tempPathFor(file);
  try {
    writeNewFile(tmp, data);
    opts.beforeRename?.(tmp);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

/** Whether a process with this id is running on this machine. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary files a killed writer left in `dir` (those whose process is gone, and `ownPid`'s). */
export function removeStaleTempFiles(dir: string, ownPid?: number): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TMP.exec(name);
    if (!m || (Number(m[2]) !== ownPid && processAlive(Number(m[2])))) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // Someone else's file we may not remove: leave it.
    }
  }
  return removed;
}

/** An email the run committed as sent; its files are written to the outbox after the state is saved. */
export interface PendingMail {
  files: Array<{ name: string; text: string }>;
}

/** What the local runner keeps beside the Apps Script state. */
export interface LocalRunInfo {
  /** The spreadsheet id of the workbook this state belongs to. */
  workbookId: string;
  /** Random id kept both here and in the workbook's hidden `_emulator` sheet: pairs the two files. */
  stateId: string;
  /** Simulated time (--at) of the last run: time never goes back without --force. */
  lastRunAt: number;
  /** Emails committed as sent whose outbox files may not be written yet (finished by the next run). */
  outbox?: { dir: string; mails: PendingMail[] };
}

export type StateFile = GasState & { local?: LocalRunInfo };

export type StateRead =
  | { kind: 'missing'; file: string }
  | { kind: 'empty'; file: string }
  | { kind: 'corrupt'; file: string; reason: string }
  | { kind: 'ok'; file: string; state: StateFile };

/** Reads the state file beside a workbook without applying it; tells a missing file from a broken one. */
export function readStateFile(workbookPath: string): StateRead {
  const file = statePathFor(workbookPath);
  if (!fs.existsSync(file)) return { kind: 'missing', file };
  const text = fs.readFileSync(file, 'utf8');
  if (text.trim() === '') return { kind: 'empty', file };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'corrupt', file, reason: (error as Error).message };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { kind: 'corrupt', file, reason: 'not an object' };
  const state = json as StateFile;
  if (Object.keys(state).length === 0) return { kind: 'empty', file };
  if (state.version !== 1 || typeof state.properties !== 'object') return { kind: 'corrupt', file, reason: `unexpected content (version ${String(state.version)})` };
  return { kind: 'ok', file, state };
}

export function saveStateFile(env: GasEnvironment, workbookPath: string, local?: LocalRunInfo, opts: { beforeRename?: (tmp: string) => void } = {}): string {
  const file = statePathFor(workbookPath);
  const state: StateFile = env.saveState({ spreadsheets: false });
  if (local) state.local = local;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', opts);
  return file;
}

/** Applies a state read by readStateFile to the environment. */
export function applyState(env: GasEnvironment, state: StateFile): void {
  const copy: Partial<StateFile> = { ...state };
  delete copy.spreadsheets;
  delete copy.local;
  env.loadState(copy);
}

/** Loads the saved state if there is one; returns it (or null when there was none). */
export function loadStateFile(env: GasEnvironment, workbookPath: string): StateFile | null {
  const read = readStateFile(workbookPath);
  if (read.kind === 'missing') return null;
  if (read.kind !== 'ok') throw new Error(`${read.file}: ${read.kind === 'empty' ? 'empty state file' : read.reason}`);
  applyState(env, read.state);
  return read.state;
}
