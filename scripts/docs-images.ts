// `npm run docs:images`: the README's pictures, made from the demo as `npm start` and `npm run preview`
// make it. A temporary workbook with demo data goes through one Moscow day (10:00, 11:00, 19:45: the
// managers', the secretary's and the head of sales' emails land in its outbox), then the preview page
// is opened on it in headless Chromium and photographed: the emails as a browser shows their HTML, the
// «Воронка» sheet with its chart, the «Продажи» menu opened, the «Мастер настройки» dialog.
// Fixed --seed and --at: a re-run gives the same pictures.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { HelpRequest, parseOptions, runLocal, UsageError } from './local';
import { parsePreviewOptions, runPreview } from './preview';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The demo day: a Monday, so every report of the schedule is due. */
const DAY = '2026-11-23';
const SEED = 3;
/** One run per email of the schedule; the first creates the workbook (setup, demo data, every job). */
const RUNS: ReadonlyArray<{ at: string; job: string }> = [
  { at: `${DAY} 10:00`, job: 'all' },
  { at: `${DAY} 11:00`, job: 'tick' },
  { at: `${DAY} 19:45`, job: 'tick' },
];
/** The preview opens after the last email. */
const PREVIEW_AT = `${DAY} 19:50`;
const WIDTH = 1000;
/** The tallest picture: a longer email ends before its first section that does not fit. */
const MAX_HEIGHT = 1600;
// Scrollbars are drawn: the wizard's form scrolls inside its dialog, as in Sheets.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'];

export const USAGE = [
  'Использование: npm run docs:images -- [--out ПАПКА]',
  '',
  'Делает картинки для README из демо-данных: письма РОП, секретаря и менеджера, лист «Воронка»',
  'с диаграммой, меню «Продажи» и окно «Мастер настройки». Нужен Chromium (/usr/bin/chromium или CHROMIUM_PATH).',
  '',
  'Флаги:',
  '  --out ПАПКА   куда записать PNG (по умолчанию docs/img)',
  '  --help        эта справка',
].join('\n');

export interface DocsImage {
  file: string;
  /** What the picture shows, for the summary line. */
  what: string;
  width: number;
  height: number;
  bytes: number;
}

