// Partner spreadsheets of the local runner: each is an .xlsx in the --partners folder, named after the
// partner. Loaded before the jobs (their ids live inside the file, so the links in «Партнёры» keep
// working and a re-run changes nothing), saved after them. The folder is shared with people: only the
// files listed in its `.partners-manifest.json` (the ones the runner created) are opened or written;
// any other file — a budget, Excel's `~$…` lock file, the main workbook — is left alone and mentioned once.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { GasEnvironment } from '../emulator/index';
import { removeStaleTempFiles, writeFileAtomic } from '../emulator/state';
import { loadReport, loadWorkbook, prepareSave, XlsxFileError } from '../emulator/xlsx';
import { crashPoint, type FileStamp, fsErrorText, saveFileSafely, stampOf } from './local-files';

const PREFIX = 'Аффилейт — ';
export const MANIFEST = '.partners-manifest.json';
/** Bytes a partner's name may take in a file name: with « (NN).xlsx» and a temporary file's prefix
 *  and suffix it stays under the 255 bytes file systems allow. */
const NAME_BYTES = 180;

/** File name of a partner spreadsheet: the partner's name, without characters file systems refuse. */
export function partnerFileName(spreadsheetName: string): string {
  const partner = spreadsheetName.startsWith(PREFIX) ? spreadsheetName.slice(PREFIX.length) : spreadsheetName;
  let name = partner.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^[.~\s]+/, '').trim() || 'партнёр';
  while (Buffer.byteLength(name, 'utf8') > NAME_BYTES) name = [...name].slice(0, -1).join('');
  return `${name.trim()}.xlsx`;
}

interface Manifest {
  version: 1;
  /** Files the runner wrote, by name, with the spreadsheet id inside. */
  files: Record<string, { id: string }>;
  /** Other people's files already mentioned once. */
  ignored: string[];
}

export interface PartnerFolder {
  dir: string;
  manifest: Manifest;
  /** Spreadsheet id → its file and the file's stamp when loaded. */
  loaded: Map<string, { name: string; stamp: FileStamp | null }>;
  /** Our files that could not be read: never written over. */
  broken: Set<string>;
}

function readManifest(dir: string, log: (line: string) => void): Manifest | null {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (m.version === 1 && m.files && typeof m.files === 'object') return { version: 1, files: m.files, ignored: Array.isArray(m.ignored) ? m.ignored : [] };
  } catch {
    // Reported below.
  }
  log(`Список файлов партнёров ${file} повреждён: файлы с таблицами эмулятора будут приняты как свои заново.`);
  return null;
}

const ownCandidate = (name: string) => /\.xlsx$/i.test(name) && !name.startsWith('~$') && !name.startsWith('.');

export async function loadPartnerFiles(env: GasEnvironment, dir: string, log: (line: string) => void = () => {}): Promise<PartnerFolder> {
  const folder: PartnerFolder = { dir, manifest: { version: 1, files: {}, ignored: [] }, loaded: new Map(), broken: new Set() };
  if (!existsSync(dir)) return folder;
  removeStaleTempFiles(dir);
  const manifest = readManifest(dir, log);
  // No list yet (a folder from before it existed): files saved by the emulator count as ours.
  const adopting = manifest === null;
  if (manifest) folder.manifest = manifest;
  const active = env.world.getActive();
  const foreign: string[] = [];
  for (const name of readdirSync(dir).filter(ownCandidate).sort()) {
    const entry = folder.manifest.files[name];
    if (!entry && !adopting) { foreign.push(name); continue; }
    const file = join(dir, name);
    const stamp = stampOf(file);
    if (entry && stamp?.size === 0) continue; // our own save cut short before saves were atomic: rewritten below
    let ss;
    try {
      ss = await loadWorkbook(file, env.world, { keepExisting: true });
    } catch (error) {
      if (adopting) { foreign.push(name); continue; }
      folder.broken.add(name);
      const why = error instanceof XlsxFileError ? (error.problem === 'same-id' ? 'это копия другой открытой таблицы' : 'файл повреждён или это не книга Excel') : fsErrorText(error);
      log(`Таблица партнёра ${file} не открылась (${why}): она пропущена и не изменяется. Восстановите её или удалите — тогда она будет создана заново.`);
      continue;
    }
    if ((adopting && !loadReport(ss).madeByEmulator) || (entry && entry.id !== ss.id) || ss.id === active?.id) {
      env.world.deleteFile(ss.id);
      foreign.push(name);
      if (entry) delete folder.manifest.files[name];
      continue;
    }
    folder.manifest.files[name] = { id: ss.id };
    folder.loaded.set(ss.id, { name, stamp });
  }
  if (active) env.world.setActive(active);
  const fresh = foreign.filter((n) => !folder.manifest.ignored.includes(n));
  if (fresh.length > 0) {
    log(`В папке партнёров ${dir} есть файлы, которые создала не эта программа: ${fresh.join(', ')} — они не открываются и не изменяются (об этом сообщается один раз).`);
    folder.manifest.ignored.push(...fresh);
  }
  return folder;
}

