// «Журнал» (SPEC §3.2): audit log of every change the script makes to user-visible data. Hidden and
// writable only by the script (and the owner); bounded by the «Размер журнала, строк» setting.
import type { SheetDefInput } from './schema';

/**
 * Values of the «Источник» column: which part of the script made the change. The one table of these
 * words — src/core/journal.ts writes them and the column note lists them.
 */
export const JOURNAL_SOURCES = {
  edit: 'правка',
  recalc: 'пересчёт',
  sweep: 'ожидание',
  sync: 'партнёры',
  invoices: 'счета',
  setup: 'настройка',
  report: 'отчёт',
} as const;

export type JournalSource = keyof typeof JOURNAL_SOURCES;

export const journalSheet = {
  key: 'journal',
  name: 'Журнал',
  aliases: ['Журнал изменений'],
  protect: 'script',
  hidden: true,
  description: 'Журнал изменений, сделанных скриптом: что, где, было → стало.',
  columns: [
    { key: 'time', header: 'Время', type: 'datetime', width: 140 },
    { key: 'user', header: 'Пользователь', type: 'text', width: 200, note: 'Email, если Google его сообщает' },
    { key: 'sheet', header: 'Лист', type: 'text', width: 130 },
    { key: 'cell', header: 'Ячейка', type: 'text', width: 80 },
    { key: 'oldValue', header: 'Было', type: 'text', width: 220 },
    { key: 'newValue', header: 'Стало', type: 'text', width: 220 },
    { key: 'source', header: 'Источник', type: 'text', width: 130, note: Object.values(JOURNAL_SOURCES).join(' / ') },
  ],
} satisfies SheetDefInput;
