// Small builders that read like the sheet: a blank «Аналитика» row, the seed's promo codes and plans.
import { localDateToDate, type LocalDate } from '../../src/core/dates';
import { ANALYTICS_KEYS, type AnalyticsRow, type EvalContext } from '../../src/core/analytics';
import { buildReference, type Reference } from '../../src/core/reference';

export const TZ = 'Europe/Moscow';
export const TODAY: LocalDate = '2026-11-21';

/** A date cell as Sheets returns it: midnight Moscow. */
export const d = (date: LocalDate): Date => localDateToDate(date, TZ);

export function row(values: Partial<AnalyticsRow> = {}): AnalyticsRow {
  const r = {} as AnalyticsRow;
  for (const key of ANALYTICS_KEYS) r[key] = '';
  r.unusualProject = false;
  return Object.assign(r, values);
}

/** A lead with everything required filled, so a test sees only the problem it provokes. */
export function lead(values: Partial<AnalyticsRow> = {}): AnalyticsRow {
  return row({ firstContactDate: d('2026-11-10'), manager: 'Светлана', name: 'Саша', username: '@sasha_k', trafficSource: 'Сарафан', ...values });
}

/** Random digits that repeat a fixed script: 0.417 → 417, 0.902 → 902. */
export function scriptedRandom(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

export function ctx(over: Partial<EvalContext> = {}): EvalContext {
  return {
    today: TODAY,
    now: new Date(Date.UTC(2026, 10, 21, 9, 0)),
    tz: TZ,
    random: scriptedRandom(0.417, 0.902),
    takenNumbers: new Set(),
    ...over,
  };
}

export function reference(): Reference {
  return buildReference({
    promoRows: [
      { code: 'prosto5', partner: 'Александр Сидоренко', discountPercent: 5, active: true, comment: '' },
      { code: 'sydorenko', partner: 'Александр Сидоренко', discountPercent: '10%', active: true, comment: '' },
      { code: 'dorens', partner: 'Александр Сидоренко', discountPercent: 0.15, active: true, comment: '' },
      { code: 'online5off', partner: 'Юрий Рыбак', discountPercent: '5', active: true, comment: '' },
      { code: 'STRIPE5%', partner: 'Георгий', discountPercent: 5, active: true, comment: 'Подтвердить скидку' },
      { code: 'erntoday5%', partner: 'Муар', discountPercent: 5, active: true, comment: '' },
      { code: 'ALEX10', partner: 'Алекс Мери', discountPercent: 10, active: false, comment: '' },
    ],
    planRows: [
      { plan: 'Personal', price: 490, currency: 'EUR' },
      { plan: 'Lite', price: 990, currency: 'EUR' },
      { plan: 'Pro', price: '', currency: 'EUR' },
    ],
    partnerRows: [
      { partner: 'Александр Сидоренко', emails: 'alex@example.com', defaultPercent: 10, active: true, sheetUrl: '', lastSync: '' },
      { partner: 'Юрий Рыбак', emails: 'yuri@example.com', defaultPercent: 10, active: true, sheetUrl: '', lastSync: '' },
      { partner: 'Георгий', emails: '', defaultPercent: '', active: true, sheetUrl: '', lastSync: '' },
      { partner: 'Муар', emails: '', defaultPercent: '', active: true, sheetUrl: '', lastSync: '' },
      { partner: 'Алекс Мери', emails: '', defaultPercent: '', active: true, sheetUrl: '', lastSync: '' },
    ],
  }, TZ);
}
