// `npm start`: runs the built bundle inside the Apps Script emulator against a local .xlsx workbook,
// the way the real spreadsheet would run it, and writes the workbook, partner files and the outbox.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createGasEnvironment, readManifest, type GasEnvironment } from '../emulator/index';
import { loadBundle } from '../emulator/bundle';
import { applyState, readStateFile, removeStaleTempFiles, saveStateFile, statePathFor, type LocalRunInfo, type PendingMail, type StateRead } from '../emulator/state';
import { loadReport, loadWorkbook, prepareSave, workbookApp, XlsxFileError } from '../emulator/xlsx';
import { CELL_LIMIT_ERROR } from '../emulator/spreadsheet/spreadsheet';
import type { EmuSpreadsheet } from '../emulator/spreadsheet/spreadsheet';
import { fillDemoData } from './demo';
import { loadPartnerFiles, savePartnerFiles } from './local-partners';
import { deliverOutbox, prepareOutbox } from './local-outbox';
import { LOCAL_JOBS, type LocalJob } from './local-jobs';
import { countOf, WORDS } from '../src/core/plural';
import { EditSyntaxError, parsePasteTarget, parseSet, readTsv, runEdits, type LocalEdit } from './local-edit';
import { acquireLock, backupPathFor, crashPoint, fsErrorText, LocalError, saveFileSafely, stampOf, userPath } from './local-files';
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
  /** Do what is otherwise refused: a lost or foreign state, time going back, sending a report again. */
  force: boolean;
  /** Errors with their stack. */
  debug: boolean;
  /** `--job wizard`: the answers read from --answers (the «Мастер настройки» dialog's shape). */
  answers?: unknown;
  /** How long to wait for another run of the same workbook (default 60 s). */
  lockWaitMs?: number;
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
  ['answers', 'ФАЙЛ.json', 'для --job wizard: ответы «Мастера настройки», например {"settings":{"leadershipEmails":"boss@firma.ru"},"managers":[{"name":"Марина"}]}'],
  ['force', '', 'сделать то, от чего запуск иначе отказывается: чужое или потерянное состояние, --at раньше прошлого запуска, повторная отправка отчёта'],
  ['debug', '', 'при ошибке показать технические подробности'],
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
        workbook: { type: 'string' },
        at: { type: 'string' },
        job: { type: 'string' },
        outbox: { type: 'string' },
        partners: { type: 'string' },
        seed: { type: 'string' },
        as: { type: 'string' },
        set: { type: 'string', multiple: true },
        paste: { type: 'string', multiple: true },
        tsv: { type: 'string', multiple: true },
        account: { type: 'string', default: 'consumer' },
        empty: { type: 'boolean', default: false },
        answers: { type: 'string' },
        force: { type: 'boolean', default: false },
        debug: { type: 'boolean', default: false },
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
        edits.push({ kind: 'paste', sheet: open.sheet, cell: open.cell, values: readTsv(userPath(t.value)), source: t.value });
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
  if (job === 'wizard' && v.answers === undefined) throw new UsageError('--job wizard: укажите --answers ФАЙЛ.json — ответы мастера');
  if (job !== 'wizard' && v.answers !== undefined) throw new UsageError(`--answers — это ответы «Мастера настройки», они работают с --job wizard, а не с --job ${job}`);
  const answers = v.answers === undefined ? undefined : readAnswers(v.answers);
  const seed = v.seed === undefined ? Date.now() % 1_000_000 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: «${v.seed}» — нужно целое неотрицательное число`);
  if (v.as !== undefined && !EMAIL.test(v.as.trim())) throw new UsageError(`--as: «${v.as}» — нужен email, например manager@example.com`);
  const account = v.account!;
  if (account !== 'consumer' && account !== 'workspace') throw new UsageError(`--account: «${account}» — нужно consumer (обычные аккаунты Google) или workspace (Google Workspace)`);
  // The person's paths are relative to the folder they typed the command in; the defaults to the project.
  const place = (value: string | undefined, fallback: string) => (value === undefined ? join(root, fallback) : userPath(value));
  return {
    workbook: place(v.workbook, 'local/workbook.xlsx'),
    at: v.at === undefined ? new Date() : parseAt(v.at),
    job,
    outbox: place(v.outbox, 'local/outbox'),
    partners: place(v.partners, 'local/partners'),
    seed,
    as: v.as?.trim().toLowerCase(),
    account,
    empty: v.empty!,
    edits,
    answers,
    force: v.force!,
    debug: v.debug!,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The JSON of --answers; a missing or broken file is a usage error in Russian. */
function readAnswers(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(userPath(path), 'utf8');
  } catch (error) {
    throw new UsageError(`--answers: не удалось прочитать ${path} (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`--answers: ${path} — не JSON (${(error as Error).message})`);
  }
}

