// «Воронка» (SPEC §3.5): a dashboard the funnel job writes; only the period selector is the user's.
import type { SheetDefInput } from './schema';

export const FUNNEL_PERIODS = ['Всё время', 'Этот месяц', 'Прошлый месяц', '7 дней', '30 дней'] as const;
export type FunnelPeriod = (typeof FUNNEL_PERIODS)[number];

export const funnelSheet = {
  key: 'funnel',
  name: 'Воронка',
  aliases: ['Воронка продаж'],
  kind: 'dashboard',
  // Everything but the selector is rewritten on every refresh, so a stray edit costs nothing.
  protect: 'everyone',
  description: 'Воронка продаж по «Аналитике»: этапы, конверсии, разбивки по источникам, планам, менеджерам и партнёрам.',
  columns: [],
  controls: [
    {
      key: 'period', label: 'Период', labelCell: 'A1', cell: 'B1',
      values: [...FUNNEL_PERIODS], default: 'Всё время',
      note: 'Лиды по дате первого взаимодействия',
    },
  ],
} satisfies SheetDefInput;
