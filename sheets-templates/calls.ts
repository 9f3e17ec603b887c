// «Звонки» (SPEC §3.4, seed 004 «Для РОП»): one row per manager per day, filled by 19:30.
import type { DemoValue, SheetDefInput } from './schema';

const MANAGERS = ['Светлана', 'Марина', 'Олег'];

/** A week of demo rows; today Олег has not filled in yet, so the 19:45 summary names him. */
function demoRows(): Array<Record<string, DemoValue>> {
  const rows: Array<Record<string, DemoValue>> = [];
  for (let day = -6; day <= 0; day++) {
    MANAGERS.forEach((manager, m) => {
      if (day === 0 && manager === 'Олег') return;
      // Small deterministic variation so the numbers differ by day and manager.
      const k = (day + 7) * 3 + m;
      rows.push({
        date: { relDays: day }, manager,
        incomingCalls: 3 + (k * 7) % 6, outgoingCalls: 5 + (k * 5) % 9, mailRequests: (k * 3) % 4, existingClientCalls: 1 + (k * 11) % 5,
        comment: day === -2 && manager === 'Марина' ? 'Полдня на обучении' : '',
      });
    });
  }
  return rows;
}

export const callsSheet = {
  key: 'calls',
  name: 'Звонки',
  aliases: ['Отчёт РОП', 'Отчет РОП'],
  frozenColumns: 2,
  description: 'Звонки и заявки менеджеров за день; заполнить до 19:30, сводка РОП уходит в 19:45.',
  columns: [
    { key: 'date', header: 'Дата', type: 'date', validation: { kind: 'date' }, width: 110 },
    { key: 'manager', header: 'Менеджер', type: 'text', validation: { kind: 'list', list: 'managers', strict: true }, width: 140 },
    { key: 'incomingCalls', header: 'Входящие звонки', aliases: ['Входящие'], type: 'integer', validation: { kind: 'number', min: 0, strict: true }, width: 110 },
    { key: 'outgoingCalls', header: 'Исходящие звонки', aliases: ['Исходящие'], type: 'integer', validation: { kind: 'number', min: 0, strict: true }, width: 110 },
    { key: 'mailRequests', header: 'Заявки по почте', type: 'integer', validation: { kind: 'number', min: 0, strict: true }, width: 110 },
    { key: 'existingClientCalls', header: 'Звонки текущим клиентам', aliases: ['Звонки существующим клиентам'], type: 'integer', validation: { kind: 'number', min: 0, strict: true }, width: 130 },
    { key: 'comment', header: 'Комментарий', type: 'text', width: 240 },
  ],
  demo: demoRows(),
} satisfies SheetDefInput;
