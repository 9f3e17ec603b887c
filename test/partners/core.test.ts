import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import {
  assignRows, blockMatches, buildDirectory, buildPartnerBlock, collectLeads, commissionOf, partnerCell, partnerKey, planMaster,
  PARTNER_FILE_KEYS, readAffiliatePercent, TOTAL_LABEL, WITHDRAWN_MARK, type MasterRow, type PartnerFileKey,
} from '../../src/core/partners';
import { MOSCOW } from '../../src/core/dates';
import { day, lead, partnerRows, promoRows } from './fixtures';

const TODAY = '2026-11-23';
const dir = () => buildDirectory(partnerRows(), promoRows());
const collect = (rows: ReturnType<typeof lead>[], d = dir()) => collectLeads(rows, d, MOSCOW, TODAY);

function masterRow(values: Partial<MasterRow>): MasterRow {
  return { partner: '', purchaseDate: '', name: '', telegram: '', shopLink: '', paidAmount: '', affiliatePercent: '', commission: '', individualNumber: '', ...values };
}

const headers = Object.fromEntries(PARTNER_FILE_KEYS.map((k) => [k, templateByKey('affiliates').columns.find((c) => c.key === k)!.header])) as Record<PartnerFileKey, string>;

describe('partnerKey', () => {
  it('matches a name with stray spaces, another case, ё and Latin look-alike letters', () => {
    expect(partnerKey(' алекс  мери ')).toBe(partnerKey('Алекс Мери'));
    expect(partnerKey('Aлекс Meри')).toBe(partnerKey('Алекс Мери')); // Latin A, M, e
    expect(partnerKey('Артём')).toBe(partnerKey('Артем'));
    expect(partnerKey('Юлия')).not.toBe(partnerKey('Юрий Рыбак'));
  });
});

describe('buildDirectory', () => {
  it('reads the 11 partners and 13 codes of the templates without problems', () => {
    const d = dir();
    expect(d.partners.size).toBe(11);
    expect(d.codes.size).toBe(13);
    expect(d.problems).toEqual([]);
  });

  it('refuses two «Партнёры» rows that are the same partner after folding, naming both', () => {
    const rows = [...partnerRows(), { partner: 'Aртем ', emails: 'x@example.com', defaultPercent: 5, active: true }];
    const d = buildDirectory(rows, promoRows());
    expect(d.partners.has(partnerKey('Артем'))).toBe(false);
    expect(d.problems.join('\n')).toMatch(/«Артем», «Aртем»/);
  });

  it('reports a bad email by partner name and keeps the good ones', () => {
    const d = buildDirectory(partnerRows({ Муар: { emails: 'muar@example.com, not-an-email' } }), promoRows());
    expect(d.partners.get(partnerKey('Муар'))!.emails).toEqual(['muar@example.com']);
    expect(d.problems.join('\n')).toContain('«Муар»');
  });
});

describe('collectLeads', () => {
  it('attributes a paid lead by its promo code, whatever the case, spaces or look-alike letters', () => {
    const r = collect([lead({ individualNumber: '417sa902', promoCode: ' Prоstо5 ', stagePaid: day('2026-11-20'), paidAmount: 332.5, name: 'Ирина' })]);
    expect(r.leads).toHaveLength(1);
    expect(r.leads[0]).toMatchObject({ partner: 'Александр Сидоренко', amount: 332.5, name: 'Ирина' });
    expect((r.leads[0].purchaseDate as Date).getTime()).toBe(day('2026-11-20').getTime());
  });

  it('attributes a referral without a code to the partner chosen by hand, spelled sloppily', () => {
    const r = collect([lead({ individualNumber: '111ab222', partner: 'тaтьянa ', stagePaid: day('2026-11-20'), paidAmount: 100 })]);
    expect(r.leads[0].partner).toBe('Татьяна');
    expect(r.problems).toEqual([]);
  });

  it('reports a hand-typed partner nobody knows and creates nothing', () => {
    const r = collect([lead({ rowNumber: 7, individualNumber: '111ab222', partner: 'Незнакомец', stagePaid: day('2026-11-20'), paidAmount: 100 })]);
    expect(r.leads).toEqual([]);
    expect(r.byKey.get('111ab222')!.kind).toBe('unresolved');
    expect(r.problems.join('\n')).toMatch(/строка 7.*«Незнакомец»/);
  });

  it('leaves a lead whose code and chosen partner disagree unattributed, and says why', () => {
    const r = collect([lead({ rowNumber: 9, individualNumber: '111ab222', promoCode: 'ALEX10', partner: 'Муар', stagePaid: day('2026-11-20'), paidAmount: 100 })]);
    expect(r.leads).toEqual([]);
    expect(r.problems.join('\n')).toMatch(/строка 9.*ALEX10.*Алекс Мери.*Муар/);
  });

  it('never guesses the owner of a code two partners claim, and names both partners', () => {
    const d = buildDirectory(partnerRows(), [...promoRows(), { code: 'alex10', partner: 'Муар', discountPercent: 5, active: true }]);
    const r = collect([lead({ individualNumber: '111ab222', promoCode: 'ALEX10', stagePaid: day('2026-11-20'), paidAmount: 100 })], d);
    expect(r.leads).toEqual([]);
    expect(r.problems.join('\n')).toMatch(/ALEX10.*«Алекс Мери», «Муар».*1 оплаченный лид с этим кодом не распределён/);
  });

  it('marks unpaid leads and leads without a partner as «none», so an existing master row can be withdrawn', () => {
    const r = collect([
      lead({ individualNumber: '111ab222', promoCode: 'prosto5' }),
      lead({ individualNumber: '333cd444', stagePaid: day('2026-11-20'), paidAmount: 10 }),
    ]);
    expect(r.byKey.get('111ab222')).toMatchObject({ kind: 'none', reason: 'unpaid' });
    expect(r.byKey.get('333cd444')).toMatchObject({ kind: 'none', reason: 'noPartner' });
  });

  it('asks for «Пересчитать» when a paid partner lead has no individual number yet', () => {
    const r = collect([lead({ rowNumber: 4, promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 10 })]);
    expect(r.leads).toEqual([]);
    expect(r.problems.join('\n')).toMatch(/строка 4.*Индивидуального номера/);
  });

  it('syncs neither of two rows that share one individual number', () => {
    const r = collect([
      lead({ rowNumber: 2, individualNumber: '111ab222', promoCode: 'dorens', stagePaid: day('2026-11-20'), paidAmount: 10 }),
      lead({ rowNumber: 3, individualNumber: '111AB222 ', promoCode: 'goynova5', stagePaid: day('2026-11-20'), paidAmount: 10 }),
    ]);
    expect(r.leads).toEqual([]);
    expect(r.problems.join('\n')).toMatch(/строках 2, 3/);
  });
});

