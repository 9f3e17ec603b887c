import { describe, expect, it } from 'vitest';
import { foldPromoCode } from '../../src/core/analytics';
import { buildReference, type ReferenceRow } from '../../src/core/reference';
import { TZ } from './fixtures';

const promo = (code: string, partner: string, discountPercent: ReferenceRow[string], active: ReferenceRow[string] = true): ReferenceRow =>
  ({ code, partner, discountPercent, active, comment: '' });
const build = (promoRows: ReferenceRow[], planRows: ReferenceRow[] = [], partnerRows: ReferenceRow[] = []) =>
  buildReference({ promoRows, planRows, partnerRows }, TZ);

describe('Промокоды', () => {
  it('reads the discount typed as 5, «5», «5%», «5,5 %» or as a percent-formatted cell (0.05)', () => {
    const ref = build([promo('a1', 'P', 5), promo('a2', 'P', '5'), promo('a3', 'P', '5%'), promo('a4', 'P', '5,5 %'), promo('a5', 'P', 0.05), promo('a6', 'P', 0.15)]);
    expect(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((c) => ref.promoByCode.get(c)?.discountPercent)).toEqual([5, 5, 5, 5.5, 5, 15]);
    expect(ref.problems).toEqual([]);
  });

  it('finds codes by their folded form: case, spaces, look-alike Cyrillic letters and %', () => {
    const ref = build([promo('STRIPE5%', 'Георгий', 5), promo('erntoday5%', 'Муар', 5)]);
    expect(foldPromoCode(' СТRIРЕ5% ')).toBe('ctripe5%'); // С→c: a different code, not a match
    expect(ref.promoByCode.get(foldPromoCode(' stripe5% '))?.code).toBe('STRIPE5%');
    expect(ref.promoByCode.get(foldPromoCode('ЕRNТОDАУ5%'))?.code).toBe('erntoday5%'); // Е Т О А У typed in Cyrillic
    expect(ref.promoByCode.get(foldPromoCode('erntoday5'))).toBeUndefined(); // the % belongs to the code
    expect(ref.promoByCode.get(foldPromoCode('еrntоdаy5%'))?.code).toBe('erntoday5%');
  });

  it('reports a code given to two partners', () => {
    const ref = build([promo('prosto5', 'Александр Сидоренко', 5), promo('PROSTO5', 'Юрий Рыбак', 5)]);
    expect(ref.problems).toEqual(['Промокод «prosto5» записан за разными партнёрами: «Александр Сидоренко», «Юрий Рыбак»']);
  });

  it('reports a code written twice for the same partner', () => {
    const ref = build([promo('dorens', 'А', 15), promo('dorens', 'А', 15)]);
    expect(ref.problems).toEqual(['Промокод «dorens» встречается в листе «Промокоды» несколько раз (строки 2, 3)']);
  });

  it('prefers the active row of a repeated code', () => {
    const ref = build([promo('x5', 'А', 5, false), promo('x5', 'А', 7, true)]);
    expect(ref.promoByCode.get('x5')?.discountPercent).toBe(7);
  });

  it('reports a bad or missing percentage and a missing partner', () => {
    const ref = build([promo('a', 'P', 'много'), promo('b', 'P', 150), promo('c', '', 5), { code: '', partner: '' }, promo('d', 'P', '')]);
    expect(ref.problems).toEqual([
      'Лист «Промокоды», строка 2: процент «много» не число от 0 до 100',
      'Лист «Промокоды», строка 3: процент «150» не число от 0 до 100',
      'Лист «Промокоды», строка 4: у промокода «c» не указан партнёр',
      'Лист «Промокоды», строка 6: у промокода «d» не указана скидка',
    ]);
  });

  it('reads «Активен»: unticked or «Нет» is inactive, an empty cell is active', () => {
    const ref = build([promo('a', 'P', 5, false), promo('b', 'P', 5, 'Нет'), promo('c', 'P', 5, ''), promo('d', 'P', 5, 'Да')]);
    expect(['a', 'b', 'c', 'd'].map((c) => ref.promoByCode.get(c)?.active)).toEqual([false, false, true, true]);
  });

  it('reports a code whose partner is missing from «Партнёры»', () => {
    const ref = build([promo('a', 'Незнакомец', 5)], [], [{ partner: 'Георгий', emails: '', active: true }]);
    expect(ref.problems).toEqual(['Партнёр «Незнакомец» промокода «a» отсутствует в листе «Партнёры»']);
  });
});

describe('Тарифы', () => {
  it('finds plans by name in any case and leaves an empty price for later', () => {
    const ref = build([], [{ plan: 'Personal', price: '490', currency: 'EUR' }, { plan: 'Pro', price: '', currency: 'EUR' }]);
    expect(ref.planByName.get('personal')).toEqual({ name: 'Personal', price: 490, currency: 'EUR' });
    expect(ref.planByName.get('pro')?.price).toBeNull();
    expect(ref.problems).toEqual([]);
  });

  it('reports a price that is not a number', () => {
    expect(build([], [{ plan: 'Lite', price: 'договорная' }]).problems).toEqual(['Цена плана «Lite» в листе «Тарифы» не число больше нуля: «договорная»']);
  });
});

describe('Партнёры', () => {
  const partner = (name: string, emails = ''): ReferenceRow => ({ partner: name, emails, defaultPercent: '', active: true, sheetUrl: '', lastSync: '' });

  it('knows a partner whose name in «Промокоды» was typed with a Latin «A», as the sync does', () => {
    const ref = build([promo('mary10', 'Aлекс Мери', 10)], [], [partner('Алекс Мери')]); // Latin A
    expect(ref.problems).toEqual([]);
    expect(build([promo('x10', 'Кто-то', 10)], [], [partner('Алекс Мери')]).problems).toEqual(['Партнёр «Кто-то» промокода «x10» отсутствует в листе «Партнёры»']);
  });

  it('reports a partner listed twice, also when the two spellings differ only in look-alike letters', () => {
    expect(build([], [], [partner('Алекс Мери'), partner('Aлекс Mери')]).problems).toEqual(['Партнёр «Aлекс Mери» указан в листе «Партнёры» несколько раз']);
  });

  it('leaves partners’ emails to the partner sync, which reports a wrong one there', () => {
    expect(build([], [], [partner('Муар', 'a@x.com, oops')]).problems).toEqual([]);
  });
});
