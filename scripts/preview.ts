// `npm run preview`: the product in a browser without a Google account. A local page shows the workbook's
// sheets, the «Продажи» menu (each item runs the built bundle in the emulator), the dialogs with their
// google.script.run calls, the outbox and the partner files; every change is saved as `npm start` saves it.
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { parseAt, UsageError, HelpRequest } from './local';
import { LocalError } from './local-files';
import { PreviewSession } from './preview/session';
import { startServer } from './preview/server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const FLAGS: ReadonlyArray<[string, string, string]> = [
  ['workbook', 'ФАЙЛ', 'локальная таблица .xlsx (по умолчанию local/workbook.xlsx; если её нет — создаётся с демо-данными)'],
  ['port', 'N', 'порт страницы на 127.0.0.1 (по умолчанию любой свободный)'],
  ['outbox', 'ПАПКА', 'куда класть письма, которые были бы отправлены (по умолчанию local/outbox)'],
  ['partners', 'ПАПКА', 'таблицы партнёров (по умолчанию local/partners)'],
  ['at', '"ГГГГ-ММ-ДД ЧЧ:ММ"', 'московское время начала; дальше часы идут как настоящие (по умолчанию сейчас)'],
  ['seed', 'N', 'повторяемые случайные части: индивидуальные номера, id файлов'],
  ['account', 'consumer|workspace', 'тип аккаунтов Google (по умолчанию consumer)'],
  ['empty', '', 'как у npm start: новая таблица только с шаблонами, без демо-данных (если файла ещё нет)'],
  ['force', '', 'как у npm start: открыть таблицу с чужим или потерянным состоянием, --at раньше прошлого запуска'],
  ['help', '', 'эта справка'],
];

export const USAGE = [
  'Использование: npm run preview -- [флаги]',
  '',
  'Запускает локальную страницу для браузера: листы таблицы и меню «Продажи». Пункты меню выполняются',
  'тем же кодом, что в Google Таблицах, в эмуляторе; изменения сохраняются в файл таблицы.',
  '',
  'Флаги:',
  ...FLAGS.map(([name, value, help]) => `  ${`--${name}${value ? ` ${value}` : ''}`.padEnd(32)} ${help}`),
].join('\n');

export interface PreviewCliOptions {
  workbook: string;
  outbox: string;
  partners: string;
  port: number;
  at: Date | null;
  seed: number;
  account: 'consumer' | 'workspace';
  /** A new workbook without demo data (npm start --empty). */
  empty?: boolean;
  force: boolean;
}

export function parsePreviewOptions(argv: string[]): PreviewCliOptions {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        workbook: { type: 'string' },
        outbox: { type: 'string' },
        partners: { type: 'string' },
        port: { type: 'string', default: '0' },
        at: { type: 'string' },
        seed: { type: 'string' },
        account: { type: 'string', default: 'consumer' },
        empty: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const e = error as Error & { code?: string };
    const option = /'(-[^' ]*)/.exec(e.message)?.[1] ?? '';
    const more = 'Список флагов: npm run preview -- --help';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Неизвестный флаг ${option}. ${more}`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(/does not take an argument/.test(e.message) ? `Флаг ${option} пишется без значения. ${more}` : `Флагу ${option} нужно значение. ${more}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`Лишний аргумент «${/'([^']*)'/.exec(e.message)?.[1] ?? ''}»: значения пишутся после флагов (--port 8080). ${more}`);
    throw new UsageError(`${e.message}. ${more}`);
  }
  if (v.help) throw new HelpRequest();
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: «${v.port}» — нужен номер порта от 1 до 65535 (0 — любой свободный)`);
  const seed = v.seed === undefined ? Date.now() % 1_000_000 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: «${v.seed}» — нужно целое неотрицательное число`);
  if (v.account !== 'consumer' && v.account !== 'workspace') throw new UsageError(`--account: «${v.account}» — нужно consumer или workspace`);
  // As npm start: the defaults are the project's local/ folder, the person's paths are from where they typed.
  const base = process.env.npm_lifecycle_event === 'preview' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const place = (value: string | undefined, fallback: string) => (value === undefined ? join(root, fallback) : resolve(base, value));
  return {
    workbook: place(v.workbook, 'local/workbook.xlsx'),
    outbox: place(v.outbox, 'local/outbox'),
    partners: place(v.partners, 'local/partners'),
    port,
    at: v.at === undefined ? null : parseAt(v.at),
    seed,
    account: v.account,
    empty: v.empty!,
    force: v.force!,
  };
}

export async function runPreview(opts: PreviewCliOptions, log: (line: string) => void = console.log) {
  const session = await PreviewSession.open({ ...opts, root }, log);
  let server;
  try {
    server = await startServer(session, opts.port);
  } catch (error) {
    await session.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`Порт ${opts.port} занят другой программой: укажите другой --port или не указывайте его`);
    if (code === 'EACCES') throw new UsageError(`Порт ${opts.port} недоступен без прав администратора: укажите порт больше 1024`);
    throw error;
  }
  log(`Предпросмотр: ${server.url}`);
  log(`Таблица: ${opts.workbook}`);
  log('Откройте адрес в браузере. Остановить — Ctrl+C (несохранённое будет сохранено).');
  const stop = async () => {
    await server.close();
    await session.close();
  };
  return { session, server, stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { stop } = await runPreview(parsePreviewOptions(process.argv.slice(2)));
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      console.log('Сохраняю и останавливаю предпросмотр…');
      stop().then(() => process.exit(0), (error: unknown) => { console.error((error as Error).message); process.exit(1); });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } catch (error) {
    if (error instanceof HelpRequest) {
      console.log(USAGE);
    } else if (error instanceof UsageError || error instanceof LocalError) {
      console.error(error.message);
      process.exitCode = error instanceof LocalError ? error.exitCode : 2;
    } else {
      throw error;
    }
  }
}
