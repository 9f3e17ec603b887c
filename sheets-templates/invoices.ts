// «Счета» (SPEC §3.4, seed 004 «Для РОП»): one row per invoice / КП; payments on earlier invoices are
// added by 10:00. «Статус» is computed by the script.
import type { DemoValue, SheetDefInput } from './schema';

/** Values of «Статус». */
export const INVOICE_STATUSES = {
  issued: 'Выставлен',
  paid: 'Оплачен',
  partlyPaid: 'Частично',
  overdue: 'Просрочен',
} as const;

/** [№, issued day, manager, client, channel, amount, paid day | null, paid amount | '', payment entered (day, time)] */
const DEMO: ReadonlyArray<readonly [string, number, string, string, string, number, number | null, number | '', [number, string]?]> = [
  ['С-101', -12, 'Светлана', 'ООО «Альфа Трейд»', 'Входящий звонок', 1200, null, ''],   // overdue
  ['С-102', -10, 'Марина', 'ИП Соколова', 'Заявка', 550, -8, 550],
  ['С-103', -9, 'Олег', 'ООО «Бетта Групп»', 'Исходящий звонок', 350, null, ''],        // overdue
  ['С-104', -6, 'Светлана', 'ООО «Вектор»', 'Заявка', 1200, -4, 600],                 // partly paid
  ['С-105', -5, 'Марина', 'ИП Кузнецов', 'Входящий звонок', 350, -5, 350],
  ['С-106', -3, 'Олег', 'Студия «Лето»', 'Заявка', 550, 0, 550],                      // paid today, issued earlier
  ['С-107', -2, 'Светлана', 'ООО «Норд»', 'Исходящий звонок', 350, null, ''],
  ['С-108', -1, 'Марина', 'ИП Миронова', 'Заявка', 1200, 0, 400],                     // partly, today
  ['С-109', 0, 'Светлана', 'ООО «Сфера»', 'Входящий звонок', 550, 0, 550],
  ['С-110', 0, 'Олег', 'ИП Белов', 'Исходящий звонок', 350, null, ''],
  ['С-111', 0, 'Марина', 'ООО «Терра»', 'Заявка', 1200, null, ''],
  // Paid yesterday, entered this morning before 10:00: today's 19:45 lists it as «внесено с опозданием».
  ['С-112', -4, 'Олег', 'ИП Громова', 'Входящий звонок', 550, -1, 550, [0, '09:20']],
];

export const invoicesSheet = {
  key: 'invoices',
  name: 'Счета',
  aliases: ['Счета и КП', 'Счета/КП'],
  frozenColumns: 1,
  description: 'Выставленные счета и КП; оплаты по ранее выставленным вносятся до 10:00.',
  columns: [
    { key: 'number', header: '№', aliases: ['Номер', '№ счёта', '№ счета'], type: 'text', width: 80 },
    { key: 'issueDate', header: 'Дата выставления', type: 'date', validation: { kind: 'date' }, width: 120 },
    { key: 'manager', header: 'Менеджер', type: 'text', validation: { kind: 'list', list: 'managers', strict: true }, width: 140 },
    { key: 'client', header: 'Клиент', type: 'text', width: 200 },
    { key: 'channel', header: 'Канал', type: 'text', validation: { kind: 'list', list: 'invoiceChannels', strict: true }, width: 150 },
    { key: 'amount', header: 'Сумма', aliases: ['Сумма счёта', 'Сумма счета'], type: 'money', validation: { kind: 'number', min: 0, strict: false }, width: 110 },
    { key: 'paymentDate', header: 'Дата оплаты', type: 'date', validation: { kind: 'date' }, width: 120, note: 'Дата последней оплаты' },
    { key: 'paidAmount', header: 'Сумма оплаты', aliases: ['Оплачено'], type: 'money', validation: { kind: 'number', min: 0, strict: false }, width: 110, note: 'Всего оплачено по счёту' },
    { key: 'status', header: 'Статус', type: 'text', edit: 'script', width: 110, note: `Ставит скрипт: ${Object.values(INVOICE_STATUSES).join(', ')}` },
    // Seed 004: payments on earlier invoices are entered by 10:00 the next morning. The moment of entry
    // tells a late entry (dated before the last 19:45 summary) so it reaches the next one.
    { key: 'paymentEnteredAt', header: 'Оплата внесена', aliases: ['Внесено'], type: 'datetime', edit: 'script', width: 130, note: 'Ставит скрипт, когда в строку вносят «Дата оплаты» или «Сумма оплаты». Оплата, внесённая после вечернего отчёта своего дня, попадает в следующий как «внесено с опозданием»' },
  ],
  demo: DEMO.map(([number, day, manager, client, channel, amount, paidDay, paidAmount, entered]): Record<string, DemoValue> => ({
    number, issueDate: { relDays: day }, manager, client, channel, amount,
    paymentDate: paidDay === null ? '' : { relDays: paidDay }, paidAmount,
    paymentEnteredAt: paidDay === null ? '' : entered ? { relDays: entered[0], time: entered[1] } : { relDays: paidDay, time: '17:30' },
  })),
} satisfies SheetDefInput;
