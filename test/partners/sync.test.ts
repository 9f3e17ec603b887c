import { describe, expect, it } from 'vitest';
import { PARTNER_NAMES, PROMO_CODES, templateByKey } from '../../sheets-templates';
import { roundCents } from '../../src/core/analytics';
import { WITHDRAWN_MARK } from '../../src/core/partners';
import { isWriteCall } from '../support/env';
import { FAULTS } from '../../emulator/recorder';
import { menuPartners } from '../../src/main';
import { day, rng, sloppy } from './fixtures';
import { partnerWorld, type PartnerWorld } from './world';

const M = templateByKey('affiliates');
const defaultPercent = (name: string) => (PARTNER_NAMES.indexOf(name) % 3 === 0 ? 15 : 10);
const TELEGRAM = 2; // index of «Telegram» in a partner file row

interface GeneratedLead { values: Record<string, unknown>; owner: string | null; telegram: string; amount: number }

/** Random leads: by code (any case, Cyrillic look-alikes, spaces), by a sloppily typed partner, or no partner. */
function randomLeads(seed: number, count: number): GeneratedLead[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const out: GeneratedLead[] = [];
  for (let i = 0; i < count; i++) {
    const partner = random() < 0.85 ? pick(PARTNER_NAMES) : null;
    const paid = random() < 0.75;
    const telegram = `@c${seed}_${i}xyz`;
    const amount = roundCents(50 + random() * 2000);
    const values: Record<string, unknown> = {
      firstContactDate: day('2026-10-01'), name: i % 7 === 0 ? `=HYPERLINK("http://x.example/${i}","клиент")` : `Клиент ${i}`, username: telegram,
      projectInfo: i % 5 === 0 ? `+7 916 ${100 + i}` : `https://shop${i}.example.com`,
    };
    if (partner) {
      const codes = PROMO_CODES.filter(([, p]) => p === partner).map(([c]) => c);
      const mode = random();
      if (mode < 0.5) values.promoCode = sloppyCode(pick(codes), random);
      else if (mode < 0.8) values.partner = sloppy(partner, random);
      else { values.promoCode = pick(codes); values.partner = sloppy(partner, random); }
    }
    if (paid) {
      values.stagePaid = day(`2026-11-${String(1 + (i % 20)).padStart(2, '0')}`);
      values.paidAmount = amount;
    }
    if (paid || random() < 0.3) values.individualNumber = `${String(100 + i).slice(-3)}cz${String(100 + seed).slice(-3)}`;
    out.push({ values, owner: paid && partner ? partner : null, telegram, amount });
  }
  return out;
}

function sloppyCode(code: string, random: () => number): string {
  let out = random() < 0.5 ? code.toUpperCase() : code.toLowerCase();
  if (random() < 0.5) out = out.replace(/o/g, 'о').replace(/O/g, 'О'); // Cyrillic о
  return random() < 0.5 ? ` ${out} ` : out;
}

/** Fails once each, with a permanent error, the first call of every method in `methods` after the `nth` new partner file. */
function failAfterCreate(w: PartnerWorld, nth: number, methods: string[], error = 'Exception: Access denied.'): void {
  let creates = 0;
  const armed = new Set<string>();
  w.env.ctx.recorder.injectFault({
    method: (m) => {
      if (m === 'SpreadsheetApp.create' && ++creates === nth) methods.forEach((x) => armed.add(x));
      return armed.delete(m);
    },
    error,
  });
}

const partnerFiles = (w: PartnerWorld, partner: string) => w.env.world.all().filter((f) => f.name === `Аффилейт — ${partner}`);

function writesSince(w: PartnerWorld): string[] {
  return Object.entries(w.env.ctx.recorder.snapshot().calls).filter(([m]) => isWriteCall(m)).map(([m, n]) => `${m}×${n}`);
}

