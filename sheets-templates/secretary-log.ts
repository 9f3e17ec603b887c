// «Отчёт секретаря» (SPEC §3.4, seed 004 «Для секретаря»): one row per incoming contact; the 11:00
// summary for the previous day is built from it.
import type { DemoValue, SheetDefInput } from './schema';

type Row = Record<string, DemoValue>;

/** '12:35' + 25 → '13:00' (demo times stay within the day). */
function plusMinutes(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number);
  const total = Math.min(23 * 60 + 59, h * 60 + m + minutes);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * [day, time, channel, client, company, contact, city, person, new client, request, transferred to, outcome, comment,
 * minutes to the transfer | null, minutes to the callback | null]
 */
const DEMO: ReadonlyArray<readonly [number, string, string, string, string, string, string, string, string, string, string, string, string, (number | null)?, (number | null)?]> = [
  [-7, '09:40', 'Входящий звонок', 'Ирина Маслова', '', '+7 916 204-11-35', 'Москва', 'Физ.', 'Да', 'Хочет подключить Stripe к магазину на Shopify', 'Светлана', 'Заявка оформлена', ''],
  [-7, '12:15', 'Заявка с сайта', 'Олег Ткачёв', 'ООО «Ткачёв и партнёры»', 'o.tkachev@example.com', 'Казань', 'Юр.', 'Да', 'Тариф Pro для двух магазинов', 'Олег', 'Консультация', ''],
  [-7, '16:30', 'Входящее письмо', 'no-reply', '', 'promo@example.net', '', '', 'Нет', 'Рассылка', '', 'Спам', ''],
  [-6, '10:05', 'Звонок на консультацию', 'Анастасия', '', '+7 903 555-20-19', 'Санкт-Петербург', 'Физ.', 'Да', 'Какие документы нужны для верификации', 'Марина', 'Консультация', ''],
  [-6, '14:50', 'Входящий звонок', 'Руслан Гиматов', 'ИП Гиматов', '+7 987 310-44-02', 'Уфа', 'Юр.', 'Нет', 'Вопрос по оплате ранее выставленного счёта', 'Олег', 'Консультация', ''],
  [-5, '09:20', 'Заявка с сайта', 'Марк Левин', '', 'mark.levin@example.com', 'Минск', 'Физ.', 'Да', 'Тариф Personal, магазин одежды', 'Светлана', 'Заявка оформлена', ''],
  [-5, '11:45', 'Входящий звонок', 'Елена Сорокина', 'ООО «Сорока»', '+7 912 700-81-13', 'Екатеринбург', 'Юр.', 'Да', 'Подключение для интернет-магазина косметики', 'Марина', 'Перезвонить', 'Просила перезвонить после 15:00'],
  [-4, '13:10', 'Входящее письмо', 'Ahmed K.', '', 'ahmed.k@example.com', 'Алматы', 'Физ.', 'Да', 'Можно ли продавать цифровые товары', 'Олег', 'Консультация', ''],
  [-4, '17:25', 'Входящий звонок', 'Неизвестный', '', '+7 495 000-00-00', '', '', 'Нет', 'Реклама услуг', '', 'Спам', ''],
  [-3, '10:30', 'Заявка с сайта', 'Дарья Белова', '', 'dasha.belova@example.com', 'Новосибирск', 'Физ.', 'Да', 'Тариф Lite, проверка сайта', 'Светлана', 'Заявка оформлена', ''],
  [-3, '15:00', 'Звонок на консультацию', 'Виталий Орлов', 'ООО «Орлан»', '+7 921 118-64-70', 'Санкт-Петербург', 'Юр.', 'Нет', 'Второй магазин на действующий аккаунт', 'Марина', 'Отказ', 'Нужен новый домен и shopid'],
  [-2, '09:15', 'Входящий звонок', 'Светлана Гусева', '', '+7 926 441-09-87', 'Москва', 'Физ.', 'Да', 'Сколько стоит Personal', 'Олег', 'Заявка оформлена', ''],
  [-2, '11:40', 'Входящее письмо', 'Пётр Алексеев', 'ИП Алексеев', 'p.alekseev@example.com', 'Тверь', 'Юр.', 'Да', 'Нужен договор на оказание услуги', 'Светлана', 'Перезвонить', ''],
  [-2, '16:05', 'Заявка с сайта', 'Юрий', '', 'yuri@example.com', '', 'Физ.', 'Нет', 'Повторная заявка', 'Марина', 'Консультация', 'Дубль вчерашней заявки'],
  [-1, '09:05', 'Входящий звонок', 'Андрей Жуков', 'ООО «Жук»', '+7 915 330-12-48', 'Воронеж', 'Юр.', 'Да', 'Подключение Stripe для магазина запчастей', 'Светлана', 'Заявка оформлена', '', 1, null],
  [-1, '10:20', 'Заявка с сайта', 'Мария Гончар', '', 'm.gonchar@example.com', 'Киев', 'Физ.', 'Да', 'Тариф Personal', 'Марина', 'Заявка оформлена', '', 12, 7],
  [-1, '12:35', 'Входящее письмо', 'Константин', '', 'kostya@example.com', 'Пермь', 'Физ.', 'Да', 'Сроки подключения', 'Олег', 'Перезвонить', 'Занят до вечера', 3, 25],
  [-1, '14:10', 'Звонок на консультацию', 'Алия Нурланова', '', '+7 701 222-33-44', 'Астана', 'Физ.', 'Да', 'Подойдёт ли магазин товаров для животных', 'Светлана', 'Консультация', '', 2, null],
  [-1, '15:45', 'Входящий звонок', 'Денис Ершов', 'ИП Ершов', '+7 999 808-70-60', 'Самара', 'Юр.', 'Нет', 'Оплата по счёту С-104', 'Олег', 'Консультация', '', 4, null],
  [-1, '18:20', 'Входящее письмо', 'Рассылка', '', 'news@example.org', '', '', 'Нет', 'Рекламное письмо', '', 'Спам', ''],
  [0, '09:30', 'Входящий звонок', 'Татьяна Лебедева', '', '+7 905 144-52-31', 'Москва', 'Физ.', 'Да', 'Тариф Pro, магазин электроники', 'Марина', 'Заявка оформлена', ''],
];

