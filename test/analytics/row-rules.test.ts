import { describe, expect, it } from 'vitest';
import { analyticsSheet, STAGE_KEYS } from '../../sheets-templates/analytics';
import {
  ANALYTICS_KEYS, evaluateRow, evaluateSheet, firstAndLastLatin, isRowEmpty, transliterate,
} from '../../src/core/analytics';
import { ctx, d, lead, reference, row, scriptedRandom, TODAY } from './fixtures';

const ref = reference();

describe('column contract', () => {
  it('uses exactly the keys of the «Аналитика» template, stages in funnel order', () => {
    expect([...ANALYTICS_KEYS]).toEqual(analyticsSheet.columns.map((c) => c.key));
    expect(ANALYTICS_KEYS.filter((k) => k.startsWith('stage'))).toEqual([...STAGE_KEYS]);
  });
});

describe('stage marks and typed dates', () => {
  it.each(['x', 'х', 'X', '+', 'v', '✓', '✔', 'да', 'Да ', '1', 'TRUE', 'true', true, 1])(
    'turns %j in a stage column into today’s date', (mark) => {
      const { updates } = evaluateRow(lead({ stageNegotiation: mark }), ref, ctx());
      expect(updates.stageNegotiation).toEqual(d(TODAY));
      expect(updates.currentStage).toBe('Переговоры и отправка планов');
    });

  it('turns a mark in «Последний контакт» into today’s date', () => {
    expect(evaluateRow(lead({ lastContact: '+' }), ref, ctx()).updates.lastContact).toEqual(d(TODAY));
  });

  it.each([
    ['21.11.2026', '2026-11-21'], ['1.9.2026', '2026-09-01'], ['21.11.26', '2026-11-21'], ['21/11/2026', '2026-11-21'],
    ['2026-11-21', '2026-11-21'], ['21.11', '2026-11-21'], ['15.03', '2026-03-15'],
    ['21.12', '2025-12-21'], // later this year → the manager meant last December
    [46347, '2026-11-21'], // a Sheets serial day number
  ])('reads %j as %s', (typed, date) => {
    const { updates } = evaluateRow(lead({ firstContactDate: d('2025-01-01'), stageFirstContact: typed }), ref, ctx());
    expect(updates.stageFirstContact).toEqual(d(date));
  });

  it('leaves a row that is already tidy without any update', () => {
    const tidy = lead({ stageFirstContact: d('2026-11-10'), lastContact: d('2026-11-10'), currentStage: 'Первичный контакт' });
    expect(evaluateRow(tidy, ref, ctx())).toEqual({ updates: {}, problems: [] });
  });

  it('compares dates by value, not by object', () => {
    const tidy = lead({ stageFirstContact: d('2026-11-10'), lastContact: new Date(d('2026-11-10').getTime()), currentStage: 'Первичный контакт' });
    expect(evaluateRow(tidy, ref, ctx()).updates).toEqual({});
  });
});

describe('current stage and last contact', () => {
  it('names the stage with the latest date', () => {
    const r = lead({ stageFirstContact: d('2026-11-10'), stageNegotiation: d('2026-11-12'), stageDeciding: d('2026-11-11') });
    expect(evaluateRow(r, ref, ctx()).updates.currentStage).toBe('Переговоры и отправка планов');
  });

  it('prefers the later stage of the funnel on the same day', () => {
    const r = lead({ stageNegotiation: d('2026-11-12'), stageLinkSent: d('2026-11-12'), stageFirstContact: d('2026-11-12') });
    expect(evaluateRow(r, ref, ctx()).updates.currentStage).toBe('Отправили ссылку и ждём оплату');
  });

  it('clears a stale current stage when no stage has a date', () => {
    expect(evaluateRow(lead({ currentStage: 'Оплата' }), ref, ctx()).updates.currentStage).toBe('');
  });

  it('raises «Последний контакт» to the newest stage date', () => {
    const r = lead({ stageNegotiation: d('2026-11-15'), lastContact: d('2026-11-12') });
    expect(evaluateRow(r, ref, ctx()).updates.lastContact).toEqual(d('2026-11-15'));
  });

  it('keeps a later contact the manager typed', () => {
    const r = lead({ stageNegotiation: d('2026-11-15'), lastContact: d('2026-11-18'), currentStage: 'Переговоры и отправка планов' });
    expect(evaluateRow(r, ref, ctx()).updates).toEqual({});
  });

  it('does not count «Ожидание» as a contact', () => {
    const r = lead({ stageNegotiation: d('2026-11-12'), stageWaiting: d('2026-11-15'), lastContact: d('2026-11-12') });
    const { updates } = evaluateRow(r, ref, ctx());
    expect(updates.lastContact).toBeUndefined();
    expect(updates.currentStage).toBe('Ожидание');
  });
});