/** Width and height from a PNG's IHDR chunk; null when the bytes are not a PNG. */
export function pngSize(buf: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(signature) || buf.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

/** The demo workbook through the day: returns the outbox folder with the day's emails. */
async function buildDemo(dir: string): Promise<{ workbook: string; outbox: string; partners: string }> {
  const workbook = join(dir, 'workbook.xlsx');
  const outbox = join(dir, 'outbox');
  const partners = join(dir, 'partners');
  for (const run of RUNS) {
    const lines: string[] = [];
    const opts = parseOptions(['--workbook', workbook, '--outbox', outbox, '--partners', partners, '--seed', String(SEED), '--at', run.at, '--job', run.job]);
    const result = await runLocal(opts, (line) => lines.push(line));
    if (result.exitCode !== 0) throw new Error(`Демо-запуск на ${run.at} завершился с ошибкой:\n${lines.join('\n')}`);
  }
  return { workbook, outbox, partners };
}

/** The outbox's .html email whose file name matches; of several, the fullest (then by name, for a stable choice). */
function findMail(outbox: string, pattern: RegExp, what: string): string {
  const names = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.html')).sort() : [];
  const found = names.filter((f) => pattern.test(f));
  if (found.length === 0) throw new Error(`В outbox нет письма «${what}» (есть: ${names.join(', ') || 'ничего'})`);
  // One email per manager: the fullest shows what the email can hold.
  return join(outbox, found.sort((a, b) => statSync(join(outbox, b)).size - statSync(join(outbox, a)).size || a.localeCompare(b))[0]);
}

/**
 * The email's HTML as a browser shows it: its 600 px card with a margin of the background around it.
 * A longer email ends before the first section (a heading and what follows it) that does not fit, so
 * no table is cut through.
 */
async function shootMail(page: Page, file: string, out: string): Promise<string> {
  const margin = 20;
  await page.setViewportSize({ width: WIDTH, height: 800 });
  await page.goto(pathToFileURL(file).href);
  await page.evaluate(`document.body.style.padding = '${margin}px 0'`);
  const box = await page.evaluate(`(() => {
    const card = document.body.firstElementChild;
    const r = card.getBoundingClientRect();
    const limit = ${MAX_HEIGHT - margin};
    if (r.bottom + ${margin} <= ${MAX_HEIGHT}) return { x: r.left, width: r.width, bottom: Math.ceil(r.bottom + ${margin}), cut: false };
    const pad = parseFloat(getComputedStyle(card).paddingBottom) || 16;
    let section = null;
    let cut = null;
    for (const child of card.children) {
      const b = child.getBoundingClientRect();
      if (/^H[1-6]$/.test(child.tagName)) section = child;
      if (b.bottom + pad > limit) {
        const at = section && section !== card.firstElementChild ? section : child;
        cut = at.getBoundingClientRect().top - parseFloat(getComputedStyle(at).marginTop || '0');
        break;
      }
    }
    return { x: r.left, width: r.width, bottom: Math.ceil((cut ?? limit - pad) + pad), cut: true };
  })()`) as { x: number; width: number; bottom: number; cut: boolean };
  const x = Math.max(0, Math.floor(box.x - margin));
  await page.screenshot({ path: out, fullPage: true, clip: { x, y: 0, width: Math.min(WIDTH - x, Math.ceil(box.width + 2 * margin)), height: Math.min(MAX_HEIGHT, box.bottom) } });
  return (await page.title()).trim();
}

/**
 * The page as a person sees it, without this run's temporary folder and the seconds of its clock; the
 * page's own scrollbars are not drawn (a dialog's still are: its form scrolls inside it).
 */
async function steadyPage(page: Page, tempDir: string): Promise<void> {
  await page.addStyleTag({ content: 'html,body,.main,.tabs{scrollbar-width:none}' });
  await page.evaluate(`(() => {
    const sub = document.querySelector('.doc-sub');
    if (sub) sub.textContent = sub.textContent.replace(${JSON.stringify(tempDir)}, 'local').replace(/\\\\/g, '/');
    const clock = document.querySelector('.clock');
    if (clock) clock.textContent = ${JSON.stringify(`${DAY.split('-').reverse().join('.')} ${PREVIEW_AT.slice(-5)} (Москва)`)};
    const status = document.getElementById('save-status');
    if (status && /\\d:\\d/.test(status.textContent)) status.textContent = '';
  })()`);
}

async function openSheet(page: Page, url: string, sheet: string, tempDir: string): Promise<void> {
  await page.goto(`${url}?sheet=${encodeURIComponent(sheet)}`);
  await page.locator(`.grid[data-sheet="${sheet}"]`).waitFor();
  await steadyPage(page, tempDir);
}

/** The whole page box of the elements matched, as a screenshot clip inside the page's width. */
async function boundsOf(page: Page, selectors: string[], pad: number): Promise<{ x: number; y: number; width: number; height: number }> {
  const r = await page.evaluate(`(() => {
    let left = Infinity, top = Infinity, right = 0, bottom = 0;
    for (const sel of ${JSON.stringify(selectors)}) for (const el of document.querySelectorAll(sel)) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0) continue;
      left = Math.min(left, b.left); top = Math.min(top, b.top); right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
    }
    return { left, top, right, bottom };
  })()`) as { left: number; top: number; right: number; bottom: number };
  if (!Number.isFinite(r.left)) throw new Error(`На странице нет ${selectors.join(', ')}`);
  const x = Math.max(0, Math.floor(r.left - pad));
  const y = Math.max(0, Math.floor(r.top - pad));
  return { x, y, width: Math.ceil(r.right + pad) - x, height: Math.ceil(r.bottom + pad) - y };
}

export async function makeDocsImages(outDir: string, log: (line: string) => void = console.log): Promise<DocsImage[]> {
  const chromium = chromiumPath();
  if (!existsSync(chromium)) {
    throw new UsageError(`Не найден Chromium (${chromium}): установите его (apt-get install -y chromium) или укажите путь в переменной CHROMIUM_PATH.`);
  }
  if (!existsSync(join(root, 'dist/Code.js'))) throw new UsageError('Нет dist/Code.js — выполните npm run build');
  mkdirSync(outDir, { recursive: true });
  const temp = mkdtempSync(join(tmpdir(), 'sales-docs-images-'));
  let browser: Browser | null = null;
  let launching: Promise<Browser> | null = null;
  let preview: Awaited<ReturnType<typeof runPreview>> | null = null;
  const made: DocsImage[] = [];
  const done = (file: string, what: string) => {
    const buf = readFileSync(join(outDir, file));
    const size = pngSize(buf);
    if (!size) throw new Error(`${file}: получился не PNG`);
    const image = { file, what, ...size, bytes: buf.length };
    made.push(image);
    log(`${join(relative(process.cwd(), outDir) || '.', file)} — ${what}: ${size.width}×${size.height}, ${Math.round(buf.length / 1024)} КБ`);
  };
  try {
    // Chromium starts while the demo day runs.
    const { chromium: pw } = await import('playwright-core');
    launching = pw.launch({ executablePath: chromium, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--hide-scrollbars'] });
    launching.catch(() => undefined);
    const demo = await buildDemo(temp);
    // Through the preview's own command line, as `npm run preview -- --workbook … --port 0` starts it.
    const started = await Promise.allSettled([
      runPreview(parsePreviewOptions(['--workbook', demo.workbook, '--outbox', demo.outbox, '--partners', demo.partners, '--seed', String(SEED), '--at', PREVIEW_AT, '--port', '0']), () => undefined),
      launching,
    ]);
    if (started[0].status === 'fulfilled') preview = started[0].value;
    if (started[1].status === 'fulfilled') browser = started[1].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    if (!preview || !browser) throw new Error('предпросмотр или Chromium не запустились');
    const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 }, deviceScaleFactor: 1, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // The emails, as their .html files open in a browser.
    const mails: Array<[string, RegExp, string]> = [
      ['email-rop.png', /_1945_.*Отчёт-РОП/, 'письмо РОП (19:45)'],
      ['email-secretary.png', /_1100_.*Отчёт-секретаря/, 'письмо секретаря (11:00)'],
      ['email-manager.png', /_1000_.*Кого-дожать-сегодня/, 'письмо менеджеру «Кого дожать сегодня» (10:00)'],
    ];
    for (const [file, pattern, what] of mails) {
      const subject = await shootMail(page, findMail(demo.outbox, pattern, what), join(outDir, file));
      done(file, `${what}: «${subject}»`);
    }

    const url = preview.server.url;
    // «Воронка» with its chart, as the preview draws it: the sheet down to the first empty row below the
    // chart, then the sheet tabs; as wide as the chart needs.
    await page.setViewportSize({ width: WIDTH, height: 900 });
    await openSheet(page, url, 'Воронка', temp);
    await page.locator('.chart svg rect').first().waitFor();
    // The first empty row below the chart, and how far the bottom of the sheet's area is from it.
    const measure = () => page.evaluate(`(() => {
      const chart = document.querySelector('.chart').getBoundingClientRect();
      const rows = [...document.querySelectorAll('.grid tbody tr')];
      const empty = rows.find((tr) => tr.getBoundingClientRect().top >= chart.bottom && [...tr.querySelectorAll('td[data-a1]')].every((td) => td.textContent.trim() === ''));
      const area = document.querySelector('.grid-wrap').closest('.main').getBoundingClientRect();
      return { right: Math.ceil(chart.right), extra: Math.floor(area.bottom - (empty ?? rows[rows.length - 1]).getBoundingClientRect().bottom) };
    })()`) as Promise<{ right: number; extra: number }>;
    const first = await measure();
    let size = { width: Math.max(WIDTH, first.right + 24), height: 900 };
    await page.setViewportSize(size);
    size = { ...size, height: Math.min(MAX_HEIGHT, size.height - (await measure()).extra) };
    await page.setViewportSize(size);
    await page.screenshot({ path: join(outDir, 'funnel.png') });
    done('funnel.png', 'лист «Воронка» с диаграммой в предпросмотре');

    // The «Продажи» menu opened, with its «Отчёты» submenu.
    await page.setViewportSize({ width: WIDTH, height: 800 });
    await openSheet(page, url, 'Аналитика', temp);
    await page.click('[data-menu-toggle]');
    await page.hover('.menu-pop li.sub:has-text("Отчёты")');
    await page.locator('.sub-pop').first().waitFor();
    const menu = await boundsOf(page, ['header.top', '.menu.open > .menu-pop', '.menu-pop li.sub:hover > .sub-pop'], 0);
    await page.screenshot({ path: join(outDir, 'menu.png'), clip: { x: 0, y: 0, width: WIDTH, height: Math.min(MAX_HEIGHT, menu.y + menu.height + 24) } });
    done('menu.png', 'меню «Продажи» с подменю «Отчёты»');
    await page.keyboard.press('Escape');

    // «Мастер настройки»: the dialog the menu item opens, over the sheet.
    await page.setViewportSize({ width: WIDTH, height: 900 });
    await openSheet(page, url, 'Аналитика', temp);
    await page.click('[data-menu-toggle]');
    await page.click('[data-handler="menuWizard"]');
    const dialog = page.locator('.modal.dlg');
    await dialog.waitFor();
    await page.frameLocator('.modal.dlg iframe').locator('[name="s:leadershipEmails"]').waitFor();
    await page.waitForTimeout(200);
    // The dialog with a margin of the dimmed sheet around it: a window over the table, as in Sheets.
    await page.screenshot({ path: join(outDir, 'wizard.png'), clip: await boundsOf(page, ['.modal.dlg'], 24) });
    done('wizard.png', 'окно «Мастер настройки»');

    if (errors.length > 0) throw new Error(`Ошибки на странице предпросмотра: ${errors.join('; ')}`);
    return made;
  } finally {
    await (browser ?? (await launching?.catch(() => null)))?.close().catch(() => undefined);
    await preview?.stop().catch(() => undefined);
    rmSync(temp, { recursive: true, force: true });
  }
}

function parseCli(argv: string[]): { out: string } {
  let v;
  try {
    v = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}. Список флагов: npm run docs:images -- --help`);
  }
  if (v.help) throw new HelpRequest();
  const base = process.env.npm_lifecycle_event === 'docs:images' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  return { out: v.out === undefined ? join(root, 'docs/img') : resolve(base, v.out) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { out } = parseCli(process.argv.slice(2));
    const images = await makeDocsImages(out);
    console.log(`Готово: ${images.length} картинок в ${out}`);
  } catch (error) {
    if (error instanceof HelpRequest) {
      console.log(USAGE);
    } else {
      console.error(error instanceof UsageError ? error.message : `Картинки не сделаны: ${(error as Error)?.stack ?? String(error)}`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    }
  }
}
