// Security: the manifest's scopes are the README's, every user string that reaches HTML is escaped,
// every user string pushed into a partner's file stays text, a partner file holds only that partner's
// rows and only the SPEC §3.3 columns, and protections come back when someone removes or loosens them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARTNER_NAMES, PROMO_CODES, SHEET_TEMPLATES, templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { blockForWrite } from '../../src/core/partners';
import { seededRandom } from '../../emulator/context';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/index';
import { a1, colOf, demoWorld, leadWorld, moscow, setSetting, Tally, world, type RWorld } from './harness';
import { runSetup } from '../../src/jobs/setup';

const tally = new Tally('security');
afterAll(() => tally.write());
const SECTION = 'Безопасность';

function check(title: string, fn: () => void): void {
  it(title, () => {
    let ok = false;
    try { fn(); ok = true; } finally { tally.record(SECTION, title, ok); }
  });
}

const A = templateByKey('analytics');
const P = templateByKey('partners');
const ROOT = process.cwd();

describe('OAuth scopes', () => {
  check('README перечисляет и объясняет каждый scope из appsscript.json, и только их', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')) as { oauthScopes: string[] };
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Права доступа'), readme.indexOf('\n## ', readme.indexOf('## Права доступа') + 5));
    const rows = [...section.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(.+?)\s*\|\s*$/gm)].map((m) => ({ scope: m[1], why: m[2] }));
    const short = manifest.oauthScopes.map((s) => s.replace('https://www.googleapis.com/auth/', ''));
    expect(rows.map((r) => r.scope).sort()).toEqual([...short].sort());
    for (const r of rows) expect(r.why.length, r.scope).toBeGreaterThan(20);
    // No broader than SPEC §2 allows: no Drive scope (partner files are shared through the Spreadsheet
    // service), no Gmail, no external requests.
    const allowed = new Set(['spreadsheets', 'script.container.ui', 'script.scriptapp', 'script.send_mail', 'userinfo.email']);
    for (const s of short) expect(allowed.has(s), s).toBe(true);
  });
});

