/** What «Настроить таблицу» did; a repeat run reports nothing created and 0 adjustments. */
export interface SetupReport {
  createdSheets: string[];
  addedColumns: Array<{ sheet: string; headers: string[] }>;
  addedRows: Array<{ sheet: string; count: number }>;
  /** Why a sheet was left untouched (its header row could not be placed), one sentence naming it. */
  skippedSheets: string[];
  warnings: string[];
  /** Individual adjustments made (formats, validation, protections…). */
  adjustments: number;
  /** Changes to the spreadsheet itself, one sentence each (locale switched, blank «Лист1» removed). */
  changes?: string[];
  /** Who may edit what after this run, naming the addresses (setup-protections). */
  access?: string[];
}

/** The alert «Настроить таблицу» shows: what changed, and warnings. */
export function formatSetupReport(r: SetupReport): string {
  const lines: string[] = [];
  if (r.createdSheets.length) lines.push(`Созданы листы: ${r.createdSheets.join(', ')}.`);
  for (const c of r.addedColumns) lines.push(`Лист «${c.sheet}»: добавлены колонки ${c.headers.map((h) => `«${h}»`).join(', ')} (в конец таблицы).`);
  for (const a of r.addedRows) lines.push(`Лист «${a.sheet}»: заполнено строк — ${a.count}.`);
  if (r.changes?.length) lines.push(...r.changes);
  // The count mixes formats, dropdowns and protections: a number of «adjustments» tells a person nothing.
  if (r.adjustments) lines.push('Оформление заголовков, форматы, выпадающие списки и защита листов приведены к шаблону там, где они отличались.');
  if (r.skippedSheets.length) lines.push('Не настроены (в этих листах ничего не изменено):', ...r.skippedSheets.map((s) => `• ${s}`));
  if (lines.length === 0) lines.push('Таблица уже настроена — ничего менять не пришлось.');
  if (r.access?.length) lines.push('', ...r.access);
  if (r.warnings.length) lines.push('', 'Обратите внимание:', ...r.warnings.map((w) => `• ${w}`));
  return lines.join('\n');
}
