// `npm start`: runs the built bundle inside the Apps Script emulator against a local .xlsx workbook,
// the way the real spreadsheet would run it, and writes the workbook, partner files and the outbox.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createGasEnvironment, readManifest, type GasEnvironment } from '../emulator/index';
import { loadBundle } from '../emulator/bundle';
import { loadStateFile, saveStateFile } from '../emulator/state';
import { loadWorkbook, saveWorkbook } from '../emulator/xlsx';
import { fillDemoData } from './demo';
import { loadPartnerFiles, savePartnerFiles } from './local-partners';
import { writeOutbox } from './local-outbox';
import { LOCAL_JOBS, type LocalJob } from './local-jobs';
import { EditSyntaxError, parsePasteTarget, parseSet, readTsv, runEdits, type LocalEdit } from './local-edit';
import type { AccountKind } from '../emulator/context';
import { localDateTimeToDate, isValidLocalDate, MOSCOW, toLocalDate } from '../src/core/dates';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A bad command line or workbook path: the message is printed and the run exits with 2. */
export class UsageError extends Error {}
/** `--help`: the usage goes to stdout and the run exits with 0. */
export class HelpRequest extends Error {}

export interface LocalOptions {
  workbook: string;
  at: Date;
  job: string;
  outbox: string;
  partners: string;
  seed: number;
  /** The person at the keyboard (edits, menu jobs); undefined: the workbook's owner. */
  as?: string;
  account: AccountKind;
  /** A new workbook without demo data. */
  empty: boolean;
  /** `--job edit`: the edits in command-line order. */
  edits: LocalEdit[];
}

/** Every flag: [name, value placeholder or '', one line of help]. */
const FLAGS: ReadonlyArray<[string, string, string]> = [
  ['job', 'ИМЯ', 'что запустить (список ниже; по умолчанию all)'],
  ['at', '"ГГГГ-ММ-ДД ЧЧ:ММ"', 'московское время запуска (по умолчанию сейчас)'],
  ['workbook', 'ФАЙЛ', 'локальная таблица .xlsx (по умолчанию local/workbook.xlsx; создаётся, если её нет)'],
  ['outbox', 'ПАПКА', 'куда класть письма, которые были бы отправлены (по умолчанию local/outbox)'],
  ['partners', 'ПАПКА', 'куда класть таблицы партнёров (по умолчанию local/partners)'],
  ['seed', 'N', 'повторяемые случайные части: индивидуальные номера, разброс триггеров'],
  ['as', 'EMAIL', 'кто работает с таблицей: правки и пункты меню (по умолчанию владелец таблицы)'],
  ['set', '"Лист!A1=значение"', 'правка одной ячейки человеком, затем onEdit; можно несколько раз'],
  ['paste', '"Лист!A1"', 'вставка нескольких ячеек, начиная с этой (одно событие onEdit); вместе с --tsv'],
  ['tsv', 'ФАЙЛ', 'что вставить для --paste: строки через перевод строки, ячейки через Tab (UTF-8)'],
  ['account', 'consumer|workspace', 'тип аккаунтов Google: квоты и что видно о пользователе (по умолчанию consumer)'],
  ['empty', '', 'новая таблица только с шаблонами, без демо-данных (если файла ещё нет)'],
  ['help', '', 'эта справка'],
];

const EDIT_JOB = 'edit';

export const USAGE = [
  'Использование: npm start -- [флаги]',
  '',
  'Флаги:',
  ...FLAGS.map(([name, value, help]) => `  ${`--${name}${value ? ` ${value}` : ''}`.padEnd(32)} ${help}`),
  '',
  'Задания (--job):',
  `  ${'all'.padEnd(18)} ${Object.keys(LOCAL_JOBS).filter((j) => LOCAL_JOBS[j].inAll).join(', ')} — по порядку`,
  ...Object.entries(LOCAL_JOBS).map(([name, job]) => `  ${name.padEnd(18)} ${job.description}`),
  `  ${EDIT_JOB.padEnd(18)} Правки человека: --set и --paste от имени --as (подразумевается, если они указаны)`,
  '',
  'Пример: npm start -- --job edit --as manager@example.com --set "Аналитика!N5=x"',
].join('\n');

export function parseAt(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (!m || !isValidLocalDate(+m[1], +m[2], +m[3]) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59) {
    throw new UsageError(`--at: «${text}» — нужно "ГГГГ-ММ-ДД ЧЧ:ММ" (московское время)`);
  }
  return localDateTimeToDate(`${m[1]}-${m[2]}-${m[3]}`, MOSCOW, +(m[4] ?? 0), +(m[5] ?? 0));
}

