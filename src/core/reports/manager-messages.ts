// Every Russian sentence of the managers' morning email «Кого дожать сегодня» and of what the follow-up
// feature adds to the 11:00 and 19:45 emails (per-manager results, late payments, response times), kept
// together so the wording can be reviewed in one place.
import { formatRuDate, type LocalDate } from '../dates';
import { countOf, pluralForm, WORDS } from '../plural';
import { THIN } from './format';
import type { FollowUpKind } from './follow-up';

const LEADS: readonly [string, string, string] = ['лид', 'лида', 'лидов'];
const days = (n: number) => `${n}${THIN}${pluralForm(n, WORDS.day)}`;
const minutes = (n: number) => `${Math.round(n * 10) / 10}`.replace('.', ',') + `${THIN}мин`;

export const mmsg = {
  // ---- «Кого дожать сегодня» --------------------------------------------------------------------
  subject: (manager: string, day: LocalDate, late: boolean) => `Кого дожать сегодня, ${formatRuDate(day)} — ${manager}${late ? ' (с опозданием)' : ''}`,
  title: (manager: string) => `Кого дожать сегодня — ${manager}`,
  intro: 'Ваши лиды из «Аналитики» и обращения из «Отчёта секретаря», которые ждут вас сегодня. Ссылка «строка N» открывает строку в таблице: отметьте там, что сделали, — завтрашнее письмо это учтёт.',
  nothing: 'Сегодня дожимать некого: ссылок без оплаты, лидов в «Ожидании» и подвисших нет, перезвонов и проблем в ваших строках тоже. Хорошего дня!',
  total: (n: number) => `Всего: ${countOf(n, LEADS)} и обращений`,
  section: (kind: FollowUpKind, stuckDays: number): string => {
    switch (kind) {
      case 'linkSent': return 'Ссылка на оплату отправлена — оплаты нет';
      case 'waiting': return 'В «Ожидании» — клиент давно не на связи';
      case 'renegotiation': return 'Повторные переговоры — пора продолжить';
      case 'stuck': return `Подвисли — этап не меняется дольше ${countOf(stuckDays, WORDS.dayOf)}`;
      case 'callback': return 'Перезвонить — передал секретарь';
      case 'problems': return 'Строки с проблемами — поправьте';
    }
  },
  key: (kind: FollowUpKind): string => {
    switch (kind) {
      case 'linkSent': return 'Ждут оплату после ссылки';
      case 'waiting': return 'В «Ожидании»';
      case 'renegotiation': return 'Повторные переговоры';
      case 'stuck': return 'Подвисли';
      case 'callback': return 'Перезвонить';
      case 'problems': return 'Строки с проблемами';
    }
  },
  header: ['Клиент', 'Этап', 'Ждёт', 'Где'],
  waited: (n: number | null) => (n === null ? '—' : n <= 0 ? 'с сегодня' : days(n)),
  since: (d: LocalDate) => `с ${formatRuDate(d)}`,
  row: (n: number) => `строка ${n}`,
  secretaryRow: (n: number) => `секретарь, строка ${n}`,

  // ---- 19:45: per-manager results -------------------------------------------------------------
  resultsTitle: 'Лиды менеджеров («Аналитика»)',
  resultsHeader: ['Менеджер', 'Сегодня', '30 дней', 'Этот месяц', 'Средний чек', 'Ожидание / подвисли'],
  taken: (taken: number, paid: number) => `${taken} → ${paid}`,
  /** Under «взято → оплатили»: the share, named in the footnote as «Конверсия лидов». */
  conversion: (pct: string) => pct,
  averageOf: (n: number) => `по ${n} ${pluralForm(n, ['оплате', 'оплатам', 'оплатам'])}`,
  waitingStuck: (waiting: number, stuck: number) => `${waiting} / ${stuck}`,
  resultsFootnote: (stuckDays: number) =>
    '«Взято → оплатили»: лиды с датой первого взаимодействия в этом периоде и сколько из них уже оплатили; ' +
    'под ними — «Конверсия лидов», их доля (оплатили ÷ взято в работу). Средний чек — оплаты лидов за 30 дней. ' +
    `«Ожидание» — текущий этап лида; «подвисли» — этап не менялся дольше ${countOf(stuckDays, WORDS.dayOf)}.`,
  refusalsTitle: 'Отказы за 30 дней по причинам',
  refusalsHeader: ['Менеджер', 'Причины'],
  refusalsNone: 'За 30 дней отказов не было.',
  reasonCount: (reason: string, n: number) => `${reason} — ${n}`,
  commissionTitle: 'Комиссия менеджеров',
  commissionHeader: ['Менеджер', 'Сегодня', 'С начала месяца', 'Ставка'],
  commissionBasis: (invoices: number, leads: number) =>
    invoices + leads === 0 ? 'оплат нет' : `счетов ${invoices}, лидов ${leads}`,
  rate: (percent: string, fixed: string) => `${percent} + ${fixed}`,
  rateOwn: 'своя, лист «Менеджеры»',
  rateDefault: 'общая, «Настройки»',
  commissionFootnote: (monthStart: LocalDate) =>
    'Комиссия — процент от суммы плюс фиксированная сумма за каждый полностью оплаченный счёт («Счета», по дате оплаты) ' +
    `и за каждого оплатившего лида («Аналитика», по дате «Оплата»). «С начала месяца» — с ${formatRuDate(monthStart)}. ` +
    'Ставка менеджера — на листе «Менеджеры», пустая — из «Настроек».',
  noEmail: (names: string) => `Без адреса на листе «Менеджеры» — утреннее письмо «Кого дожать сегодня» им не уходит: ${names}.`,

  // ---- 19:45: payments entered late ----------------------------------------------------------
  lateTitle: 'Оплаты, внесённые с опозданием',
  lateLead: (n: number, sum: string) =>
    `${countOf(n, ['оплата', 'оплаты', 'оплат'])} на ${sum}: дата оплаты раньше сегодняшней, а внесены после прошлого отчёта РОП — ни в один отчёт ещё не попадали.`,
  lateHeader: ['Счёт', 'Дата оплаты', 'Внесено', 'Менеджер', 'Оплачено'],
  lateAfterDeadline: (deadline: string) => `позже ${deadline} следующего дня`,
  keyLate: 'Внесено с опозданием',

  // ---- 11:00: response times -------------------------------------------------------------------
  responseTitle: 'Скорость ответа',
  callbackKey: 'Перезвонили клиенту',
  transferKey: 'Перевели на менеджера',
  responseValue: (within: number, count: number, target: number, median: number) =>
    `${within} из ${count} за ${target}${THIN}мин; медиана ${minutes(median)}`,
  responseMissing: 'Время перезвона и перевода за день не заполнено («Перезвонили в», «Передано в») — скорость ответа не посчитана.',
  responseNote: (callbackTarget: number, transferTarget: number) =>
    `Норма: перезвонить клиенту — в течение 5–${callbackTarget} минут после обращения, перевести звонок на менеджера — за ${transferTarget} минуты. Считается от «Дата и время».`,
  slowTitle: 'Дольше нормы',
  slowHeader: ['Когда', 'Клиент', 'Менеджер', 'Что', 'Ждал'],
  slowCallback: 'перезвон',
  slowTransfer: 'перевод',
  slowMinutes: (n: number) => minutes(n),
};
