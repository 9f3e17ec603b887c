// Every Russian sentence of the two daily emails and of their «не удалось разобрать» notes, kept in
// one place so leadership-facing wording can be reviewed together.
import { formatRuDate, weekdayOf, type LocalDate } from '../dates';
import { formatDuration, THIN } from './format';
import { pluralForm, WORDS } from '../plural';

/** Long pasted values are shortened inside notes. */
function quote(value: unknown): string {
  const text = String(value ?? '').trim().replace(/\s+/g, ' ');
  return `«${text.length > 40 ? `${text.slice(0, 39)}…` : text}»`;
}

const WEEKDAYS = ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'];

export const weekdayName = (date: LocalDate): string => WEEKDAYS[weekdayOf(date)];

/** '22.11.2026, воскресенье' */
export const dayWithWeekday = (date: LocalDate): string => `${formatRuDate(date)}, ${weekdayName(date)}`;

export const days = (n: number): string => `${n}${THIN}${pluralForm(n, WORDS.day)}`;
/** After «старше», «более»: '1 дня', '3 дней', '21 дня'. */
export const daysOf = (n: number): string => `${n}${THIN}${pluralForm(n, WORDS.dayOf)}`;

export const rmsg = {
  // Reading cells
  notATime: (column: string, value: unknown) => `в «${column}» ${quote(value)} — не похоже на время после «Дата и время» (нужно ЧЧ:ММ)`,
  notACount: (column: string, value: unknown) => `в «${column}» ${quote(value)} — не целое неотрицательное число`,
  notAnAmount: (column: string, value: unknown) => `в «${column}» ${quote(value)} — не похоже на сумму`,
  missing: (column: string) => `не заполнено «${column}»`,
  zeroAmount: (column: string) => `«${column}» равна нулю`,

  // Subjects and common parts
  secretarySubject: (day: LocalDate, late: boolean) => `Отчёт секретаря за ${formatRuDate(day)}${late ? ' (с опозданием)' : ''}`,
  headOfSalesSubject: (day: LocalDate, late: boolean) => `Отчёт РОП за ${formatRuDate(day)}${late ? ' (с опозданием)' : ''}`,
  lateNotice: (minutes: number, dueAt?: string) => dueAt
    ? `Письмо отправлено с опозданием на ${formatDuration(minutes)}: оно должно было уйти ${dueAt} (по Москве), но в это время отправить не получилось. Цифры — за день, указанный в теме, по данным таблицы на момент отправки.`
    : `Письмо отправлено с опозданием на ${formatDuration(minutes)}: в назначенное время отправить не получилось. Данные — на момент отправки.`,
  openSheet: 'Открыть таблицу',
  generatedAt: (when: string) => `Сформировано автоматически ${when} (время московское).`,
  more: (n: number) => `… и ещё ${n}`,
  unparsedTitle: 'Не удалось разобрать',
  unparsedLead: (n: number) =>
    `${n} ${pluralForm(n, ['строка не учтена', 'строки не учтены', 'строк не учтены'])} в отчёте — их стоит поправить в таблице:`,
  unparsedLine: (sheet: string, row: number, reason: string) => `«${sheet}», строка ${row}: ${reason}`,
  total: 'Итого',
  none: '—',

  // 11:00 secretary summary
  secretaryTitle: (day: LocalDate) => `Отчёт секретаря за ${dayWithWeekday(day)}`,
  secretaryIntro: 'Обращения, которые секретарь внёс в лист «Отчёт секретаря» за день.',
  noRowsWarning: (day: LocalDate) =>
    `Внимание: за ${formatRuDate(day)} в «Отчёте секретаря» нет ни одной записи. ` +
    'Если в этот день были звонки, заявки или письма, попросите секретаря внести их в журнал.',
  keyTotal: 'Всего обращений за день',
  keyPrevious: (previousDay: LocalDate) => `Накануне, ${formatRuDate(previousDay)}`,
  keyPreviousValue: (previous: string, delta: string) => `${previous} (изменение ${delta})`,
  keyNewClients: 'Новых клиентов',
  keyNewRequests: 'Из них оформили заявку',
  keyCallbacks: 'Ждут обратного звонка',
  countAndPercent: (count: string, percent: string) => `${count} (${percent})`,
  channelsTitle: 'Обращения по каналам',
  channelHeader: ['Канал', 'За день', 'Накануне', 'Изменение'],
  channelMissing: 'Канал не указан',
  outcomesTitle: 'Чем закончились обращения',
  outcomeHeader: ['Результат', 'Обращений'],
  outcomeMissing: 'Результат не указан',
  newClientsTitle: 'Новые клиенты',
  newClientsLine: (n: number, requests: number, percent: string) =>
    n === 0
      ? 'Новых клиентов за день не было.'
      : `Новых клиентов: ${n}, из них оформили заявку: ${requests} (${percent}).`,
  transfersTitle: 'Передано менеджерам',
  transferHeader: ['Менеджер', 'Передано', 'Из них заявок'],
  noTransfers: 'За день никому из менеджеров обращения не передавались.',
  notTransferred: (n: number) => `Без передачи менеджеру: ${n}.`,
  callbacksTitle: 'Ждут обратного звонка',
  callbacksLead: (n: number) =>
    `Открытых «Перезвонить»: ${n}. Обращение считается открытым, пока по тому же клиенту (телефону, почте или имени) ` +
    'нет более поздней записи в журнале.',
  callbacksNone: 'Открытых «Перезвонить» нет — всем перезвонили.',
  callbackHeader: ['Когда', 'Клиент', 'Контакт', 'Менеджер', 'Суть'],
  waitingDays: (n: number) => (n <= 0 ? 'сегодня' : `ждёт ${days(n)}`),
  clientMissing: 'без имени',
  managerMissing: 'Без менеджера',
  reasonMissing: 'Причина не указана',

  // 19:45 head-of-sales summary
  headTitle: (day: LocalDate) => `Отчёт РОП за ${dayWithWeekday(day)}`,
  headIntro: 'Звонки и счета менеджеров за сегодня по листам «Звонки» и «Счета», Telegram-воронка — по «Аналитике».',
  keyIssued: 'Выставлено счетов',
  keyPaid: 'Оплачено счетов',
  keyCommission: 'Комиссия менеджеров',
  countAndSum: (count: number, sum: string) => `${count} на ${sum}`,
  missingCallsWarning: (deadline: string, names: string, past: boolean) =>
    past
      ? `Не заполнили «Звонки» к ${deadline}: ${names}.`
      : `Пока не заполнили «Звонки» (срок — ${deadline}): ${names}.`,
  allCallsFilled: (deadline: string) => `Все менеджеры заполнили «Звонки» к ${deadline}.`,
  noManagers: 'В «Справочниках» нет менеджеров, и за последние 14 дней в «Звонках» и «Счетах» никто не указан.',
  callsTitle: 'Звонки и заявки менеджеров',
  callsHeader: ['Менеджер', 'Входящие', 'Исходящие', 'Заявки по почте', 'Звонки текущим клиентам'],
  callsNotFilled: 'не заполнено',
  invoicesTitle: 'Счета и комиссия менеджеров',
  // «Доля оплаченных счетов» is about invoices; «Конверсия лидов» (paid ÷ taken, seed 000) is another figure.
  invoicesHeader: ['Менеджер', 'Выставлено сегодня', 'Оплачено сегодня', 'Доля оплаченных счетов', 'Комиссия'],
  invoicesFootnote: (percent: string, fixed: string) =>
    '«Оплачено сегодня» — счета с датой оплаты сегодня, включая выставленные раньше и частичные оплаты. ' +
    '«Доля оплаченных счетов» — доля сегодняшних счетов, которые уже оплачены полностью. ' +
    `«Комиссия» — ${percent} от суммы и ${fixed} за каждый счёт, полностью оплаченный сегодня (своя ставка менеджера — на листе «Менеджеры»).`,
  invoicesFootnoteShort:
    '«Оплачено сегодня» — счета с датой оплаты сегодня, включая выставленные раньше и частичные оплаты. ' +
    '«Доля оплаченных счетов» — доля сегодняшних счетов, которые уже оплачены полностью. Комиссия — ниже, в «Комиссия менеджеров».',
  channelsDayTitle: 'Счета по каналам',
  channelsDayHeader: ['Канал', 'Выставлено сегодня', 'Оплачено сегодня'],
  noInvoicesToday: 'Сегодня счета не выставлялись и оплат не было.',
  earlierTitle: 'Оплаты сегодня по ранее выставленным счетам',
  earlierNone: 'Сегодня оплат по ранее выставленным счетам не было.',
  earlierTotal: (n: number, sum: string) => `Всего: ${n} на ${sum}.`,
  earlierHeader: ['Счёт', 'Выставлен', 'Менеджер', 'Клиент', 'Оплачено'],
  overdueTitle: (n: number) => `Неоплаченные счета старше ${daysOf(n)}`,
  overdueNone: 'Просроченных счетов нет.',
  overdueTotal: (n: number, sum: string) => `Всего: ${n} на ${sum}.`,
  overdueHeader: ['Счёт', 'Выставлен', 'Менеджер', 'Клиент', 'Сумма'],
  overdueAge: (n: number) => `${days(n)} назад`,
  invoiceNoNumber: 'без номера',
  sheetRow: (n: number) => `строка ${n}`,
  paidInFull: 'оплачен полностью',
  paidPartly: (amount: string) => `частично, счёт на ${amount}`,
  keyEarlier: 'Из них по ранее выставленным',
  keyOverdue: 'Просроченных счетов',
  funnelTitle: 'Telegram-воронка («Аналитика»)',
  funnelMissing: 'Данные воронки сейчас недоступны — откройте лист «Воронка» в таблице.',
  funnelNewLeads: 'Новых лидов сегодня',
  funnelPaid: 'Оплат сегодня',
  funnelWaiting: 'Лидов сейчас в «Ожидании»',
  funnelConversion: 'Конверсия лидов за 30 дней',
  funnelConversionValue: (percent: string, paid: number, leads: number) => `${percent} (${paid} из ${leads})`,
  funnelStale: (n: number) => `Не обновляли «Аналитику» ${days(n)} и дольше`,
  funnelStaleNone: 'нет',
  staleEntry: (name: string, days_: number | null) => (days_ === null ? `${name} (ни разу)` : `${name} (${days(days_)})`),
};
