// Issue 15 in the browser: the first run walked through `npm run preview` with headless Chromium. The
// preview starts on an empty workbook (--empty: the templates, no demo data), the owner runs «Настроить
// таблицу» and fills the «Мастер настройки» dialog, «Настройки» and «Менеджеры» show the answers, a
// manager types her first lead with «Ввести как…» (the path of npm start -- --job edit --as … --set …),
// «Запустить расписание на …» lets the clock run with the tick firing as on Google, and the first
// emails are in the «Письма» tab, once each. Screenshots: test-artifacts/first-run-*.png.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createGasEnvironment } from '../emulator/index';
import { loadWorkbook } from '../emulator/xlsx';
import { projectManifest } from './support/manifest';
import { browserTestsCanRun, closeBrowserPreview, openBrowserPreview, type PreviewProcess } from './support/preview';

const ARTIFACTS = 'test-artifacts';
const OWNER = 'owner@example.com';
const BOSS = 'boss@example.com';
const MARINA = 'marina@example.com';
const OLEG = 'oleg@example.com';
const TODAY = '23.11.2026';
const dir = mkdtempSync(join(tmpdir(), 'sales-first-run-'));
const workbook = join(dir, 'workbook.xlsx');
const outbox = join(dir, 'outbox');

let preview: PreviewProcess | null = null;
const output = () => preview?.output() ?? '';
let url = '';
let browser: Browser | null = null;
let page: Page;