describe('HTML escaping of user strings', () => {
  const PAYLOADS = ['<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '"><svg onload=alert(1)>'];
  const RAW = /<img src=x|<script>alert|<svg onload/i;
  const TEXTUAL = new Set(['text', 'email', 'url']);

  /** Every text-like cell of every table sheet holds a payload (dropdown columns included). */
  function poison(w: RWorld): void {
    w.quiet(() => {
      let n = 0;
      for (const def of SHEET_TEMPLATES) {
        if (def.kind !== 'table' || def.key === 'settings' || def.key === 'journal') continue;
        const sheet = w.sheet(def.name);
        const last = sheet.getLastRow();
        if (last < 2) continue;
        const range = sheet.getRange(2, 1, last - 1, def.columns.length);
        const values = range.getValues();
        def.columns.forEach((c, i) => {
          if (!TEXTUAL.has(c.type) || c.key === 'emails' || c.key === 'sheetUrl' || c.key === 'problems') return;
          for (const row of values) if (row[i] !== '' || c.key === 'comment') row[i] = `${String(row[i])} ${PAYLOADS[n++ % PAYLOADS.length]}`;
        });
        range.setValues(values);
      }
      (w.emu as EmuSpreadsheet).name = `Продажи ${PAYLOADS[0]}`;
    });
  }

  check('письма, диалог проверки, статус, предпросмотр отчётов и справка не содержат неэкранированной разметки из данных', () => {
    const w = demoWorld('2026-11-23 19:46');
    setSetting(w, 'Получатели отчёта секретаря', `boss@example.com, ${PAYLOADS[0]}`);
    poison(w);
    w.exec('menu', () => main.menuRecalc());
    w.exec('menu', () => main.menuPartners());
    w.exec('installableTrigger', () => main.onTick());
    for (const fn of [main.menuCheck, main.menuScheduleStatus, main.menuPreviewSecretary, main.menuPreviewHeadOfSales, main.menuHelp]) w.exec('menu', () => fn());
    const pages = [
      ...w.env.mail.outbox.filter((m) => m.htmlBody).map((m) => ({ what: `письмо «${m.subject}»`, html: m.htmlBody! })),
      ...w.env.ui.dialogs.map((d) => ({ what: `диалог «${d.title}»`, html: d.html })),
    ];
    expect(pages.filter((p) => p.what.includes('Отчёт')).length).toBeGreaterThanOrEqual(4); // both emails, both previews
    // The payload did reach the pages — as text.
    expect(pages.some((p) => p.html.includes('&lt;img src=x onerror=alert(1)&gt;'))).toBe(true);
    expect(pages.some((p) => p.what.includes('Проверка') && p.html.includes('&lt;'))).toBe(true);
    for (const p of pages) expect(RAW.test(p.html), p.what).toBe(false);
  });
});

describe('partner files', () => {
  const TRICKY = ['=HYPERLINK("http://evil.example","жми")', '+7 916 123-45-67', '-5', '@shop', '=1+1', '=IMPORTRANGE("x","A1")', '%20', '1/2', 'TRUE'];

  check('каждая строка, похожая на формулу, уходит в файл партнёра с апострофом', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const s = `${'=+-@'[Math.floor(random() * 4)]}${Math.floor(random() * 1e6)}`;
      const [[out]] = blockForWrite([[s]]) as string[][];
      expect(out.startsWith("'"), s).toBe(true);
    }
    for (const s of [...TRICKY, '\t=1']) {
      const [[out]] = blockForWrite([[s]]) as string[][];
      expect(/^[=+\-@\t]/.test(out), s).toBe(false);
    }
  });

  check('в файле партнёра нет формул: текст, похожий на формулу, хранится как есть', () => {
    const leads = TRICKY.map((t, i) => ({
      firstContactDate: moscow('2026-11-01 00:00'), name: t, username: `@tricky_${i}x`, projectInfo: TRICKY[(i + 3) % TRICKY.length],
      promoCode: 'goynova5', stagePaid: moscow('2026-11-20 00:00'), paidAmount: 100 + i, questionnaireFilled: 'Да', individualNumber: `${100 + i}tx${200 + i}`,
    }));
    const w = leadWorld(leads);
    w.quiet(() => w.sheet(P.name).getRange(4, colOf('emails', P)).setValue('tatiana@example.com'));
    w.exec('menu', () => main.menuPartners());
    const file = w.env.world.all().find((f) => f.name === 'Аффилейт — Татьяна')!;
    const range = w.quiet(() => (file as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet).getSheets()[0].getDataRange());
    expect(w.quiet(() => range.getFormulas()).flat().filter(Boolean)).toEqual([]);
    const values = w.quiet(() => range.getValues());
    expect(values.slice(1, 1 + TRICKY.length).map((r) => r[1]).sort()).toEqual([...TRICKY].sort());
  });

  const FILE_HEADERS = ['Дата приобретения акка', 'Имя', 'Telegram', 'Ссылка на магазин', 'Оплата EUR', '% affiliate', 'Комиссия EUR'];

  for (const seed of [1, 2, 3, 4, 5]) {
    check(`файл партнёра — только его клиенты и только колонки SPEC §3.3, доступ только на просмотр (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
      const w = leadWorld([]);
      w.quiet(() => PARTNER_NAMES.forEach((_, i) => w.sheet(P.name).getRange(i + 2, colOf('emails', P)).setValue(`p${i + 1}@example.com`)));
      type Lead = { row: number; owner: string | null; nick: string; key: string; values: Record<string, unknown> };
      const leads: Lead[] = [];
      const write = (l: Lead) => w.quiet(() => {
        const s = w.sheet(A.name);
        for (const [k, v] of Object.entries(l.values)) s.getRange(a1(k, l.row)).setValue(v);
      });
      const makeLead = (i: number): Lead => {
        const partner = random() < 0.8 ? pick(PARTNER_NAMES) : null;
        const paid = random() < 0.7;
        const nick = `@s${seed}_lead${i}x`;
        const key = `${String(100 + i).slice(-3)}sx${String(500 + seed).slice(-3)}`;
        const values: Record<string, unknown> = { firstContactDate: moscow('2026-10-01 00:00'), name: `Клиент ${i}`, username: nick, individualNumber: key };
        if (partner) {
          const codes = PROMO_CODES.filter(([, p]) => p === partner).map(([c]) => c);
          if (random() < 0.5) values.promoCode = pick(codes); else values.partner = partner;
        }
        if (paid) { values.stagePaid = moscow('2026-11-10 00:00'); values.paidAmount = 100 + i; values.questionnaireFilled = 'Да'; }
        return { row: i + 2, owner: paid && partner ? partner : null, nick, key, values };
      };
      for (let i = 0; i < 40; i++) { const l = makeLead(i); leads.push(l); write(l); }
      const verify = () => {
        const files = w.env.world.all().filter((f) => f.name.startsWith('Аффилейт — ') && !f.acl.trashed);
        expect(files.map((f) => f.name).sort()).toEqual(PARTNER_NAMES.map((n) => `Аффилейт — ${n}`).sort());
        for (const f of files) {
          const partner = f.name.replace('Аффилейт — ', '');
          const sheet = w.quiet(() => (f as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet).getSheets());
          expect(sheet).toHaveLength(1);
          const values = w.quiet(() => sheet[0].getDataRange().getValues());
          expect(values[0], partner).toEqual(FILE_HEADERS);
          expect(w.quiet(() => sheet[0].getLastColumn())).toBe(FILE_HEADERS.length);
          const body = values.slice(1).filter((r) => r[2] !== '' && String(r[2]).startsWith('@'));
          expect(body.map((r) => r[2]).sort(), partner).toEqual(leads.filter((l) => l.owner === partner).map((l) => l.nick).sort());
          const cells = values.flat().map(String);
          for (const l of leads) expect(cells.includes(l.key), `${partner}: ${l.key}`).toBe(false);
          for (const other of PARTNER_NAMES) if (other !== partner) expect(cells.includes(other), `${partner} shows ${other}`).toBe(false);
          const i = PARTNER_NAMES.indexOf(partner);
          expect([...f.acl.editors], partner).toEqual([]);
          expect([...f.acl.viewers], partner).toEqual([`p${i + 1}@example.com`]);
        }
      };
      w.exec('menu', () => main.menuPartners());
      verify();
      // A week later: partners change hands, payments are cleared and corrected, new leads arrive.
      for (const l of leads) {
        const roll = random();
        if (roll < 0.15 && l.owner) { l.values = { ...l.values, stagePaid: '', paidAmount: '' }; l.owner = null; write(l); }
        else if (roll < 0.3) {
          const to = pick(PARTNER_NAMES);
          l.values = { ...l.values, promoCode: '', partner: to };
          l.owner = l.values.stagePaid ? to : null;
          write(l);
        }
      }
      for (let i = 40; i < 50; i++) { const l = makeLead(i); leads.push(l); write(l); }
      w.exec('menu', () => main.menuRecalc());
      w.exec('menu', () => main.menuPartners());
      verify();
    });
  }
});

describe('protections', () => {
  check('снятая или ослабленная защита восстанавливается «Настроить таблицу»', () => {
    const w = world();
    w.quiet(() => runSetup(w.ss));
    setSetting(w, 'Email руководства', 'boss@example.com');
    w.exec('menu', () => main.menuSetup());
    const snapshot = () => w.quiet(() => w.ss.getSheets().flatMap((sheet) => [
      ...sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET), ...sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE),
    ].map((p) => `${sheet.getName()}|${p.getDescription()}|${p.isWarningOnly()}|${p.isWarningOnly() ? '' : p.getEditors().map((u) => u.getEmail()).sort().join(',')}|${p.canDomainEdit()}`)).sort());
    const good = snapshot();
    w.quiet(() => {
      const settings = w.sheet('Настройки').getProtections(SpreadsheetApp.ProtectionType.SHEET)[0];
      settings.remove();
      const range = w.sheet('Аффилейты').getProtections(SpreadsheetApp.ProtectionType.RANGE).find((p) => p.getDescription().includes('% affiliate'))!;
      range.addEditor('intruder@example.com');
      range.setDomainEdit(true);
      const lists = w.sheet('Справочники').getProtections(SpreadsheetApp.ProtectionType.SHEET)[0];
      lists.setWarningOnly(true);
    });
    expect(snapshot()).not.toEqual(good);
    w.exec('menu', () => main.menuSetup());
    expect(snapshot()).toEqual(good);
    w.ss.addEditor('intruder@example.com');
    expect(() => w.env.world.userEdit(w.emu.getSheetByName('Настройки') as never, 'B2', [['x@example.com']], { user: 'intruder@example.com' })).toThrow(/protected/);
    expect(() => w.env.world.userEdit(w.emu.getSheetByName('Аффилейты') as never, 'G2', [[50]], { user: 'intruder@example.com' })).toThrow(/protected/);
  });
});
