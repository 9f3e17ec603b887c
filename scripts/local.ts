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
import { localDateTimeToDate, isValidLocalDate, MOSCOW, toLocalDate } from '../src/core/dates';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

class UsageError extends Error {}

export interface LocalOptions {
  workbook: string;
  at: Date;
  job: string;
  outbox: string;
  partners: string;
  seed: number;
}

export function parseAt(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(text.trim());
  if (!m || !isValidLocalDate(+m[1], +m[2], +m[3]) || +(m[4] ?? 0) > 23 || +(m[5] ?? 0) > 59) {
    throw new UsageError(`--at: «${text}» — нужно "ГГГГ-ММ-ДД ЧЧ:ММ" (московское время)`);
  }
  return localDateTimeToDate(`${m[1]}-${m[2]}-${m[3]}`, MOSCOW, +(m[4] ?? 0), +(m[5] ?? 0));
}

export function parseOptions(argv: string[]): LocalOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        workbook: { type: 'string', default: 'local/workbook.xlsx' },
        at: { type: 'string' },
        job: { type: 'string', default: 'all' },
        outbox: { type: 'string', default: 'local/outbox' },
        partners: { type: 'string', default: 'local/partners' },
        seed: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) throw new UsageError('');
  const job = v.job!;
  if (job !== 'all' && !(job in LOCAL_JOBS)) {
    throw new UsageError(`--job: неизвестное задание «${job}». Доступны: all, ${Object.keys(LOCAL_JOBS).join(', ')}`);
  }
  const seed = v.seed === undefined ? Date.now() % 1_000_000 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed: «${v.seed}» — нужно целое неотрицательное число`);
  return {
    workbook: resolve(v.workbook!),
    at: v.at === undefined ? new Date() : parseAt(v.at),
    job,
    outbox: resolve(v.outbox!),
    partners: resolve(v.partners!),
    seed,
  };
}

const USAGE = `Использование: npm start -- [--job ИМЯ] [--at "ГГГГ-ММ-ДД ЧЧ:ММ"] [--workbook ФАЙЛ] [--outbox ПАПКА] [--partners ПАПКА] [--seed N]
  --job       ${['all', ...Object.keys(LOCAL_JOBS)].join(' | ')} (по умолчанию all)
  --at        московское время запуска (по умолчанию сейчас)
  --workbook  локальная таблица .xlsx (по умолчанию local/workbook.xlsx; создаётся с демо-данными)`;

export async function runLocal(opts: LocalOptions, log: (line: string) => void = console.log): Promise<GasEnvironment> {
  const bundlePath = join(root, 'dist/Code.js');
  if (!existsSync(bundlePath)) throw new UsageError('Нет dist/Code.js — выполните npm run build');
  const env = createGasEnvironment({ now: opts.at.getTime(), seed: opts.seed, manifest: readManifest(join(root, 'dist', 'appsscript.json')) });
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
    env.world.setActive(env.world.createSpreadsheet('Продажи — локальная таблица', { owner: env.ctx.ownerEmail }));
    created = true;
  }
  await loadPartnerFiles(env, opts.partners);
  const bundle = loadBundle(readFileSync(bundlePath, 'utf8'), env);
  log(`Время запуска: ${toLocalDate(opts.at, MOSCOW)} ${opts.at.toLocaleTimeString('ru-RU', { timeZone: MOSCOW, hour: '2-digit', minute: '2-digit' })} (Москва)`);

  const mailBefore = env.mail.outbox.length;
  const jobs: string[] = opts.job === 'all' ? Object.keys(LOCAL_JOBS).filter((j) => LOCAL_JOBS[j].inAll) : [opts.job];
  if (created && !jobs.includes('setup')) jobs.unshift('setup');
  for (const name of jobs) {
    runJob(name, LOCAL_JOBS[name], env, bundle, log);
    if (name === 'setup' && created) {
      const rows = fillDemoData(env, opts.at);
      log(`  демо-данные: ${rows} строк`);
    }
  }

  for (const path of writeOutbox(env, mailBefore, opts.outbox)) log(`Письмо: ${path}`);
  for (const path of await savePartnerFiles(env, opts.partners)) log(`Таблица партнёра: ${path}`);
  mkdirSync(dirname(opts.workbook), { recursive: true });
  await saveWorkbook(env.world.getActive()!, opts.workbook);
  saveStateFile(env, opts.workbook);
  log(`Таблица: ${opts.workbook}${created ? ' (создана)' : ''}`);
  return env;
}

function runJob(name: string, job: LocalJob, env: GasEnvironment, bundle: ReturnType<typeof loadBundle>, log: (line: string) => void): void {
  const before = env.ctx.recorder.total();
  const dialogs = env.ui.dialogs.length;
  const alerts = env.ui.alerts.length;
  const logged = env.logs.lines.length;
  env.beginExecution(job.kind);
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
    await runLocal(parseOptions(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(error.message);
      console.error(USAGE);
      process.exit(2);
    }
    throw error;
  }
}