describe('traffic source', () => {
  it('fills Гугл / Яндекс from the account', () => {
    expect(evaluateRow(lead({ account: 'Google (BestpaymentsGA)', trafficSource: '' }), ref, ctx()).updates.trafficSource).toBe('Гугл');
    expect(evaluateRow(lead({ account: 'Яндекс (BestpaymentsYA)', trafficSource: '' }), ref, ctx()).updates.trafficSource).toBe('Яндекс');
    expect(evaluateRow(lead({ account: 'Основной', trafficSource: '' }), ref, ctx()).updates.trafficSource).toBeUndefined();
  });

  it('never overwrites a chosen source', () => {
    const { updates } = evaluateRow(lead({ account: 'Google (BestpaymentsGA)', trafficSource: 'Гугл', promoCode: 'prosto5' }), ref, ctx());
    expect(updates.trafficSource).toBeUndefined();
  });

  it('marks a partner referral without a code as partner traffic and keeps the chosen partner', () => {
    const { updates, problems } = evaluateRow(lead({ partner: 'Юрий Рыбак', trafficSource: '' }), ref, ctx());
    expect(updates).toEqual({ trafficSource: 'Партнёр' });
    expect(problems).toEqual([]);
  });
});

describe('promo codes and prices', () => {
  it('fills partner, discount and prices from the code and the plan', () => {
    const { updates, problems } = evaluateRow(lead({ promoCode: 'sydorenko', plan: 'Personal', trafficSource: '' }), ref, ctx());
    expect(problems).toEqual([]);
    expect(updates).toMatchObject({
      partner: 'Александр Сидоренко', discountPercent: 10, trafficSource: 'Партнёр', planPrice: 490, discountedPrice: 441,
    });
  });

  it('rounds the discounted price to cents', () => {
    // 990 × 0.85 = 841.5; 490 × 0.95 = 465.5 — and codes containing % work.
    expect(evaluateRow(lead({ promoCode: 'dorens', plan: 'Lite' }), ref, ctx()).updates.discountedPrice).toBe(841.5);
    expect(evaluateRow(lead({ promoCode: 'stripe5%', plan: 'Personal' }), ref, ctx()).updates).toMatchObject({
      promoCode: 'STRIPE5%', discountedPrice: 465.5, partner: 'Георгий',
    });
  });

  it('does not call a partner typed with a Latin «A» a contradiction of that partner’s code', () => {
    // «Aлександр» with a Latin A: the partner sync treats it as the same partner, so must «Аналитика».
    const { problems } = evaluateRow(lead({ promoCode: 'sydorenko', partner: 'Aлександр Сидоренко', plan: 'Personal' }), ref, ctx());
    expect(problems).toEqual([]);
    expect(evaluateRow(lead({ promoCode: 'sydorenko', partner: 'Юрий Рыбак' }), ref, ctx()).problems).toHaveLength(1);
  });

  it('uses the full price when there is no code', () => {
    expect(evaluateRow(lead({ plan: 'lite' }), ref, ctx()).updates).toEqual({ planPrice: 990, discountedPrice: 990 });
  });

  it('replaces the partner filled from the previous code when the code changes', () => {
    const before = lead({ promoCode: 'prosto5', partner: 'Александр Сидоренко' });
    const after = { ...before, promoCode: 'online5off' };
    expect(evaluateRow(after, ref, ctx(), before).updates.partner).toBe('Юрий Рыбак');
  });

  it('clears the discount when the code is removed', () => {
    const r = lead({ partner: 'Александр Сидоренко', trafficSource: 'Партнёр', discountPercent: 5, plan: 'Personal', planPrice: 490, discountedPrice: 465.5 });
    expect(evaluateRow(r, ref, ctx()).updates).toEqual({ discountPercent: '', discountedPrice: 490 });
  });

  it('accepts a code switched off later on a deal already paid', () => {
    const r = lead({ promoCode: 'ALEX10', stagePaid: d('2026-11-20'), paidAmount: 900, questionnaireFilled: 'Да', individualNumber: '123sk456' });
    const { problems, updates } = evaluateRow(r, ref, ctx());
    expect(problems).toEqual([]);
    expect(updates.discountPercent).toBe(10);
  });
});

describe('amount and questionnaire', () => {
  it('writes a typed amount back as a number', () => {
    expect(evaluateRow(lead({ paidAmount: '1 200,50' }), ref, ctx()).updates.paidAmount).toBe(1200.5);
    expect(evaluateRow(lead({ paidAmount: '1.200,50 €' }), ref, ctx()).updates.paidAmount).toBe(1200.5);
    expect(evaluateRow(lead({ paidAmount: '1,200.50' }), ref, ctx()).updates.paidAmount).toBe(1200.5);
  });

  it('tidies «да» to «Да»', () => {
    expect(evaluateRow(lead({ questionnaireFilled: 'да' }), ref, ctx()).updates.questionnaireFilled).toBe('Да');
  });
});