describe('planMaster', () => {
  const paid = (values: Partial<ReturnType<typeof lead>>) => lead({ stagePaid: day('2026-11-20'), paidAmount: 200, promoCode: 'online5off', name: 'Олег', username: '@oleg_shop', ...values });

  it('appends one row per new paid lead with the partner’s default % and the commission', () => {
    const r = collect([paid({ individualNumber: '111ab222' })]);
    const plan = planMaster({ rows: [], keyNotes: [], firstRow: 2 }, r.byKey, r.leads, dir(), '23.11.2026');
    expect(plan.appends).toHaveLength(1);
    expect(plan.appends[0]).toMatchObject({ partner: 'Юрий Рыбак', name: 'Олег', telegram: '@oleg_shop', paidAmount: 200, affiliatePercent: 10, commission: 20, individualNumber: '111ab222' });
  });

  it('updates what the manager changed and never overwrites leadership’s %', () => {
    const r = collect([paid({ individualNumber: '111ab222', paidAmount: 300, name: 'Олег П.' })]);
    const existing = masterRow({ partner: 'Юрий Рыбак', purchaseDate: day('2026-11-20'), name: 'Олег', telegram: '@oleg_shop', paidAmount: 200, affiliatePercent: 25, commission: 50, individualNumber: '111AB222' });
    const plan = planMaster({ rows: [existing], keyNotes: [''], firstRow: 2 }, r.byKey, r.leads, dir(), '23.11.2026');
    expect(plan.appends).toEqual([]);
    expect(plan.updates.get(0)).toEqual({ name: 'Олег П.', paidAmount: 300, commission: 75 });
  });

  it('leaves rows added by hand and rows whose key «Аналитика» does not know untouched', () => {
    const r = collect([]);
    const rows = [masterRow({ partner: 'Муар', name: 'Вручную', paidAmount: 100 }), masterRow({ partner: 'Муар', individualNumber: '999zz999', paidAmount: 5 })];
    const plan = planMaster({ rows, keyNotes: ['', ''], firstRow: 2 }, r.byKey, r.leads, dir(), '23.11.2026');
    expect(plan.updates.size + plan.notes.size + plan.appends.length).toBe(0);
    expect(plan.counts.handRows).toBe(2);
  });

  it('marks a lead whose payment was cleared with a note, keeps the person’s own note, and clears the mark when paid again', () => {
    const existing = masterRow({ partner: 'Юрий Рыбак', name: 'Олег', paidAmount: 200, affiliatePercent: 10, commission: 20, individualNumber: '111ab222' });
    const unpaid = collect([lead({ individualNumber: '111ab222', promoCode: 'online5off' })]);
    const plan = planMaster({ rows: [existing], keyNotes: ['договорились лично'], firstRow: 2 }, unpaid.byKey, unpaid.leads, dir(), '23.11.2026');
    const note = plan.notes.get(0)!;
    expect(note.startsWith(WITHDRAWN_MARK)).toBe(true);
    expect(note.endsWith('\nдоговорились лично')).toBe(true);
    expect(plan.withdrawn.has(0)).toBe(true);
    expect(plan.updates.size).toBe(0);
    const again = planMaster({ rows: [existing], keyNotes: [note], firstRow: 2 }, unpaid.byKey, unpaid.leads, dir(), '24.11.2026');
    expect(again.notes.size).toBe(0); // marking twice changes nothing
    const repaid = collect([paid({ individualNumber: '111ab222', name: 'Олег', username: '' })]);
    const back = planMaster({ rows: [existing], keyNotes: [note], firstRow: 2 }, repaid.byKey, repaid.leads, dir(), '25.11.2026');
    expect(back.notes.get(0)).toBe('договорились лично');
    expect(back.withdrawn.size).toBe(0);
  });

  it('moves a lead to its new partner and asks leadership to check the %', () => {
    const existing = masterRow({ partner: 'Юрий Рыбак', paidAmount: 200, affiliatePercent: 10, commission: 20, individualNumber: '111ab222' });
    const r = collect([paid({ individualNumber: '111ab222', promoCode: 'yadrevska' })]);
    const plan = planMaster({ rows: [existing], keyNotes: [''], firstRow: 2 }, r.byKey, r.leads, dir(), '23.11.2026');
    expect(plan.updates.get(0)!.partner).toBe('Юлия');
    expect(plan.updates.get(0)!.affiliatePercent).toBeUndefined();
    expect(plan.problems.join('\n')).toMatch(/«Юрий Рыбак» → «Юлия»/);
  });
});