describe('partner sync in the emulator', () => {
  it.each([1, 2, 3, 4])('never shows a lead in another partner’s file, and a second run writes nothing (seed %i)', (seed) => {
    const w = partnerWorld();
    const leads = randomLeads(seed, 70);
    w.addLeads(leads.map((l) => l.values));
    const report = w.sync();
    expect(report.missingSheet).toBeUndefined();

    const seen = new Map<string, string>();
    for (const partner of PARTNER_NAMES) {
      const file = w.fileTable(partner);
      const expected = leads.filter((l) => l.owner === partner);
      expect(file.rows.map((r) => r[TELEGRAM]).sort()).toEqual(expected.map((l) => l.telegram).sort());
      for (const r of file.rows) {
        const t = String(r[TELEGRAM]);
        expect(seen.get(t), `${t} is in ${seen.get(t)} and ${partner}`).toBeUndefined();
        seen.set(t, partner);
      }
      const expectedPaid = roundCents(expected.reduce((s, l) => s + l.amount, 0));
      expect(file.totals[4]).toBeCloseTo(expectedPaid, 2);
    }
    // One master row per paid partner lead, with «Комиссия EU» = amount × the partner's default %.
    const master = w.masterRows();
    const owned = leads.filter((l) => l.owner);
    expect(master).toHaveLength(owned.length);
    for (const l of owned) {
      const row = master.find((r) => r.telegram === l.telegram)!;
      expect(row.partner).toBe(l.owner);
      expect(row.affiliatePercent).toBe(defaultPercent(l.owner!));
      expect(row.commission).toBe(roundCents((l.amount * defaultPercent(l.owner!)) / 100));
    }

    w.env.ctx.recorder.reset();
    const again = w.sync();
    expect(writesSince(w)).toEqual([]);
    expect(again.partners.every((p) => p.status === 'unchanged')).toBe(true);
    expect(again.added + again.changedCells).toBe(0);
  });

  it('keeps leadership’s % through every re-sync and recomputes the commission from it', () => {
    const w = partnerWorld();
    w.addLeads([{ name: 'Ирина', username: '@irina_shop', promoCode: 'prosto5', stagePaid: day('2026-11-20'), paidAmount: 400, individualNumber: '417ia902' }]);
    w.sync();
    expect(w.masterCell(2, 'affiliatePercent').getValue()).toBe(15);
    w.masterCell(2, 'affiliatePercent').setValue(33);
    w.analyticsCell(2, 'paidAmount').setValue(500);
    w.sync();
    w.sync();
    expect(w.masterCell(2, 'affiliatePercent').getValue()).toBe(33);
    expect(w.masterCell(2, 'commission').getValue()).toBe(165);
    const file = w.fileTable('Александр Сидоренко');
    expect(file.rows[0].slice(4)).toEqual([500, 33, 165]);
    expect(file.totals[6]).toBe(165);
  });

  it('matches a partner typed with a trailing space or Latin look-alike letters, and reports an unknown one without creating a row', () => {
    const w = partnerWorld();
    w.addLeads([
      { name: 'Вера', username: '@vera_flowers', partner: 'Татьяна ', stagePaid: day('2026-11-20'), paidAmount: 350, individualNumber: '101va202' },
      { name: 'Гоша', username: '@gosha_shop', partner: 'Aлекс Meри', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '102gp203' },
      { name: 'Никто', username: '@nobody_shop', partner: 'Таня', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '103np204' },
    ]);
    const report = w.sync();
    w.sync();
    const master = w.masterRows();
    expect(master.map((r) => r.partner)).toEqual(['Татьяна', 'Алекс Мери']);
    expect(w.fileTable('Татьяна').rows).toHaveLength(1);
    expect(w.fileTable('Алекс Мери').rows).toHaveLength(1);
    expect(report.problems.join('\n')).toMatch(/строка 4: партнёр «Таня» не найден/);
    expect(report.partners.map((p) => p.partner)).toEqual(PARTNER_NAMES); // no duplicate partner
  });

  it('delivers formula-looking strings to the partner as plain text', () => {
    const w = partnerWorld();
    const tricky = { name: '=HYPERLINK("http://evil.example","жми")', username: '@x_client', projectInfo: '+7 916 123-45-67' };
    w.addLeads([
      { ...tricky, promoCode: 'goynova5', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '104hx205' },
      { name: '-5', username: '@minus_five', projectInfo: '@shop', promoCode: 'goynova5', stagePaid: day('2026-11-21'), paidAmount: 50, individualNumber: '105mf206' },
    ]);
    w.sync();
    const file = w.fileTable('Татьяна');
    expect(file.rows.map((r) => r.slice(1, 4))).toEqual([
      ['=HYPERLINK("http://evil.example","жми")', '@x_client', '+7 916 123-45-67'],
      ['-5', '@minus_five', '@shop'],
    ]);
    expect(file.formulas.flat().filter((f) => f !== '')).toEqual([]);
  });

  it('gives the partner file exactly the master’s columns minus «Партнёр» and «Индивидуальный номер»', () => {
    const w = partnerWorld();
    w.sync();
    const expected = M.columns.filter((c) => c.key !== 'partner' && c.key !== 'individualNumber').map((c) => c.header);
    for (const partner of PARTNER_NAMES) expect(w.fileTable(partner).header).toEqual(expected);
  });

  it('shares each file view-only, downgrades an editor someone added and says so', () => {
    const w = partnerWorld();
    w.sync();
    const file = w.fileOf('Муар')!;
    expect([...file.acl.viewers]).toEqual(['partner11@example.com']);
    expect(file.acl.editors.size).toBe(0);
    file.acl.addEditor('partner11@example.com');
    file.acl.addEditor('intruder@example.com');
    const report = w.sync();
    expect(file.acl.editors.size).toBe(0);
    expect([...file.acl.viewers].sort()).toEqual(['intruder@example.com', 'partner11@example.com']);
    const text = report.problems.join('\n');
    expect(text).toMatch(/«Муар».*partner11@example\.com.*только просмотр/);
    expect(text).toMatch(/intruder@example\.com.*только просмотр/);
  });

  it('reports a deleted partner file by name, creates a new one, and the other partners still sync', () => {
    const w = partnerWorld();
    w.addLeads([
      { name: 'А', username: '@a_client', promoCode: 'ALEX10', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' },
      { name: 'Б', username: '@b_client', promoCode: 'IVANTIM', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '107bb208' },
    ]);
    w.sync();
    const old = w.fileOf('Алекс Мери')!;
    w.env.world.deleteFile(old.id);
    w.addLeads([{ name: 'В', username: '@v_client', promoCode: 'IVANTIM', stagePaid: day('2026-11-21'), paidAmount: 70, individualNumber: '108vv209' }]);
    const report = w.sync();
    expect(report.problems.join('\n')).toMatch(/Таблица партнёра «Алекс Мери» удалена.*создана новая/);
    expect(report.partners.find((p) => p.partner === 'Алекс Мери')!.status).toBe('created');
    expect(w.fileOf('Алекс Мери')!.id).not.toBe(old.id);
    expect(w.fileTable('Алекс Мери').rows).toHaveLength(1);
    expect(w.fileTable('Иван Тимирчев').rows).toHaveLength(2);
  });

  it('reports a partner file moved to the trash, creates a new one and leaves the trashed one alone', () => {
    const w = partnerWorld();
    w.sync();
    const old = w.fileOf('Муар')!;
    old.acl.trashed = true; // Google answers openById of a trashed file like a deleted one
    const report = w.sync();
    expect(report.problems.join('\n')).toMatch(/Таблица партнёра «Муар» удалена, в корзине или недоступна — создана новая/);
    expect(report.partners.find((p) => p.partner === 'Муар')!.status).toBe('created');
    const fresh = w.fileOf('Муар')!;
    expect(fresh.id).not.toBe(old.id);
    expect([...fresh.acl.viewers]).toEqual(['partner11@example.com']);
    expect(w.env.world.byId(old.id)!.acl.trashed).toBe(true);
    w.env.ctx.recorder.reset();
    expect(w.sync().partners.every((p) => p.status === 'unchanged')).toBe(true);
    expect(writesSince(w)).toEqual([]);
  });

  it('stores a new file’s link at once: a first run stopped halfway leaves one linked, unshared file the next run completes', () => {
    const w = partnerWorld();
    w.addLeads([{ name: 'А', username: '@a_client', promoCode: 'goynova5', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' }]);
    failAfterCreate(w, 3, ['Sheet.setFrozenRows']);
    const first = w.sync();
    w.env.ctx.recorder.clearFaults();
    const failed = first.partners.filter((p) => p.status === 'failed').map((p) => p.partner);
    expect(failed).toEqual(['Татьяна']);
    expect(first.problems.join('\n')).toMatch(/Партнёр «Татьяна»: синхронизация не удалась \(Exception: Access denied/);
    const half = w.fileOf('Татьяна')!;
    expect(partnerFiles(w, 'Татьяна').map((f) => f.id)).toEqual([half.id]);
    expect(half.acl.viewers.size).toBe(0); // nobody sees a half-made file
    const second = w.sync();
    expect(second.partners.find((p) => p.partner === 'Татьяна')!.status).toBe('updated');
    expect(partnerFiles(w, 'Татьяна').map((f) => f.id)).toEqual([half.id]);
    expect(half.sheets.map((s) => [s.name, s.frozenRows])).toEqual([['Клиенты', 1]]);
    expect([...half.acl.viewers]).toEqual(['partner3@example.com']);
    expect(w.fileTable('Татьяна').rows.map((r) => r[TELEGRAM])).toEqual(['@a_client']);
    w.env.ctx.recorder.reset();
    w.sync();
    expect(writesSince(w)).toEqual([]);
  });

  it('reuses a file whose link could not be stored instead of making a second one', () => {
    const w = partnerWorld();
    failAfterCreate(w, 3, ['Range.setValues']);
    const first = w.sync();
    w.env.ctx.recorder.clearFaults();
    expect(first.partners.find((p) => p.partner === 'Татьяна')!.status).toBe('failed');
    expect(w.fileOf('Татьяна')).toBeUndefined();
    const orphan = partnerFiles(w, 'Татьяна');
    expect(orphan).toHaveLength(1);
    expect(first.problems.join('\n')).not.toMatch(/удалите её/); // remembered: nothing for leadership to do
    const second = w.sync();
    expect(second.partners.find((p) => p.partner === 'Татьяна')!.status).toBe('created');
    expect(w.fileOf('Татьяна')!.id).toBe(orphan[0].id);
    expect(partnerFiles(w, 'Татьяна')).toHaveLength(1);
    expect(w.env.ctx.recorder.quiet(() => PropertiesService.getDocumentProperties().getKeys()).filter((k) => k.startsWith('partners:'))).toEqual([]);
    w.env.ctx.recorder.reset();
    w.sync();
    expect(writesSince(w)).toEqual([]);
  });

  it('names a file it could neither link nor remember, for leadership to delete', () => {
    const w = partnerWorld();
    failAfterCreate(w, 3, ['Range.setValues', 'Properties.setProperty']);
    const report = w.sync();
    w.env.ctx.recorder.clearFaults();
    const orphan = partnerFiles(w, 'Татьяна');
    expect(orphan).toHaveLength(1);
    expect(report.problems.join('\n')).toContain(
      `Партнёр «Татьяна»: таблица «Аффилейт — Татьяна» создана, но ссылку на неё не удалось сохранить — удалите её в Google Диске (https://docs.google.com/spreadsheets/d/${orphan[0].id}/edit)`,
    );
    w.sync();
    expect(w.fileOf('Татьяна')!.id).not.toBe(orphan[0].id);
  });

  it('reports a bad email and a partner whose code collides with another’s, and syncs everyone else', () => {
    const w = partnerWorld();
    w.env.ctx.recorder.quiet(() => {
      w.partnerCell('Юлия', 'emails').setValue('not-an-email');
      const promo = w.ss.getSheetByName('Промокоды')!;
      promo.getRange(15, 1, 1, 4).setValues([['alex10', 'Муар', 5, true]]);
    });
    w.addLeads([
      { name: 'А', username: '@a_client', promoCode: 'ALEX10', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' },
      { name: 'Б', username: '@b_client', promoCode: 'yadrevska', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '107bb208' },
      { name: 'В', username: '@v_client', promoCode: 'erntoday5%', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '108vv209' },
    ]);
    const report = w.sync();
    const text = report.problems.join('\n');
    expect(text).toMatch(/«Юлия».*«not-an-email»/);
    expect(text).toMatch(/ALEX10.*«Алекс Мери», «Муар»/);
    expect(w.fileTable('Алекс Мери').rows).toHaveLength(0);
    expect(w.fileTable('Муар').rows.map((r) => r[TELEGRAM])).toEqual(['@v_client']);
    expect(w.fileTable('Юлия').rows.map((r) => r[TELEGRAM])).toEqual(['@b_client']);
    expect(w.fileOf('Юлия')!.acl.viewers.size).toBe(0);
  });

  it('moves a lead when its partner changes, marks one whose payment was cleared, keeps hand rows, and logs it all', () => {
    const w = partnerWorld();
    w.addLeads([
      { name: 'А', username: '@a_client', promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' },
      { name: 'Б', username: '@b_client', promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 200, individualNumber: '107bb208' },
    ]);
    w.sync();
    // Leadership adds a client by hand; a manager switches one lead's code and clears the other's payment.
    w.masterCell(4, 'partner').setValue('Артем');
    w.masterCell(4, 'name').setValue('Клиент вручную');
    w.masterCell(4, 'paidAmount').setValue(1000);
    w.analyticsCell(2, 'promoCode').setValue('ecomartem');
    w.analyticsCell(3, 'stagePaid').setValue('');
    const report = w.sync();
    const master = w.masterRows();
    expect(master).toHaveLength(3);
    expect(master[0].partner).toBe('Артем');
    expect(master[1]).toMatchObject({ partner: 'Александр Сидоренко', paidAmount: 200 });
    expect(String(w.masterCell(3, 'individualNumber').getNote())).toContain(WITHDRAWN_MARK);
    expect(master[2]).toMatchObject({ partner: 'Артем', name: 'Клиент вручную', individualNumber: '' });
    expect(w.fileTable('Александр Сидоренко').rows).toHaveLength(0);
    expect(w.fileTable('Артем').rows.map((r) => r[1])).toEqual(['А', 'Клиент вручную']);
    expect(report.withdrawn).toBe(1);
    const journal = w.ss.getSheetByName('Журнал')!;
    const log = journal.getRange(2, 1, journal.getLastRow() - 1, 7).getValues();
    expect(log.some((r) => r[2] === 'Аффилейты' && r[5] === 'Артем' && r[6] === 'партнёры')).toBe(true);
    expect(log.some((r) => r[2] === 'Аффилейты' && String(r[5]).includes(WITHDRAWN_MARK))).toBe(true);
  });

  it('stamps «Таблица партнёра» and «Последняя синхронизация» only when the partner’s file changed', () => {
    const w = partnerWorld();
    w.sync();
    const url = String(w.partnerCell('Муар', 'sheetUrl').getValue());
    const stamp = w.partnerCell('Муар', 'lastSync').getValue() as Date;
    expect(url).toMatch(/^https:\/\/docs\.google\.com\/spreadsheets\/d\//);
    expect(stamp.getTime()).toBe(w.env.ctx.clock.now());
    w.env.ctx.clock.advance(60_000);
    w.sync();
    expect((w.partnerCell('Муар', 'lastSync').getValue() as Date).getTime()).toBe(stamp.getTime());
  });

  it('retries a service time-out and finishes the sync', () => {
    const w = partnerWorld();
    w.addLeads([{ name: 'А', username: '@a_client', promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' }]);
    w.env.ctx.recorder.injectFault({ method: 'Range.setValues', nth: 3, error: FAULTS.timeout });
    w.env.ctx.recorder.injectFault({ method: 'Spreadsheet.addViewer', nth: 5, error: FAULTS.timeout });
    const report = w.sync();
    expect(report.partners.every((p) => p.status === 'created')).toBe(true);
    expect(w.fileTable('Александр Сидоренко').rows).toHaveLength(1);
  });

  it('reports a partner whose file cannot be opened for another reason by name, and syncs the rest', () => {
    const w = partnerWorld();
    w.sync();
    const georgy = w.fileOf('Георгий')!;
    w.env.ctx.recorder.injectFault({ method: (m) => m === 'Spreadsheet.getEditors', nth: 9, error: 'Access denied: SpreadsheetApp.' });
    w.addLeads([{ name: 'Б', username: '@b_client', promoCode: 'erntoday5%', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '107bb208' }]);
    const report = w.sync();
    expect(report.problems.join('\n')).toMatch(/Партнёр «Георгий»: синхронизация не удалась \(Access denied/);
    expect(report.partners.find((p) => p.partner === 'Георгий')!.status).toBe('failed');
    expect(w.fileOf('Георгий')!.id).toBe(georgy.id);
    expect(w.fileTable('Муар').rows.map((r) => r[TELEGRAM])).toEqual(['@b_client']);
  });

  it('runs from the menu «Синхронизировать партнёров» under the script lock and answers in Russian', () => {
    const w = partnerWorld();
    w.addLeads([{ name: 'А', username: '@a_client', promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 100, individualNumber: '106aa207' }]);
    w.env.beginExecution('menu');
    try { menuPartners(); } finally { w.env.endExecution(); }
    const alert = w.env.ui.alerts.at(-1)!;
    expect(alert.prompt).toMatch(/Оплаченных лидов партнёров: 1\. В «Аффилейты» добавлено строк: 1/);
    expect(alert.prompt).toMatch(/Александр Сидоренко: создана таблица — клиентов 1, оплачено 100,00, комиссия 15,00/);
    expect(w.env.locks.log.some((l) => l.kind === 'script' && l.event === 'acquired')).toBe(true);
  });
});
