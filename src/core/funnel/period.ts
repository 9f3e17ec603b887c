// The period selector of «Воронка»: which leads form the cohort, by «Дата первого взаимодействия».
import { FUNNEL_PERIODS, type FunnelPeriod } from '../../../sheets-templates/funnel';
import { addDays, addMonths, startOfMonth, toLocalDate, type LocalDate } from '../dates';

export { FUNNEL_PERIODS, type FunnelPeriod };

export const DEFAULT_FUNNEL_PERIOD: FunnelPeriod = 'Всё время';

/** Inclusive Moscow date range; null for «Всё время» (every lead, dated or not). */
export interface PeriodRange {
  from: LocalDate;
  to: LocalDate;
}

/** The selector cell as the job reads it: unknown or empty text falls back to «Всё время». */
export function parseFunnelPeriod(value: unknown): FunnelPeriod {
  const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ') : '';
  for (const p of FUNNEL_PERIODS) if (p.toLowerCase().replace(/ё/g, 'е') === text) return p;
  return DEFAULT_FUNNEL_PERIOD;
}

/** «Today» given either as a Moscow LocalDate or as an instant (converted in `tz`). */
export function resolveToday(today: LocalDate | Date, tz: string): LocalDate {
  return typeof today === 'string' ? today : toLocalDate(today, tz);
}

/**
 * Date range of a period. Rolling periods end today: a first-contact date in the future is a typo the
 * row rules already flag, so it shows only under «Всё время». «7 дней» is today and the 6 days before.
 */
export function periodRange(period: FunnelPeriod, today: LocalDate): PeriodRange | null {
  switch (period) {
    case 'Всё время':
      return null;
    case 'Этот месяц':
      return { from: startOfMonth(today), to: today };
    case 'Прошлый месяц': {
      const thisMonth = startOfMonth(today);
      return { from: addMonths(thisMonth, -1), to: addDays(thisMonth, -1) };
    }
    case '7 дней':
      return { from: addDays(today, -6), to: today };
    case '30 дней':
      return { from: addDays(today, -29), to: today };
  }
}

/** True when a lead with this first-contact date belongs to the cohort. */
export function inPeriod(firstContact: LocalDate | null, range: PeriodRange | null): boolean {
  if (range === null) return true;
  return firstContact !== null && firstContact >= range.from && firstContact <= range.to;
}