describe('commission', () => {
  it('is amount × % in cents, empty when either is missing', () => {
    expect(commissionOf(332.5, 15)).toBe(49.88);
    expect(commissionOf('1 200,50', '10%')).toBe(120.05);
    expect(commissionOf(100, '')).toBe('');
    expect(commissionOf('', 10)).toBe('');
  });

  it('reads «% affiliate» as a number of percent: 1 is 1 %, 150 is not a percentage', () => {
    expect(readAffiliatePercent(1)).toBe(1);
    expect(readAffiliatePercent('7,5 %')).toBe(7.5);
    expect(readAffiliatePercent(150)).toBeNaN();
  });
});

describe('partner block', () => {
  const rows = [
    masterRow({ partner: 'Муар', purchaseDate: day('2026-11-20'), name: '=HYPERLINK("http://evil","x")', telegram: '@muar_client', shopLink: '+7 916 000', paidAmount: 100, affiliatePercent: 10, commission: 10, individualNumber: '111ab222' }),
    masterRow({ partner: 'Муар', name: 'Вручную', paidAmount: 50, affiliatePercent: 20 }),
  ];

  it('holds exactly the master’s columns minus «Партнёр» and the key, then totals', () => {
    const block = buildPartnerBlock(rows, headers);
    const master = templateByKey('affiliates').columns.filter((c) => c.key !== 'partner' && c.key !== 'individualNumber').map((c) => c.header);
    expect(block.grid[0]).toEqual(master);
    expect(block.grid).toHaveLength(1 + 2 + 2);
    expect(block.grid[4][0]).toBe(TOTAL_LABEL);
    expect(block.totalPaid).toBe(150);
    expect(block.totalCommission).toBe(20); // the hand row's commission is computed for the partner
  });

  it('neutralises every string that could run as a formula', () => {
    expect(partnerCell('=HYPERLINK("a")')).toBe(`'=HYPERLINK("a")`);
    expect(partnerCell('+7 916')).toBe("'+7 916");
    expect(partnerCell('-5')).toBe("'-5");
    expect(partnerCell('@x')).toBe("'@x");
    expect(partnerCell('21.11')).toBe("'21.11"); // would become a date
    expect(partnerCell('обычный текст')).toBe('обычный текст');
    expect(partnerCell(12)).toBe(12);
  });

  it('compares a block with what the sheet holds, blanks around it included', () => {
    const { grid } = buildPartnerBlock(rows, headers);
    expect(blockMatches(grid.map((r) => [...r, '']), grid)).toBe(true);
    expect(blockMatches([...grid, ['', 'остаток']], grid)).toBe(false);
    expect(blockMatches(grid.slice(0, 3), grid)).toBe(false);
  });

  it('sends each master row to exactly one partner, by its «Партнёр» in any spelling', () => {
    const d = dir();
    const states = [
      { row: masterRow({ partner: 'муар ', paidAmount: 1 }), rowNumber: 2, withdrawn: false },
      { row: masterRow({ partner: 'Юлия', paidAmount: 1 }), rowNumber: 3, withdrawn: true },
      { row: masterRow({ partner: 'Кто-то', paidAmount: 1 }), rowNumber: 4, withdrawn: false },
    ];
    const a = assignRows(states, d);
    expect(a.byPartner.get(partnerKey('Муар'))).toHaveLength(1);
    expect(a.byPartner.has(partnerKey('Юлия'))).toBe(false);
    expect(a.problems.join('\n')).toMatch(/строка 4.*«Кто-то»/);
  });
});
