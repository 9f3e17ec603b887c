// Partner spreadsheets of the local runner: each is an .xlsx in the --partners folder, named after the
// partner. Loaded before the jobs (their ids live inside the file, so the links in «Партнёры» keep
// working and a re-run changes nothing), saved after them.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GasEnvironment } from '../emulator/index';
import { loadWorkbook, saveWorkbook } from '../emulator/xlsx';

const PREFIX = 'Аффилейт — ';

/** File name of a partner spreadsheet: the partner's name, without characters file systems refuse. */
export function partnerFileName(spreadsheetName: string): string {
  const partner = spreadsheetName.startsWith(PREFIX) ? spreadsheetName.slice(PREFIX.length) : spreadsheetName;
  return `${partner.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || 'партнёр'}.xlsx`;
}

export async function loadPartnerFiles(env: GasEnvironment, dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const active = env.world.getActive();
  let loaded = 0;
  for (const name of readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.xlsx')).sort()) {
    const ss = await loadWorkbook(join(dir, name), env.world);
    if (active && ss.id === active.id) continue;
    loaded++;
  }
  if (active) env.world.setActive(active);
  return loaded;
}

/** Saves every spreadsheet of the world other than the bound one; returns the paths written. */
export async function savePartnerFiles(env: GasEnvironment, dir: string): Promise<string[]> {
  const active = env.world.getActive();
  const others = env.world.all().filter((ss) => ss !== active && !ss.acl.trashed);
  if (others.length === 0) return [];
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (const ss of others) {
    const path = join(dir, partnerFileName(ss.name));
    await saveWorkbook(ss, path);
    paths.push(path);
  }
  return paths;
}