export interface LocalResult {
  env: GasEnvironment;
  /** 0, or 1 when an edit was refused, a job or its onEdit failed, or the workbook went beside the file. */
  exitCode: 0 | 1;
}

/** A Moscow time as --at takes it. */
function atText(ms: number): string {
  const d = new Date(ms);
  return `${toLocalDate(d, MOSCOW)} ${d.toLocaleTimeString('ru-RU', { timeZone: MOSCOW, hour: '2-digit', minute: '2-digit' })}`;
}

export async function runLocal(opts: LocalOptions, log: (line: string) => void = console.log): Promise<LocalResult> {
  const bundlePath = join(root, 'dist/Code.js');
  if (!existsSync(bundlePath)) throw new UsageError('Нет dist/Code.js — выполните npm run build');
  if (!/\.xlsx$/i.test(opts.workbook)) {
    throw new UsageError(`--workbook ${opts.workbook}: открываются только книги Excel (.xlsx); файл не изменён. Сохраните таблицу как «Книга Excel (*.xlsx)» и укажите этот файл.`);
  }
  if (existsSync(opts.workbook) && statSync(opts.workbook).isDirectory()) throw new UsageError(`--workbook ${opts.workbook}: это папка, а нужен файл .xlsx.`);
  if (opts.empty && existsSync(opts.workbook)) {
    throw new UsageError(`--empty: таблица ${opts.workbook} уже есть, а --empty создаёт только новую. Укажите другой --workbook или удалите файл.`);
  }
  try {
    mkdirSync(dirname(opts.workbook), { recursive: true });
  } catch (error) {
    throw new LocalError(`Не удалось создать папку ${dirname(opts.workbook)} для таблицы: ${fsErrorText(error)}.`);
  }
  const release = await acquireLock(opts.workbook, { waitMs: opts.lockWaitMs ?? 60_000, log });
  // Ctrl-C or kill: the lock goes; the files are whole either way (every save is a rename).
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    for (const dir of [dirname(opts.workbook), opts.partners, opts.outbox]) removeStaleTempFiles(dir, process.pid);
    process.stderr.write(`\nЗапуск прерван (${signal}). Полусохранённых файлов нет: каждый файл остался целым — в старой или в новой версии.\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await runLocked(opts, log);
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    release();
  }
}

/** The workbook's pairing with its state, from its `_emulator` sheet. */
function stateIdOf(app: Record<string, unknown> | undefined): string | undefined {
  return typeof app?.stateId === 'string' ? app.stateId : undefined;
}

/** Why the state beside the workbook cannot be trusted to know which emails went (null: it can). */
function stateProblem(read: StateRead, tagged: string | undefined, created: boolean, workbook: string): string | null {
  const resend = 'без верного состояния неизвестно, какие письма уже ушли, и запуск отправил бы их повторно';
  switch (read.kind) {
    case 'empty': return `Файл состояния ${read.file} пуст: ${resend}. Восстановите его из резервной копии.`;
    case 'corrupt': return `Файл состояния ${read.file} повреждён (${read.reason}): ${resend}. Восстановите его из резервной копии.`;
    case 'missing': return tagged ? `Нет файла состояния ${read.file}, хотя таблица ${workbook} уже запускалась (её переименовали или перенесли без него, или его удалили): ${resend}. Положите его рядом с таблицей под этим именем.` : null;
    default: {
      const local = read.state.local;
      if (!local) return null; // written before states named their workbook
      if (created) return `Рядом лежит файл состояния ${read.file} другой таблицы, а таблицы ${workbook} нет. Если таблица создаётся заново, удалите или переименуйте этот файл.`;
      if (local.stateId !== tagged) return `Файл состояния ${read.file} — от другой таблицы (метки в таблице и в состоянии не совпадают): ${resend}, а расписание смешалось бы. Верните таблице её собственный файл состояния.`;
      return null;
    }
  }
}

/** A workbook that would not open, in one Russian line; the file is never touched. */
function openError(error: unknown, file: string): LocalError {
  const bak = backupPathFor(file);
  const restore = existsSync(bak) ? ` Предыдущая версия — ${bak}: скопируйте её на место ${file}.` : '';
  const start = `Не удалось открыть ${file}:`;
  const kept = ' Файл не изменён.';
  if (error instanceof XlsxFileError) {
    switch (error.problem) {
      case 'empty': return new LocalError(`${start} файл пуст (0 байт) — похоже, его сохранение было прервано.${restore || ' Удалите его, чтобы создать таблицу заново.'}`, 2);
      case 'xls': return new LocalError(`${start} это книга старого формата Excel 97–2003 (.xls). Откройте её в Excel или LibreOffice и сохраните как «Книга Excel (*.xlsx)».${kept}`, 2);
      case 'ods': return new LocalError(`${start} это таблица OpenDocument (.ods), хотя имя оканчивается на .xlsx. Сохраните её в LibreOffice как «Excel 2007–365 (.xlsx)».${kept}`, 2);
      case 'docx': return new LocalError(`${start} это документ Word, а не таблица. Укажите в --workbook книгу Excel (.xlsx).${kept}`, 2);
      case 'corrupt': return new LocalError(`${start} книга Excel повреждена и не читается.${restore || ' Откройте её в Excel — он предложит восстановить содержимое.'}${kept}`, 2);
      default: return new LocalError(`${start} это не книга Excel (.xlsx). Укажите в --workbook книгу Excel или сохраните таблицу в этом формате.${kept}`, 2);
    }
  }
  if ((error as Error)?.message === CELL_LIMIT_ERROR) return new LocalError(`${start} в таблице больше 10 000 000 ячеек — Google не принимает такие файлы. Удалите лишние строки и столбцы.${kept}`, 2);
  if ((error as NodeJS.ErrnoException)?.code) return new LocalError(`${start} ${fsErrorText(error)}.`, 2);
  return new LocalError(`${start} ${(error as Error)?.message ?? String(error)}.${kept}`, 2);
}

const UNKEPT: Record<string, string> = { charts: 'диаграммы Excel', 'pivot tables': 'сводные таблицы', slicers: 'срезы', macros: 'макросы' };

/** What the load could not take as the file meant it: said once per run. */
function reportLoad(ss: EmuSpreadsheet, file: string, log: (line: string) => void): void {
  const { uncachedFormulas, unkept } = loadReport(ss);
  if (uncachedFormulas.length > 0) {
    const cells = uncachedFormulas.slice(0, 5).join(', ') + (uncachedFormulas.length > 5 ? ` и ещё ${uncachedFormulas.length - 5}` : '');
    log(`В ${file} есть формулы без сохранённого результата (${cells}): файл записала программа, которая не вычисляет формулы. Эмулятор их не вычисляет и читает как пустые ячейки; откройте и сохраните файл в Excel или LibreOffice, чтобы результаты были в файле.`);
  }
  if (unkept.length > 0) {
    log(`В ${file} есть ${unkept.map((u) => UNKEPT[u] ?? u).join(', ')}: при сохранении они не записываются. Версия до запуска останется в ${backupPathFor(file)}.`);
  }
}

/** A non-interactive run confirms nothing: «Отправить ещё раз?» is answered «Нет» unless --force. */
function answerQuestions(env: GasEnvironment, force: boolean): void {
  const ui = env.ui as unknown as { alert: (...args: unknown[]) => unknown; respondNext: (answer: string) => void };
  const alert = ui.alert.bind(ui);
  ui.alert = (...args: unknown[]) => {
    const buttons = args.length >= 2 ? String(args[args.length - 1]) : '';
    if (!force && (buttons === 'YES_NO' || buttons === 'YES_NO_CANCEL')) ui.respondNext(buttons === 'YES_NO' ? 'NO' : 'CANCEL');
    return alert(...args);
  };
}

function saveState(env: GasEnvironment, workbook: string, local: LocalRunInfo, pending: boolean): void {
  try {
    saveStateFile(env, workbook, local, { beforeRename: () => crashPoint('state-before-rename') });
  } catch (error) {
    throw new LocalError(`Не удалось сохранить состояние ${statePathFor(workbook)}: ${fsErrorText(error)}.${pending ? ' Письма этого запуска не записаны в outbox — следующий запуск подготовит их заново.' : ''} Проверьте место на диске и права на папку.`);
  }
}

function deliver(dir: string, mails: PendingMail[]): string[] {
  try {
    return deliverOutbox(dir, mails);
  } catch (error) {
    throw new LocalError(`Не удалось записать письмо в ${dir}: ${fsErrorText(error)}. Отправка уже отмечена в состоянии: исправьте причину и запустите снова — недостающие письма допишутся один раз.`);
  }
}

async function runLocked(opts: LocalOptions, log: (line: string) => void): Promise<LocalResult> {
  removeStaleTempFiles(dirname(opts.workbook));
  const env = createGasEnvironment({ now: opts.at.getTime(), seed: opts.seed, account: opts.account, manifest: readManifest(join(root, 'dist', 'appsscript.json')) });
  let created = false;
  const stamp = stampOf(opts.workbook);
  if (stamp) {
    try {
      env.world.setActive(await loadWorkbook(opts.workbook, env.world));
    } catch (error) {
      throw openError(error, opts.workbook);
    }
  } else {
    // A new file takes its creator's account language: the team's is Russian (typed dates are DD.MM.YYYY).
    env.world.setActive(env.world.createSpreadsheet('Продажи — локальная таблица', { owner: env.ctx.ownerEmail, locale: 'ru_RU' }));
    created = true;
  }
  const ss = env.world.getActive()!;
  reportLoad(ss, opts.workbook, log);

  // The state must be this workbook's own: otherwise the sent markers are not the ones of its emails.
  let read: StateRead;
  try {
    read = readStateFile(opts.workbook);
  } catch (error) {
    throw new LocalError(`Не удалось прочитать состояние ${statePathFor(opts.workbook)}: ${fsErrorText(error)}.`);
  }
  const tagged = created ? undefined : stateIdOf(workbookApp(ss));
  const problem = stateProblem(read, tagged, created, opts.workbook);
  let last: LocalRunInfo | undefined;
  let stateId: string;
  if (problem) {
    if (!opts.force) throw new UsageError(`${problem} Если вы уверены, добавьте --force: состояние начнётся заново, и отчёты за сегодня могут уйти ещё раз.`);
    log(`${problem} (--force: состояние начинается заново.)`);
    if (read.kind !== 'missing') {
      const aside = `${read.file}.replaced-${Date.now()}`;
      try {
        renameSync(read.file, aside);
      } catch (error) {
        throw new LocalError(`Не удалось убрать старый файл состояния ${read.file}: ${fsErrorText(error)}.`);
      }
      log(`Старый файл состояния сохранён как ${aside}.`);
    }
    stateId = randomUUID();
  } else {
    if (read.kind === 'ok') {
      applyState(env, read.state);
      last = read.state.local;
    }
    stateId = last?.stateId ?? tagged ?? randomUUID();
  }
  if (last && opts.at.getTime() < last.lastRunAt) {
    if (!opts.force) {
      throw new UsageError(`--at ${atText(opts.at.getTime())}: это раньше прошлого запуска этой таблицы (${atText(last.lastRunAt)}, Москва), а время не идёт назад — расписание и отметки об отправке запутались бы. Укажите --at не раньше ${atText(last.lastRunAt)} или добавьте --force.`);
    }
    log(`Внимание: --at раньше прошлого запуска (${atText(last.lastRunAt)}) — по --force.`);
  }
  if (last?.outbox && last.outbox.mails.length > 0) {
    log('Письма прошлого запуска, прерванного после отметки об отправке:');
    for (const path of deliver(last.outbox.dir, last.outbox.mails)) log(`Письмо: ${path}`);
  }

  let partners;
  try {
    partners = await loadPartnerFiles(env, opts.partners, log);
  } catch (error) {
    throw new LocalError(`Не удалось прочитать папку партнёров ${opts.partners}: ${fsErrorText(error)}. Проверьте права на неё или укажите другую в --partners.`);
  }
  const bundle = loadBundle(readFileSync(join(root, 'dist/Code.js'), 'utf8'), env);
  answerQuestions(env, opts.force);
  log(`Время запуска: ${atText(opts.at.getTime())} (Москва)`);

  const owner = ss.acl.owner;
  const person = opts.as ?? owner;
  if (!ss.acl.canEdit(person)) {
    // The local workbook stands for the team's file: whoever works in it is a team member.
    ss.acl.addEditor(person);
    log(`${person} — новый участник команды: добавлен в редакторы таблицы.`);
  }

  let exitCode: 0 | 1 = 0;
  const mailBefore = env.mail.outbox.length;
  const jobs: string[] = opts.job === 'all' ? Object.keys(LOCAL_JOBS).filter((j) => LOCAL_JOBS[j].inAll) : opts.job in LOCAL_JOBS ? [opts.job] : [];
  if (created && !jobs.includes('setup')) jobs.unshift('setup');
  for (const name of jobs) {
    // The first setup of a new file is the owner's; the rest is whoever sits at the keyboard.
    if (!runJob(name, LOCAL_JOBS[name], env, bundle, log, name === 'setup' && created ? owner : person, opts)) exitCode = 1;
    if (name === 'setup' && created) {
      if (opts.empty) {
        log('  без демо-данных (--empty)');
      } else {
        const rows = fillDemoData(env, opts.at);
        log(`  демо-данные: ${countOf(rows, WORDS.row)}`);
      }
    }
  }
  const failed = opts.edits.length > 0 ? runEdits(env, bundle, opts.edits, person, log) : 0;
  if (failed > 0) exitCode = 1;

  // Saved in this order so an email is written exactly once whatever is killed when: the files, then
  // the state that marks the emails sent (with the emails in it), then the emails, then the state
  // without them. Killed before the state, the next run sends them; after it, the next run writes them.
  const mails = prepareOutbox(env, mailBefore, opts.outbox);
  for (const path of await savePartnerFiles(env, partners, log)) log(`Таблица партнёра: ${path}`);
  // A run that changed nothing leaves the file as it was (Excel may have it open).
  const prepared = prepareSave(ss, { app: { stateId } });
  const saved = prepared.changed || !stamp
    ? saveFileSafely(opts.workbook, await prepared.bytes(), stamp, { backup: true, crashPoint: 'workbook-before-rename', log })
    : null;
  crashPoint('after-workbook');
  const local: LocalRunInfo = { workbookId: ss.id, stateId, lastRunAt: opts.at.getTime() };
  saveState(env, opts.workbook, mails.length > 0 ? { ...local, outbox: { dir: opts.outbox, mails } } : local, mails.length > 0);
  crashPoint('after-state');
  for (const path of deliver(opts.outbox, mails)) log(`Письмо: ${path}`);
  if (mails.length > 0) {
    try {
      saveStateFile(env, opts.workbook, local);
    } catch {
      // The emails are written; the next run finds their files in place and writes nothing twice.
    }
  }
  if (saved?.beside) {
    const why = saved.beside === 'changed' ? 'изменили во время запуска (например, сохранили в Excel)' : saved.beside === 'readonly' ? 'только для чтения' : `не удалось заменить (${saved.error})`;
    log(`✗ Таблицу ${opts.workbook} ${why}: она не перезаписана. Изменения этого запуска — в ${saved.path}; перенесите нужное вручную.`);
    exitCode = 1;
  } else {
    log(`Таблица: ${opts.workbook}${created ? (opts.empty ? ' (создана, без демо-данных)' : ' (создана)') : saved ? '' : ' (без изменений)'}`);
  }
  if (failed > 0) log(`Не применено правок: ${failed} из ${opts.edits.length}.`);
  return { env, exitCode };
}

/** Runs one job as Apps Script would; false when it threw (the run goes on, as the next execution would). */
function runJob(name: string, job: LocalJob, env: GasEnvironment, bundle: ReturnType<typeof loadBundle>, log: (line: string) => void, person: string, opts: LocalOptions): boolean {
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
  let error: unknown;
  let result: unknown;
  try {
    result = name === 'wizard' ? bundle.call(job.handler, opts.answers) : bundle.call(job.handler);
  } catch (e) {
    error = e;
  } finally {
    env.endExecution();
  }
  log(`▶ ${name} (${job.handler}): ${countOf(env.ctx.recorder.total() - before, WORDS.serviceCalls)}`);
  for (const a of env.ui.alerts.slice(alerts)) {
    const question = a.buttons === 'YES_NO' || a.buttons === 'YES_NO_CANCEL';
    const answer = !question ? '' : a.answer === 'YES' ? ' → «Да» (--force)' : ' → «Нет»: без --force запуск ничего не подтверждает';
    log(indent(`${a.title ? a.title + ': ' : ''}${a.prompt}${answer}`));
  }
  for (const d of env.ui.dialogs.slice(dialogs)) log(indent(`[окно «${d.title}»] ${htmlToText(d.html)}`));
  for (const l of env.logs.lines.slice(logged)) log(indent(l.text));
  // A server function's answer (the wizard's): what was saved, or every problem.
  const answer = result as { ok?: boolean; errors?: string[]; message?: string } | undefined;
  if (error === undefined && answer && typeof answer === 'object' && typeof answer.ok === 'boolean') {
    log(indent(answer.ok ? answer.message ?? '' : ['✗ Ничего не сохранено:', ...(answer.errors ?? []).map((e) => `• ${e}`)].join('\n')));
    return answer.ok;
  }
  if (error === undefined) return true;
  const e = error as Error;
  log(indent(`✗ Задание ${name} завершилось ошибкой: ${e?.message ?? String(error)}${opts.debug && e?.stack ? `\n${e.stack}` : ''}`));
  return false;
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
  const debug = process.argv.includes('--debug');
  try {
    const { exitCode } = await runLocal(parseOptions(process.argv.slice(2)));
    process.exitCode = exitCode;
  } catch (error) {
    if (error instanceof HelpRequest) {
      console.log(USAGE);
    } else {
      const known = error instanceof UsageError || error instanceof LocalError;
      const e = error as NodeJS.ErrnoException;
      const what = e?.code ? `${e.path ? `${e.path}: ` : ''}${fsErrorText(e)}` : e?.message ?? String(error);
      console.error(known ? e.message : `Запуск прерван непредвиденной ошибкой: ${what}. Незаконченных файлов не осталось; запустите снова, подробности — с флагом --debug.`);
      if (debug && error instanceof Error && error.stack) console.error(error.stack);
      process.exitCode = error instanceof UsageError ? 2 : error instanceof LocalError ? error.exitCode : 1;
    }
  }
}
