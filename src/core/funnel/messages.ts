// Every Russian string of the «Воронка» dashboard and the funnel part of the 19:45 email, kept together
// so the wording can be reviewed in one place.
import { formatRuDate, type LocalDate } from '../dates';

export const funnelText = {
  periodTitle: (period: string, from: LocalDate | null, to: LocalDate | null) =>
    from && to ? `Воронка за период: ${period} (${formatRuDate(from)} – ${formatRuDate(to)})` : `Воронка за период: ${period}`,
  asOf: (today: LocalDate) => `Данные на ${formatRuDate(today)}; лиды отобраны по дате первого взаимодействия`,
  undatedNote: (count: number) =>
    `Лидов без даты первого взаимодействия: ${count} — они учтены только в периоде «Всё время»`,
  leads: 'Лидов',
  leadsColumn: 'Лиды',
  paid: 'Оплачено',
  conversion: 'Конверсия',
  revenue: 'Выручка',
  averageCheck: 'Средний чек',
  refused: 'Отказов',
  withCurrency: (label: string, currency: string) => (currency ? `${label}, ${currency}` : label),

  mainTitle: 'Этап',
  reached: 'Дошли',
  reachedCumulative: 'Дошли (накопительно)',
  currentlyIn: 'Сейчас на этапе',
  fromFirst: 'Конверсия от первого контакта',
  fromPrevious: 'Конверсия от предыдущего этапа',
  sideTitle: 'Боковой этап',
  noStage: 'Без отметок этапов',

  bySource: 'По источникам трафика',
  byPlan: 'По планам',
  byManager: 'По менеджерам (конверсия = оплачено / взято в работу)',
  byPartner: 'По партнёрам',
  byPromoCode: 'По промокодам',
  sourceColumn: 'Источник трафика',
  planColumn: 'План',
  managerColumn: 'Менеджер',
  partnerColumn: 'Партнёр',
  promoCodeColumn: 'Промокод',
  takenInWork: 'Взято в работу',
  refusedColumn: 'Отказы',

  reasonsTitle: 'Причины отказа',
  reasonColumn: 'Причина',
  reasonCount: 'Отказов',
  reasonShare: 'Доля',

  notSpecified: '(не указан)',
  noData: '(нет данных)',
  others: (groups: number) => `Прочие (${groups})`,

  chartTitle: 'Воронка: дошли до этапа (накопительно)',
  refreshed: (period: string, leads: number, rows: number) =>
    `Воронка обновлена. Период: ${period}. Лидов в периоде: ${leads} (строк в «Аналитике»: ${rows}).`,
  deferred: 'Таблица большая: воронка обновится по расписанию в ближайшие минуты.',
  busy: 'Таблица занята: воронка обновится по расписанию в ближайшие минуты.',
  missingSheet: (name: string) => `Нет листа «${name}». Запустите «Настроить таблицу».`,
} as const;
