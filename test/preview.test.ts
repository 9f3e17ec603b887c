// `npm run preview` in a real browser: the server starts on a new temporary workbook (created with demo
// data as npm start creates it), the page shows the sheets, the «Продажи» menu runs the bundle, dialogs
// call google.script.run, questions are asked, and the changes reach the grid and the files. Screenshots
// go to test-artifacts/ for a person to look at.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createGasEnvironment } from '../emulator/index';
import { loadWorkbook } from '../emulator/xlsx';
import { projectManifest } from './support/manifest';
import { browserTestsCanRun, closeBrowserPreview, openBrowserPreview, type PreviewProcess } from './support/preview';

const ARTIFACTS = 'test-artifacts';
const dir = mkdtempSync(join(tmpdir(), 'sales-preview-'));
const workbook = join(dir, 'workbook.xlsx');

let preview: PreviewProcess | null = null;
const output = () => preview?.output() ?? '';
let url = '';
let browser: Browser | null = null;
let page: Page;
let createdAt = 0;

beforeAll(async () => {
  if (!browserTestsCanRun()) return;
  ({ preview, url, browser, page } = await openBrowserPreview(['--workbook', workbook, '--outbox', join(dir, 'outbox'),
    '--partners', join(dir, 'partners'), '--seed', '3', '--at', '2026-11-23 10:00']));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await closeBrowserPreview({ preview, browser });
  rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/preview-${name}.png` });

/** Clicks a «Продажи» item (inside a submenu when `sub` is given). */
async function menu(handler: string, sub?: string): Promise<void> {
  await page.click('[data-menu-toggle]');
  if (sub) await page.hover(`.menu-pop li.sub:has-text("${sub}")`);
  await page.click(`[data-handler="${handler}"]`);
}

/** The alert the product showed: its text, then OK (or the button asked for). */
async function alertText(button = 'OK'): Promise<string> {
  const box = page.locator('.modal.alert').last();
  await box.waitFor();
  const text = (await box.textContent()) ?? '';
  await box.locator(`[data-button="${button}"]`).click();
  return text;
}

async function openSheet(name: string): Promise<void> {
  await page.click(`[data-sheet-tab="${name}"]`);
  await page.locator(`.grid[data-sheet="${name}"]`).waitFor();
}

const cell = (a1: string) => page.locator(`.grid td[data-a1="${a1}"]`);

describe('npm run preview in a browser', () => {
  it('starts on loopback, creates the workbook with demo data and shows «Аналитика» with its headers', async (ctx) => {
    if (!browser) ctx.skip();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(output()).toContain('создаю её с демо-данными');
    expect(existsSync(workbook)).toBe(true);
    createdAt = statSync(workbook).mtimeMs;
    await page.goto(url);
    await openSheet('Аналитика');
    await expect(page.locator('.tab.on').textContent()).resolves.toBe('Аналитика');
    const headers = await page.locator('.grid td.hdr').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Дата первого взаимодействия', 'Менеджер', 'Имя', 'Телеграм username', 'Проблемы']));
    expect(await cell('C2').textContent()).not.toBe('');
    // Dropdown cells carry the ▾ mark; the menu is the one onOpen installed.
    expect(await page.locator('.grid td.dd .dd-mark').count()).toBeGreaterThan(20);
    expect(await page.locator('.menu-top').textContent()).toBe('Продажи');
    // Nothing has checked the demo rows yet.
    expect(await page.locator('.grid td.problem').count()).toBe(0);
    await shot('sheet');
  });

  it('runs «Проверить данные»: the dialog lists the problems and its links select the cell through google.script.run', async (ctx) => {
    if (!browser) ctx.skip();
    await menu('menuCheck');
    const dialog = page.locator('.modal.dlg');
    await expect(dialog.locator('.dlg-title').textContent()).resolves.toBe('Проверка данных');
    const frame = page.frameLocator('.modal.dlg iframe');
    await expect(frame.locator('body').textContent()).resolves.toMatch(/проблем — [1-9]/);
    const link = frame.locator('a').first();
    const row = Number(/строка (\d+)/.exec((await link.textContent()) ?? '')?.[1]);
    await link.click();
    // selectProblemCell ran in the emulator: the grid shows the selection it made.
    await page.locator(`.grid td.active[data-a1$="${row}"]`).waitFor();
    expect(await page.locator('#ref').textContent()).toMatch(new RegExp(`^[A-Z]+${row}$`));
    await shot('dialog');
    await dialog.locator('.x').click();
    await expect(page.locator('#overlay').isHidden()).resolves.toBe(true);

    // google.script.host.close() from inside a dialog closes it too.
    await menu('menuHelp');
    await expect(page.frameLocator('.modal.dlg iframe').locator('body').textContent()).resolves.toContain('как работает таблица');
    await page.frameLocator('.modal.dlg iframe').locator('body').evaluate('google.script.host.close()');
    await page.locator('.modal.dlg').waitFor({ state: 'detached' });
  });

  it('refreshes the grid after items that change data: «Пересчитать» marks the problems, «Обновить воронку» draws the funnel', async (ctx) => {
    if (!browser) ctx.skip();
    await menu('menuRecalc');
    expect(await alertText()).toMatch(/Проверено строк: \d+/);
    expect(await page.locator('.grid td.problem').count()).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-problems]').getAttribute('data-problems'))).toBeGreaterThan(0);

    await openSheet('Воронка');
    expect(await cell('A5').textContent()).toBe('');
    await menu('menuFunnel');
    expect(await alertText()).toContain('Воронка обновлена');
    expect(await cell('A5').textContent()).toBe('Лидов');
    expect(Number((await cell('B5').textContent())!.replace(/\s/g, ''))).toBeGreaterThan(0);
    await page.locator('.chart svg rect').first().waitFor();
    await shot('funnel');
  });

  it('asks the script\'s questions and shows the emails it sent', async (ctx) => {
    if (!browser) ctx.skip();
    await menu('menuSendSecretary', 'Отчёты');
    expect(await alertText()).toContain('Отправлено');
    // A second send is a question: «Нет» stops it before anything goes out.
    await menu('menuSendSecretary', 'Отчёты');
    const question = page.locator('.modal.alert');
    await question.waitFor();
    expect(await question.locator('[data-button]').allTextContents()).toEqual(['Нет', 'Да']);
    await shot('question');
    expect(await alertText('NO')).toContain('Отправить ещё раз?');
    expect(await alertText()).toContain('Не отправлено');

    await page.click('a.view:has-text("Письма")');
    expect(await page.locator('a.view.on .count').textContent()).toBe('1');
    await expect(page.locator('.mail-subject').textContent()).resolves.toContain('Отчёт секретаря');
    await expect(page.frameLocator('.mail-frame').locator('body').textContent()).resolves.toContain('Отчёт секретаря');
    await shot('mail');
    expect(readdirSync(join(dir, 'outbox')).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
  });

  it('fills the «Мастер настройки» dialog and saves it through google.script.run', async (ctx) => {
    if (!browser || !readFileSync('dist/Code.js', 'utf8').includes('function wizardSubmit(')) ctx.skip();
    await page.click('a.view:has-text("Таблица")');
    await menu('menuWizard');
    const frame = page.frameLocator('.modal.dlg iframe');
    const leadership = frame.locator('[name="s:leadershipEmails"]');
    await leadership.fill('director@example.com, head@example.com');
    await frame.getByRole('button', { name: 'Сохранить' }).click();
    await expect(frame.locator('#done').filter({ hasText: /\S/ }).textContent()).resolves.not.toBe('');
    expect(await frame.locator('#errors').textContent()).toBe('');
    await shot('wizard');
    await page.locator('.modal.dlg .x').click();
    await openSheet('Настройки');
    await page.locator('.grid td', { hasText: 'head@example.com' }).first().waitFor();
  });

  it('acts as a manager chosen on the page, then saves the workbook when stopped', async (ctx) => {
    if (!browser) ctx.skip();
    await page.selectOption('#as', 'manager@example.com');
    await page.waitForURL(/as=manager%40example\.com/);
    await menu('menuSetup');
    expect(await alertText()).toMatch(/Настроить таблицу.*может запускать только/s);
    await page.locator('.toast', { hasText: 'добавлен в редакторы' }).waitFor();

    // Stopping writes what is still pending; the file then holds every click's result.
    const exited = new Promise<number | null>((resolve) => preview!.child.once('exit', resolve));
    preview!.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(`${workbook}.lock`)).toBe(false);
    expect(statSync(workbook).mtimeMs).toBeGreaterThan(createdAt);
    const saved = await loadWorkbook(workbook, createGasEnvironment({ manifest: projectManifest() }).world);
    expect(saved.sheet('Воронка')!.rangeOf({ row: 5, col: 1, numRows: 1, numCols: 1 }).peekDisplayValues()[0][0]).toBe('Лидов');
    expect(saved.acl.canEdit('manager@example.com')).toBe(true);
  });
});
