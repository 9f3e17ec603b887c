// Jobs the local runner can run: each is the same top-level function of the bundle the menu or a
// trigger calls in the real spreadsheet.
export interface LocalJob {
  handler: string;
  kind: 'menu' | 'installableTrigger';
  /** Part of `--job all`. */
  inAll: boolean;
  description: string;
}

export const LOCAL_JOBS: Record<string, LocalJob> = {
  setup: { handler: 'menuSetup', kind: 'menu', inAll: true, description: 'Настроить таблицу' },
  recalc: { handler: 'menuRecalc', kind: 'menu', inAll: true, description: 'Пересчитать «Аналитику»' },
  sweep: { handler: 'menuSweep', kind: 'menu', inAll: true, description: 'Отметить «Ожидание»' },
  'report-secretary': { handler: 'menuSendSecretary', kind: 'menu', inAll: false, description: 'Отправить отчёт секретаря (в outbox)' },
  'report-rop': { handler: 'menuSendHeadOfSales', kind: 'menu', inAll: false, description: 'Отправить отчёт РОП (в outbox)' },
  'report-managers': { handler: 'menuSendManagers', kind: 'menu', inAll: false, description: 'Письма менеджерам «Кого дожать сегодня» (по одному на менеджера, в outbox)' },
  check: { handler: 'menuCheck', kind: 'menu', inAll: true, description: 'Проверить данные' },
  funnel: { handler: 'menuFunnel', kind: 'menu', inAll: true, description: 'Обновить воронку' },
  partners: { handler: 'menuPartners', kind: 'menu', inAll: true, description: 'Синхронизировать партнёров (файлы в --partners)' },
  // The dialog's server function with the answers of --answers FILE.json (the shape of its zod schema).
  wizard: { handler: 'wizardSubmit', kind: 'menu', inAll: false, description: 'Мастер настройки: сохранить ответы из --answers ФАЙЛ.json' },
  // Last: what the schedule would do at --at (the 11:00 and 19:45 emails among it).
  tick: { handler: 'onTick', kind: 'installableTrigger', inAll: true, description: 'Что положено по расписанию на --at' },
};