export const secretaryLogSheet = {
  key: 'secretaryLog',
  name: 'Отчёт секретаря',
  aliases: ['Отчет секретаря', 'Секретарь'],
  frozenColumns: 1,
  description: 'Каждый входящий звонок, заявка и письмо; сводка за вчера уходит руководству в 11:00.',
  columns: [
    { key: 'dateTime', header: 'Дата и время', aliases: ['Дата', 'Время'], type: 'datetime', validation: { kind: 'date' }, width: 140 },
    { key: 'channel', header: 'Канал', type: 'text', validation: { kind: 'list', list: 'secretaryChannels', strict: true }, width: 170 },
    { key: 'client', header: 'Клиент', aliases: ['ФИО', 'Имя'], type: 'text', width: 170 },
    { key: 'company', header: 'Компания', type: 'text', width: 170 },
    { key: 'contact', header: 'Телефон / email', aliases: ['Телефон', 'Контакт', 'Телефон/email'], type: 'text', width: 180 },
    { key: 'city', header: 'Город', type: 'text', width: 120 },
    { key: 'personType', header: 'Лицо', aliases: ['Физ./Юр.', 'Тип лица'], type: 'text', validation: { kind: 'list', list: 'personTypes', strict: true }, width: 70 },
    { key: 'newClient', header: 'Новый клиент', type: 'text', validation: { kind: 'list', list: 'yesNo', strict: true }, width: 90 },
    { key: 'request', header: 'Суть запроса', aliases: ['Запрос'], type: 'text', width: 280 },
    { key: 'transferredTo', header: 'Передано менеджеру', aliases: ['Передано', 'Менеджер'], type: 'text', validation: { kind: 'list', list: 'managers', strict: false }, width: 140 },
    // Seed 004: a caller waits on the line at most 2 minutes. Measured from «Дата и время».
    { key: 'transferredAt', header: 'Передано в', aliases: ['Время передачи'], type: 'datetime', numberFormat: 'HH:mm', width: 90, note: 'Во сколько звонок или заявка переданы менеджеру: ЧЧ:ММ, или x — встанет текущее время. Норма — 2 минуты от «Дата и время»' },
    { key: 'outcome', header: 'Результат', type: 'text', validation: { kind: 'list', list: 'secretaryOutcomes', strict: true }, width: 150 },
    // Seed 004: a request is called back within 5–10 minutes; so is a «Перезвонить» the manager promised.
    { key: 'calledBackAt', header: 'Перезвонили в', aliases: ['Время перезвона'], type: 'datetime', numberFormat: 'HH:mm', width: 100, note: 'Во сколько клиенту перезвонили: ЧЧ:ММ, или x — встанет текущее время. Норма — 10 минут от «Дата и время»' },
    { key: 'comment', header: 'Комментарий', type: 'text', width: 220 },
  ],
  demo: DEMO.map(([day, time, channel, client, company, contact, city, personType, newClient, request, transferredTo, outcome, comment, toTransfer, toCallback]): Row => ({
    dateTime: { relDays: day, time }, channel, client, company, contact, city, personType, newClient, request, transferredTo, outcome, comment,
    transferredAt: toTransfer == null ? '' : { relDays: day, time: plusMinutes(time, toTransfer) },
    calledBackAt: toCallback == null ? '' : { relDays: day, time: plusMinutes(time, toCallback) },
  })),
} satisfies SheetDefInput;
