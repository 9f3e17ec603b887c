// «Аффилейты» (SPEC §3.3, seed 001 «Таблицы аффилейтов»): the master list of partner clients, kept in
// step with paid leads of «Аналитика» by the sync; each partner's own spreadsheet is cut from it.
import type { SheetDefInput } from './schema';

export const affiliatesSheet = {
  key: 'affiliates',
  name: 'Аффилейты',
  aliases: ['Аффилиаты', 'Таблицы аффилейтов'],
  frozenColumns: 1,
  description: 'Клиенты партнёров: заполняется синхронизацией из «Аналитики»; «% affiliate» ставит руководство.',
  columns: [
    { key: 'partner', header: 'Партнёр', aliases: ['Партнер'], type: 'text', validation: { kind: 'sheetColumn', sheet: 'Партнёры', column: 'Партнёр', strict: false }, width: 170 },
    { key: 'purchaseDate', header: 'Дата приобретения акка', aliases: ['Дата приобретения аккаунта', 'Дата покупки'], type: 'date', validation: { kind: 'date' }, width: 130 },
    { key: 'name', header: 'Имя', type: 'text', width: 150 },
    { key: 'telegram', header: 'Telegram', aliases: ['Телеграм', 'Ник'], type: 'text', width: 150 },
    { key: 'shopLink', header: 'Ссылка на магазин', aliases: ['Магазин'], type: 'text', width: 220 },
    // «EUR», the currency code of «Настройки», not the seed's «EU»; an older sheet's «Оплата EU» is still found.
    { key: 'paidAmount', header: 'Оплата EUR', aliases: ['Оплата EU', 'Оплата'], type: 'money', validation: { kind: 'number', min: 0, strict: false }, width: 100 },
    { key: 'affiliatePercent', header: '% affiliate', aliases: ['% affilate', '% аффилейта', 'Процент affiliate'], type: 'percent', numberFormat: '0.0', validation: { kind: 'number', min: 0, max: 100, strict: true }, edit: 'leadership', width: 100, note: 'Заполняет руководство; пусто — берётся «% по умолчанию» партнёра' },
    { key: 'commission', header: 'Комиссия EUR', aliases: ['Комиссия EU', 'Комиссия'], type: 'money', edit: 'script', width: 110, note: 'Считает скрипт: оплата × % affiliate' },
    { key: 'individualNumber', header: 'Индивидуальный номер', aliases: ['Номер клиента'], type: 'text', width: 130, note: 'Связь со строкой «Аналитики»; строки без номера добавлены вручную' },
  ],
} satisfies SheetDefInput;
