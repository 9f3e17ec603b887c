// «Журнал» (SPEC §3.2): audit log of every change the script makes to user-visible data. Hidden and
// protected: only the owner and leadership may write it, so the script writes it in their runs (the
// schedule, their menu runs); a manager's edit is queued (src/gas/journal-queue.ts). Bounded by the
// «Размер журнала, строк» setting; its archive by «Размер архива журнала, строк».
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

/**
 * «Пользователь» when Google gives no email: the simple onEdit of a colleague with a personal Google
 * account (outside the owner's Workspace domain) gets none, from e.user or Session alike.
 */
export const JOURNAL_UNKNOWN_USER = 'неизвестно (Google не сообщает email)';

export const journalSheet = {
  key: 'journal',
  name: 'Журнал',
  aliases: ['Журнал изменений'],
  protect: 'system',
  hidden: true,
  description: 'Журнал изменений, сделанных скриптом: что, где, было → стало.',
  columns: [
    { key: 'time', header: 'Время', type: 'datetime', width: 140 },
    { key: 'user', header: 'Пользователь', type: 'text', width: 200, note: `Email, если Google его сообщает. О правках коллег с личным аккаунтом Google (не из домена владельца) Google email не сообщает — тогда здесь «${JOURNAL_UNKNOWN_USER}».` },
    { key: 'sheet', header: 'Лист', type: 'text', width: 130 },
    { key: 'cell', header: 'Ячейка', type: 'text', width: 80 },
    { key: 'oldValue', header: 'Было', type: 'text', width: 220 },
    { key: 'newValue', header: 'Стало', type: 'text', width: 220 },
    { key: 'source', header: 'Источник', type: 'text', width: 130, note: Object.values(JOURNAL_SOURCES).join(' / ') },
  ],
} satisfies SheetDefInput;