describe('individual number', () => {
  const paid = { stagePaid: d('2026-11-20'), paidAmount: 500, questionnaireFilled: 'Да' };

  it('is generated on payment from the nick’s first and last Latin letter', () => {
    const taken = new Set<string>();
    const { updates } = evaluateRow(lead({ ...paid, username: '@sasha_k' }), ref, ctx({ takenNumbers: taken }));
    expect(updates.individualNumber).toBe('417sk902');
    expect(taken.has('417sk902')).toBe(true);
  });

  it('uses the transliterated Telegram name when there is no nick', () => {
    const { updates } = evaluateRow(lead({ ...paid, username: '', name: 'Светлана' }), ref, ctx());
    expect(updates.individualNumber).toBe('417sa902');
  });

  it('draws new digits when the number is taken', () => {
    const taken = new Set(['417sk902']);
    const random = scriptedRandom(0.417, 0.902, 0.123, 0.456);
    expect(evaluateRow(lead(paid), ref, ctx({ takenNumbers: taken, random })).updates.individualNumber).toBe('123sk456');
  });

  it('keeps a typed number whatever the case of its letters', () => {
    const { updates, problems } = evaluateRow(lead({ ...paid, individualNumber: '417SK902' }), ref, ctx());
    expect(updates.individualNumber).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('accepts letters of the name on a number given before the nick was known', () => {
    expect(evaluateRow(lead({ ...paid, individualNumber: '555sa555' }), ref, ctx()).problems).toEqual([]);
  });

  it('is not generated before payment', () => {
    expect(evaluateRow(lead(), ref, ctx()).updates.individualNumber).toBeUndefined();
  });

  it('never repeats a number typed further down the sheet', () => {
    const rows = [
      { rowNumber: 2, values: lead(paid) },
      { rowNumber: 3, values: lead({ ...paid, username: '@sveta_k', name: 'Света', individualNumber: '417sk902' }) },
    ];
    const random = scriptedRandom(0.417, 0.902, 0.1, 0.2);
    const result = evaluateSheet(rows, ref, ctx({ random }));
    expect(result.rows[0].updates.individualNumber).toBe('100sk200');
    expect(result.problems).toEqual([]);
  });
});

describe('transliteration', () => {
  it('writes Russian names in Latin letters', () => {
    expect(transliterate('Светлана')).toBe('svetlana');
    expect(transliterate('Щукин Юрий Хрущёв')).toBe('shchukin yuriy khrushchev');
    expect(firstAndLastLatin(transliterate('Саша 🙂'))).toBe('sa');
    expect(firstAndLastLatin('_007bond_')).toBe('bd');
    expect(firstAndLastLatin('🙂')).toBeNull();
  });
});

describe('empty rows', () => {
  it('yields no problems and no updates', () => {
    expect(isRowEmpty(row())).toBe(true);
    expect(evaluateRow(row(), ref, ctx())).toEqual({ updates: {}, problems: [] });
  });

  it('clears what the script wrote once the manager cleared the row', () => {
    const cleared = row({ problems: 'Не указано имя', currentStage: 'Оплата', updatedAt: new Date() });
    expect(isRowEmpty(cleared)).toBe(true);
    expect(evaluateRow(cleared, ref, ctx()).updates).toEqual({ problems: '', currentStage: '' });
  });

  it('is not empty once anything is typed', () => {
    expect(isRowEmpty(row({ projectInfo: 'музыка' }))).toBe(false);
    expect(evaluateRow(row({ projectInfo: 'музыка' }), ref, ctx()).problems).toEqual([
      'Не указана дата первого взаимодействия', 'Не указано имя', 'Не указан менеджер', 'Не указан источник трафика',
    ]);
  });
});

describe('whole sheet', () => {
  it('reports a duplicate individual number on both rows and once for the sheet', () => {
    const rows = [2, 3, 4].map((n) => ({ rowNumber: n, values: lead({ individualNumber: n === 3 ? '111aa111' : '417sk902' }) }));
    const result = evaluateSheet(rows, ref, ctx());
    expect(result.rows[0].problems).toContain('Индивидуальный номер «417sk902» уже есть в строке 4');
    expect(result.rows[2].problems).toContain('Индивидуальный номер «417sk902» уже есть в строке 2');
    expect(result.problems).toContain('Индивидуальный номер «417sk902» повторяется в строках 2, 4');
    expect(result.problems).toContain('Ник @sasha_k повторяется в строках 2, 3, 4');
    expect(result.rows[1].problems).toContain('Ник @sasha_k уже есть в строках 2, 4');
  });

  it('gets through 100,000 rows', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({
      rowNumber: i + 2,
      values: lead({ username: `@client_${i}`, promoCode: i % 3 ? '' : 'prosto5', plan: 'Personal', stageNegotiation: i % 2 ? 'x' : '12.11', stagePaid: i % 10 ? '' : '20.11', paidAmount: i % 10 ? '' : '1 200,50', questionnaireFilled: 'Да' }),
    }));
    const result = evaluateSheet(rows, ref, ctx({ random: Math.random, idle: { idleDays: 3, workingDays: false } }));
    expect(result.rows).toHaveLength(100_000);
    expect(result.problems).toEqual([]);
    expect(new Set(result.rows.map((r) => r.updates.individualNumber).filter(Boolean)).size).toBe(10_000);
  });
});