beforeAll(async () => {
  if (!browserTestsCanRun()) return;
  ({ preview, url, browser, page } = await openBrowserPreview(['--empty', '--workbook', workbook, '--outbox', outbox,
    '--partners', join(dir, 'partners'), '--seed', '5', '--at', '2026-11-23 09:30']));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await closeBrowserPreview({ preview, browser });
  rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/first-run-${name}.png` });

async function menu(handler: string, sub?: string): Promise<void> {
  await page.click('[data-menu-toggle]');
  if (sub) await page.hover(`.menu-pop li.sub:has-text("${sub}")`);
  await page.click(`[data-handler="${handler}"]`);
}

/** The alert on the page: its text, then the button. */
async function alertText(button = 'OK', before?: () => Promise<unknown>): Promise<string> {
  const box = page.locator('.modal.alert').last();
  await box.waitFor();
  const text = (await box.textContent()) ?? '';
  await before?.();
  await box.locator(`[data-button="${button}"]`).click();
  return text;
}

async function openSheet(name: string): Promise<void> {
  await page.click(`[data-sheet-tab="${name}"]`);
  await page.locator(`.grid[data-sheet="${name}"]`).waitFor();
}

const cell = (a1: string) => page.locator(`.grid td[data-a1="${a1}"]`);
/** What a cell shows, without the ▾ of a dropdown. */
const shown = (a1: string) => cell(a1).evaluate((td) => (td.querySelector('.v') ?? td).textContent ?? '');

/** «Вы: … → другой email…»: the page asks for the address and reloads as that person. */
async function actAs(email: string): Promise<void> {
  page.once('dialog', (d) => void d.accept(email));
  await page.selectOption('#as', '?');
  await page.waitForURL((u) => u.searchParams.get('as') === email);
}
const text = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** «Ввести как…»: `person` types `value` into `target`; resolves once the refreshed grid is shown. */
async function typeAs(person: string, target: string, value: string): Promise<void> {
  const form = page.locator('#edit-as');
  await form.locator('[name="person"]').fill(person);
  await form.locator('[name="cell"]').fill(target);
  await form.locator('[name="value"]').fill(value);
  await form.getByRole('button', { name: 'Ввести' }).click();
  await page.locator('#last-action', { hasText: `✎ ${person}: ${target}` }).waitFor();
}

describe('the first run in npm run preview', () => {
  it('starts on an empty workbook: the templates, no demo data, the «Продажи» menu and the two new tools', async (ctx) => {
    if (!browser) ctx.skip();
    expect(output()).toContain('только с шаблонами, без демо-данных (--empty)');
    expect(output()).toContain('без демо-данных (--empty)');
    await page.goto(url);
    expect(await page.locator('.menu-top').textContent()).toBe('Продажи');
    expect(await page.locator('#save-status').textContent()).toBe('Таблица создана без демо-данных');
    await openSheet('Аналитика');
    expect(await cell('C1').textContent()).toBe('Имя');
    // Not one lead: row 2 is empty all along.
    const row2 = await page.locator('.grid td[data-a1]').evaluateAll((tds) => tds.filter((td) => /^[A-Z]+2$/.test(td.getAttribute('data-a1')!)).map((td) => (td.querySelector('.v') ?? td).textContent).join(''));
    expect(row2).toBe('');
    await expect(page.locator('#edit-as .tool-title').textContent()).resolves.toBe('Ввести как…');
    await expect(page.locator('#schedule-run .tool-title').textContent()).resolves.toBe('Запустить расписание на …');
    await shot('1-empty');
  });

  it('the owner runs «Настроить таблицу»: the report, then the «Мастер настройки» dialog; saving fills «Настройки» and «Менеджеры»', async (ctx) => {
    if (!browser) ctx.skip();
    await menu('menuSetup');
    const report = await alertText();
    expect(report).toContain('Настроить таблицу');
    expect(report).toContain('Кто что может менять');
    const dialog = page.locator('.modal.dlg');
    await expect(dialog.locator('.dlg-title').textContent()).resolves.toBe('Мастер настройки');
    const frame = page.frameLocator('.modal.dlg iframe');
    await frame.locator('[name="s:leadershipEmails"]').fill(BOSS);
    await frame.locator('[name="s:secretaryRecipients"]').fill('office@example.com');
    await frame.locator('[name="s:headOfSalesRecipients"]').fill(`rop@example.com, ${BOSS}`);
    await frame.locator('[name="s:adminEmails"]').fill('admin@example.com');
    expect(await frame.locator('[name="s:managersReportTime"]').inputValue()).toBe('10:00');
    expect(await frame.locator('[name="s:secretaryReportTime"]').inputValue()).toBe('11:00');
    await frame.locator('[name="s:headOfSalesReportTime"]').fill('19:45');
    await frame.locator('[name="s:currency"]').fill('usd');
    const fillManager = async (row: number, name: string, email: string) => {
      const tr = frame.locator('#managers tbody tr').nth(row);
      await tr.locator('[data-key="name"]').fill(name);
      await tr.locator('[data-key="email"]').fill(email);
      const active = tr.locator('[data-key="active"]');
      if (await active.evaluate((e) => e.tagName === 'SELECT')) await active.selectOption('Да');
      else await active.fill('Да');
    };
    await fillManager(0, 'Марина', MARINA);
    await frame.getByRole('button', { name: 'Добавить менеджера' }).click();
    await fillManager(1, 'Олег', OLEG);
    await frame.locator('[data-key="commissionPercent"]').first().fill('7');
    await shot('2-wizard');
    await frame.getByRole('button', { name: 'Сохранить' }).click();
    const done = frame.locator('#done').filter({ hasText: /\S/ });
    await done.waitFor();
    expect(await frame.locator('#errors').textContent()).toBe('');
    const saved = (await done.textContent()) ?? '';
    expect(saved).toContain('«Настройки»: 5 параметров изменено — «Email руководства», «Получатели отчёта секретаря», «Получатели отчёта РОП», «Email администратора», «Валюта».');
    expect(saved).toContain('«Менеджеры»: 2 менеджера добавлены — «Марина», «Олег».');
    expect(saved).toContain(`только владелец таблицы (${OWNER}) и руководство (${BOSS})`);
    await shot('3-wizard-saved');
    await dialog.locator('.x').click();

    await openSheet('Настройки');
    const settings = async (name: string) => text(await page.locator('.grid tr', { has: page.locator(`td[data-a1^="A"]`, { hasText: new RegExp(`^${name}$`) }) }).locator('td[data-a1^="B"]').first().textContent());
    expect(await settings('Email руководства')).toBe(BOSS);
    expect(await settings('Получатели отчёта РОП')).toBe(`rop@example.com, ${BOSS}`);
    expect(await settings('Валюта')).toBe('USD');
    expect(await settings('Время отчёта РОП')).toBe('19:45');
    await shot('4-settings');
    await openSheet('Менеджеры');
    expect(await shown('A2')).toBe('Марина');
    expect(await shown('B2')).toBe(MARINA);
    expect(await cell('A3').textContent()).toBe('Олег');
    expect(await cell('B3').textContent()).toBe(OLEG);
    expect(await cell('E2').textContent()).toContain('Да');
    await shot('5-managers');
  });

  it('the owner enables the schedule; a manager is refused «Настроить таблицу» and may not type into «Настройки»', async (ctx) => {
    if (!browser) ctx.skip();
    await menu('menuScheduleOn', 'Автоматизация');
    const enabled = await alertText();
    expect(enabled).toContain('Расписание включено: проверка раз в 5 минут.');
    expect(enabled).toContain(`Триггеры работают от имени: ${OWNER}.`);

    await actAs(MARINA);
    await menu('menuSetup');
    const refusal = await alertText('OK', () => shot('6-manager-refused'));
    expect(refusal).toContain(`«Настроить таблицу» может запускать только владелец таблицы (${OWNER}) или руководство`);
    expect(refusal).toContain(`Вы вошли как ${MARINA}`);
    expect(refusal).toContain('Ничего не изменено.');
    await expect(page.locator('.modal.dlg').count()).resolves.toBe(0);

    await openSheet('Настройки');
    await typeAs(MARINA, 'Настройки!B2', 'marina@example.com');
    const refused = await alertText();
    expect(refused).toContain('Правка не применена');
    expect(refused).toContain('ячейка защищена');
    expect(text(await shown('B2'))).not.toContain(MARINA);
    await page.selectOption('#as', '');
    await page.waitForURL((u) => !u.search.includes('as='));
  });

  it('Марина types her first lead with «Ввести как…»: onEdit fills the stage date, the current stage and clears the problems', async (ctx) => {
    if (!browser) ctx.skip();
    await openSheet('Аналитика');
    await typeAs(MARINA, 'Аналитика!A2', TODAY);
    expect(text(await shown('AD2'))).toBe('Не указано имя; Не указан менеджер; Не указан источник трафика');
    expect(await page.locator('[data-problems]').getAttribute('data-problems')).toBe('1');
    expect(await page.locator('#ref').textContent()).toBe('A2');
    const toast = page.locator('.toast.edit').last();
    expect(text(await toast.textContent())).toContain(`✎ ${MARINA}: Аналитика!A2 ← «${TODAY}»`);
    expect(text(await toast.textContent())).toContain('▶ onEdit (простой триггер)');
    await shot('7-first-cell');
    await typeAs(MARINA, 'Аналитика!B2', 'Марина');
    await typeAs(MARINA, 'Аналитика!C2', 'Иван Петров');
    await typeAs(MARINA, 'Аналитика!D2', '@ivan_petrov');
    expect(text(await shown('AD2'))).toBe('Не указан источник трафика');
    await typeAs(MARINA, 'Аналитика!F2', 'Гугл');
    await typeAs(MARINA, 'Аналитика!N2', '+');
    expect(await shown('A2')).toBe(TODAY);
    expect(await shown('B2')).toBe('Марина');
    expect(await shown('C2')).toBe('Иван Петров');
    expect(await shown('D2')).toBe('@ivan_petrov');
    expect(await shown('F2')).toBe('Гугл');
    expect(await shown('N2')).toBe(TODAY);
    expect(await shown('V2')).toBe('Первичный контакт');
    expect(await shown('W2')).toBe(TODAY);
    expect(await shown('Z2')).toBe('');
    expect(await shown('AD2')).toBe('');
    expect(await shown('AE2')).toMatch(new RegExp(`^${TODAY.replace(/\./g, '\\.')} 09:\\d\\d$`));
    expect(await page.locator('[data-problems]').getAttribute('data-problems')).toBe('0');
    expect(text(await page.locator('.toast.edit').last().textContent())).toContain('Проблемы (строка 2): нет');
    expect(await page.locator('.toast.edit').count()).toBe(1);
    await shot('8-first-lead');
    // The cells the script filled, further right.
    await cell('AD2').scrollIntoViewIfNeeded();
    await cell('V2').click();
    expect(await page.locator('#ref').textContent()).toBe('V2');
    await shot('8b-first-lead-computed');
  });

  it('«Запустить расписание на 19:50»: the tick fires through the day and the first emails are in «Письма», once each', async (ctx) => {
    if (!browser) ctx.skip();
    await page.locator('#schedule-run [name="until"]').fill('19:50');
    await page.locator('#schedule-run').getByRole('button', { name: 'Запустить' }).click();
    const summary = text(await alertText('OK', () => shot('9-schedule')));
    expect(summary).toMatch(new RegExp(`Часы предпросмотра: ${TODAY.replace(/\./g, '\\.')} 09:\\d\\d → ${TODAY.replace(/\./g, '\\.')} 19:50 \\(Москва\\)\\.`));
    expect(summary).toMatch(new RegExp(`Триггер onTick \\(от имени ${OWNER}\\) сработал 1\\d\\d раз`));
    expect(summary).toContain('Отправлено писем: 4:');
    expect(summary).toMatch(new RegExp(`• ${TODAY.replace(/\./g, '\\.')} 10:0\\d — ${MARINA} — «Кого дожать сегодня, ${TODAY.replace(/\./g, '\\.')} — Марина»`));
    expect(summary).toMatch(new RegExp(`• ${TODAY.replace(/\./g, '\\.')} 10:0\\d — ${OLEG} — «Кого дожать сегодня, ${TODAY.replace(/\./g, '\\.')} — Олег»`));
    expect(summary).toMatch(/• 23\.11\.2026 11:0\d — office@example\.com — «Отчёт секретаря за 22\.11\.2026»/);
    expect(summary).toMatch(new RegExp(`• ${TODAY.replace(/\./g, '\\.')} 19:4\\d — rop@example\\.com, ${BOSS} — «Отчёт РОП за ${TODAY.replace(/\./g, '\\.')}»`));
    expect(summary).not.toContain('с ошибкой');
    expect(text(await page.locator('.clock').textContent())).toMatch(/^23\.11\.2026 19:5\d \(Москва\)$/);

    await page.click('a.view:has-text("Письма")');
    expect(await page.locator('a.view.on .count').textContent()).toBe('4');
    const subjects = await page.locator('.list .item .subj').allTextContents();
    expect(subjects).toEqual([`Отчёт РОП за ${TODAY}`, 'Отчёт секретаря за 22.11.2026', `Кого дожать сегодня, ${TODAY} — Олег`, `Кого дожать сегодня, ${TODAY} — Марина`]);
    // The newest is open: the evening summary counts Марина's lead, in the wizard's currency.
    expect(text(await page.locator('.mail-head').textContent())).toContain(`rop@example.com, ${BOSS}`);
    const rop = text(await page.frameLocator('.mail-frame').locator('body').textContent());
    expect(rop).toContain('Новых лидов сегодня');
    expect(rop).toContain('Марина');
    expect(rop).toContain('USD');
    const ropText = text(await page.locator('.mail-text pre').textContent());
    expect(ropText).toContain('Новых лидов сегодня: 1');
    expect(ropText).toMatch(/• Марина — Сегодня: 1 → 0/);
    await shot('10-mail-rop');
    await page.click(`.list .item:has-text("— Марина")`);
    await expect(page.locator('.mail-subject').textContent()).resolves.toBe(`Кого дожать сегодня, ${TODAY} — Марина`);
    expect(text(await page.locator('.mail-head').textContent())).toContain(MARINA);
    expect(text(await page.frameLocator('.mail-frame').locator('body').textContent())).toContain('Сегодня дожимать некого');
    await shot('11-mail-marina');
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(4);
  });

  it('running the schedule on to the night sends nothing twice; stopping saves the lead into the workbook', async (ctx) => {
    if (!browser) ctx.skip();
    await page.locator('#schedule-run [name="until"]').fill('21:00');
    await page.locator('#schedule-run').getByRole('button', { name: 'Запустить' }).click();
    const summary = text(await alertText());
    expect(summary).toContain('Писем не отправлено.');
    expect(summary).toMatch(/сработал \d+ раз/);
    expect(await page.locator('a.view.on .count').textContent()).toBe('4');
    // Time never goes back.
    await page.locator('#schedule-run [name="until"]').fill('12:00');
    await page.locator('#schedule-run').getByRole('button', { name: 'Запустить' }).click();
    expect(await alertText()).toContain('Время не идёт назад');
    expect(readdirSync(outbox).filter((f) => f.endsWith('.eml'))).toHaveLength(4);

    const exited = new Promise<number | null>((resolve) => preview!.child.once('exit', resolve));
    preview!.child.kill('SIGINT');
    expect(await exited).toBe(0);
    const saved = await loadWorkbook(workbook, createGasEnvironment({ manifest: projectManifest() }).world);
    const row = saved.sheet('Аналитика')!.rangeOf({ row: 2, col: 1, numRows: 1, numCols: 22 }).peekDisplayValues()[0];
    expect([row[0], row[1], row[2], row[13], row[21]]).toEqual([TODAY, 'Марина', 'Иван Петров', TODAY, 'Первичный контакт']);
    expect(saved.sheet('Менеджеры')!.rangeOf({ row: 2, col: 1, numRows: 2, numCols: 2 }).peekDisplayValues()).toEqual([['Марина', MARINA], ['Олег', OLEG]]);
  });
});