/** Saves every spreadsheet of the world other than the bound one; returns the paths written. A file that
 *  cannot be saved is reported and skipped: the other files, the workbook and the emails still go. */
export async function savePartnerFiles(env: GasEnvironment, folder: PartnerFolder, log: (line: string) => void = () => {}): Promise<string[]> {
  const { dir, manifest } = folder;
  const active = env.world.getActive();
  const others = env.world.all().filter((ss) => ss !== active && !ss.acl.trashed);
  const paths: string[] = [];
  if (others.length === 0 && !existsSync(join(dir, MANIFEST)) && folder.manifest.ignored.length === 0) return paths;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    log(`✗ Таблицы партнёров не сохранены: папка ${dir} — ${fsErrorText(error)}.`);
    return paths;
  }
  const planned = new Set<string>();
  // A name may be written when nothing is there, or it is this spreadsheet's own file.
  const usable = (name: string, id: string) => {
    if (planned.has(name) || folder.broken.has(name)) return false;
    const owner = manifest.files[name]?.id;
    if (owner !== undefined) return owner === id || stampOf(join(dir, name))?.size === 0 || !existsSync(join(dir, name));
    return !existsSync(join(dir, name));
  };
  for (const ss of others) {
    const known = folder.loaded.get(ss.id);
    let name = known?.name ?? Object.keys(manifest.files).find((n) => manifest.files[n].id === ss.id && usable(n, ss.id));
    if (!name) {
      const first = partnerFileName(ss.name);
      name = first;
      for (let n = 2; !usable(name, ss.id); n++) name = first.replace(/\.xlsx$/, ` (${n}).xlsx`);
    }
    planned.add(name);
    const file = join(dir, name);
    try {
      const prepared = prepareSave(ss);
      // Unchanged files are not rewritten (a partner may have one open).
      if (known && !prepared.changed && existsSync(file)) continue;
      const data = await prepared.bytes();
      // A new file must still be absent; an own file must be as it was loaded (or empty, or gone).
      const expected = known ? known.stamp : stampOf(file);
      const outcome = saveFileSafely(file, data, expected, { crashPoint: 'partner-before-rename' });
      if (outcome.beside) {
        log(`Таблица партнёра ${file} ${outcome.beside === 'changed' ? 'изменена кем-то во время запуска' : outcome.beside === 'readonly' ? 'только для чтения' : `не записана (${outcome.error})`}: она не перезаписана, изменения этого запуска — в ${outcome.path}.`);
        manifest.ignored.push(basename(outcome.path));
      } else {
        for (const [n, e] of Object.entries(manifest.files)) if (e.id === ss.id && n !== name) delete manifest.files[n];
        manifest.files[name] = { id: ss.id };
      }
      paths.push(outcome.path);
    } catch (error) {
      log(`✗ Таблица партнёра ${file} не сохранена: ${error instanceof Error && !(error as NodeJS.ErrnoException).code ? error.message : fsErrorText(error)}. Остальные файлы, таблица и письма сохраняются.`);
    }
  }
  // Files a person deleted are forgotten; a file of the same name made later by someone is not ours.
  for (const name of Object.keys(manifest.files)) if (!existsSync(join(dir, name))) delete manifest.files[name];
  try {
    writeFileAtomic(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  } catch (error) {
    log(`✗ Не удалось сохранить список файлов партнёров ${join(dir, MANIFEST)}: ${fsErrorText(error)}.`);
  }
  crashPoint('after-partners');
  return paths;
}
