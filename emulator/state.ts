// Keeps script properties, triggers, cache and the mail quota between local runs, in a JSON file next to
// the workbook, so a sequence of `npm start` runs behaves like one Apps Script day. Spreadsheets are not
// included: the workbook itself is their state.
import fs from 'node:fs';
import path from 'node:path';
import type { GasEnvironment, GasState } from './index';

export function statePathFor(workbookPath: string): string {
  const { dir, name } = path.parse(workbookPath);
  return path.join(dir, `${name}.gas-state.json`);
}

export function saveStateFile(env: GasEnvironment, workbookPath: string): string {
  const file = statePathFor(workbookPath);
  const state = env.saveState({ spreadsheets: false });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', 'utf8');
  fs.renameSync(tmp, file);
  return file;
}

/** Loads the saved state if there is one; returns it (or null when there was none). */
export function loadStateFile(env: GasEnvironment, workbookPath: string): GasState | null {
  const file = statePathFor(workbookPath);
  if (!fs.existsSync(file)) return null;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as GasState;
  delete state.spreadsheets;
  env.loadState(state);
  return state;
}