/** Node's parseArgs errors, in Russian. */
function argsError(error: unknown): UsageError {
  const e = error as Error & { code?: string };
  const option = /'(-[^' ]*)/.exec(e.message)?.[1];
  const more = 'Список флагов: npm start -- --help';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Неизвестный флаг ${option ?? e.message}. ${more}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(e.message)) return new UsageError(`Флаг ${option} пишется без значения. ${more}`);
      return new UsageError(`Флагу ${option} нужно значение: ${option} ${FLAGS.find(([n]) => `--${n}` === option)?.[1] || 'ЗНАЧЕНИЕ'}`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Лишний аргумент «${/'([^']*)'/.exec(e.message)?.[1] ?? ''}»: значения пишутся после флагов (--job recalc). ${more}`);
    default:
      return new UsageError(e.message);
  }
}

export function parseOptions(argv: string[]): LocalOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        workbook: { type: 'string', default: 'local/workbook.xlsx' },
        at: { type: 'string' },
        job: { type: 'string' },
        outbox: { type: 'string', default: 'local/outbox' },
        partners: { type: 'string', default: 'local/partners' },
        seed: { type: 'string' },
        as: { type: 'string' },
        set: { type: 'string', multiple: true },
        paste: { type: 'string', multiple: true },
        tsv: { type: 'string', multiple: true },
        account: { type: 'string', default: 'consumer' },
        empty: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    throw argsError(error);
  }
  const v = parsed.values;
  if (v.help) throw new HelpRequest();

  // Edits keep their command-line order; each --tsv belongs to the --paste before it.
  const edits: LocalEdit[] = [];
  let open: { sheet: string; cell: string; flag: string } | null = null;
  try {
    for (const t of parsed.tokens ?? []) {
      if (t.kind !== 'option' || t.value === undefined) continue;
      if (t.name === 'set') edits.push(parseSet(t.value));
      if (t.name === 'paste') {
        if (open) throw new EditSyntaxError(`--paste ${open.flag}: сначала --tsv ФАЙЛ для этой вставки`);
        open = { ...parsePasteTarget(t.value), flag: t.value };
      }
      if (t.name === 'tsv') {
        if (!open) throw new EditSyntaxError(`--tsv ${t.value}: перед ним нужен --paste "Лист!A1" — куда вставлять`);
        edits.push({ kind: 'paste', sheet: open.sheet, cell: open.cell, values: readTsv(t.value), source: t.value });
        open = null;
      }
    }
    if (open) throw new EditSyntaxError(`--paste ${open.flag}: нужен --tsv ФАЙЛ — что вставлять`);
  } catch (error) {
    if (error instanceof EditSyntaxError) throw new UsageError(error.message);
    throw error;
  }

  const job = v.job ?? (edits.length > 0 ? EDIT_JOB : 'all');
  if (job !== 'all' && job !== EDIT_JOB && !(job in LOCAL_JOBS)) {
    throw new UsageError(`--job: неизвестное задание «${job}». Доступны: all, ${Object.keys(LOCAL_JOBS).join(', ')}, ${EDIT_JOB}`);
  }
  if (job === EDIT_JOB && edits.length === 0) throw new UsageError('--job edit: укажите правку — --set "Лист!A1=значение" или --paste "Лист!A1" --tsv ФАЙЛ');
  if (job !== EDIT_JOB && edits.length > 0) throw new UsageError(`--set и --paste — это правки человека, они работают с --job edit, а не с --job ${job}`);
  const seed = v.seed === undefined ? Date.now() % 1_000_000 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: «${v.seed}» — нужно целое неотрицательное число`);
  if (v.as !== undefined && !EMAIL.test(v.as.trim())) throw new UsageError(`--as: «${v.as}» — нужен email, например manager@example.com`);
  const account = v.account!;
  if (account !== 'consumer' && account !== 'workspace') throw new UsageError(`--account: «${account}» — нужно consumer (обычные аккаунты Google) или workspace (Google Workspace)`);
  return {
    workbook: resolve(v.workbook!),
    at: v.at === undefined ? new Date() : parseAt(v.at),
    job,
    outbox: resolve(v.outbox!),
    partners: resolve(v.partners!),
    seed,
    as: v.as?.trim().toLowerCase(),
    account,
    empty: v.empty!,
    edits,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface LocalResult {
  env: GasEnvironment;
  /** 0, or 1 when an edit was refused or its onEdit failed. */
  exitCode: 0 | 1;
}

export async function runLocal(opts: LocalOptions, log: (line: string) => void = console.log): Promise<LocalResult> {
  const bundlePath = join(root, 'dist/Code.js');
  if (!existsSync(bundlePath)) throw new UsageError('Нет dist/Code.js — выполните npm run build');
  if (opts.empty && existsSync(opts.workbook)) {
    throw new UsageError(`--empty: таблица ${opts.workbook} уже есть, а --empty создаёт только новую. Укажите другой --workbook или удалите файл.`);
  }
  const env = createGasEnvironment({ now: opts.at.getTime(), seed: opts.seed, account: opts.account, manifest: readManifest(join(root, 'dist', 'appsscript.json')) });
  try {
    loadStateFile(env, opts.workbook);
  } catch (error) {
    throw new UsageError(`Не удалось прочитать состояние рядом с ${opts.workbook}: ${(error as Error).message}`);
  }
  let created = false;
  if (existsSync(opts.workbook)) {
    try {
      const ss = await loadWorkbook(opts.workbook, env.world);
      env.world.setActive(ss);
    } catch (error) {
      throw new UsageError(`Не удалось открыть ${opts.workbook}: ${(error as Error).message}`);
    }
  } else {
    // A new file takes its creator's account language: the team's is Russian (typed dates are DD.MM.YYYY).
    env.world.setActive(env.world.createSpreadsheet('Продажи — локальная таблица', { owner: env.ctx.ownerEmail, locale: 'ru_RU' }));
    created = true;
  }
  const ss = env.world.getActive()!;
  await loadPartnerFiles(env, opts.partners);
  const bundle = loadBundle(readFileSync(bundlePath, 'utf8'), env);
  log(`Время запуска: ${toLocalDate(opts.at, MOSCOW)} ${opts.at.toLocaleTimeString('ru-RU', { timeZone: MOSCOW, hour: '2-digit', minute: '2-digit' })} (Москва)`);

  const owner = ss.acl.owner;
  const person = opts.as ?? owner;
  if (!ss.acl.canEdit(person)) {
    // The local workbook stands for the team's file: whoever works in it is a team member.
    ss.acl.addEditor(person);
    log(`${person} — новый участник команды: добавлен в редакторы таблицы.`);
  }

  const mailBefore = env.mail.outbox.length;
  const jobs: string[] = opts.job === 'all' ? Object.keys(LOCAL_JOBS).filter((j) => LOCAL_JOBS[j].inAll) : opts.job in LOCAL_JOBS ? [opts.job] : [];
  if (created && !jobs.includes('setup')) jobs.unshift('setup');
  for (const name of jobs) {
    // The first setup of a new file is the owner's; the rest is whoever sits at the keyboard.
    runJob(name, LOCAL_JOBS[name], env, bundle, log, name === 'setup' && created ? owner : person);
    if (name === 'setup' && created) {
      if (opts.empty) {
        log('  без демо-данных (--empty)');
      } else {
        const rows = fillDemoData(env, opts.at);
        log(`  демо-данные: ${rows} строк`);
      }
    }
  }
  const failed = opts.edits.length > 0 ? runEdits(env, bundle, opts.edits, person, log) : 0;

  for (const path of writeOutbox(env, mailBefore, opts.outbox)) log(`Письмо: ${path}`);
  for (const path of await savePartnerFiles(env, opts.partners)) log(`Таблица партнёра: ${path}`);
  mkdirSync(dirname(opts.workbook), { recursive: true });
  await saveWorkbook(ss, opts.workbook);
  saveStateFile(env, opts.workbook);
  log(`Таблица: ${opts.workbook}${created ? (opts.empty ? ' (создана, без демо-данных)' : ' (создана)') : ''}`);
  if (failed > 0) log(`Не применено правок: ${failed} из ${opts.edits.length}.`);
  return { env, exitCode: failed > 0 ? 1 : 0 };
}

function runJob(name: string, job: LocalJob, env: GasEnvironment, bundle: ReturnType<typeof loadBundle>, log: (line: string) => void, person: string): void {
  const before = env.ctx.recorder.total();
  const dialogs = env.ui.dialogs.length;
  const alerts = env.ui.alerts.length;
  const logged = env.logs.lines.length;
  if (job.kind === 'menu') {
    env.beginExecution('menu', { user: person });
  } else {
    // An installed trigger runs as the person who installed it; without one, as the owner would install it.
    const trigger = env.triggers.list().find((t) => t.handler === job.handler);
    env.beginExecution(job.kind, trigger ? { trigger } : { user: env.world.getActive()!.acl.owner });
  }
  try {
    bundle.call(job.handler);
  } finally {
    env.endExecution();
  }
  log(`▶ ${name} (${job.handler}): ${env.ctx.recorder.total() - before} обращений к сервисам`);
  for (const a of env.ui.alerts.slice(alerts)) log(indent(`${a.title ? a.title + ': ' : ''}${a.prompt}`));
  for (const d of env.ui.dialogs.slice(dialogs)) log(indent(`[окно «${d.title}»] ${htmlToText(d.html)}`));
  for (const l of env.logs.lines.slice(logged)) log(indent(l.text));
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { exitCode } = await runLocal(parseOptions(process.argv.slice(2)));
    process.exitCode = exitCode;
  } catch (error) {
    if (error instanceof HelpRequest) {
      console.log(USAGE);
    } else if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}
