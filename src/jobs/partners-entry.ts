// Entry glue for the partner sync: lock, settings, the Russian summary for the menu.
import { jobClock } from '../gas/clock';
import { withScriptLock } from '../gas/lock';
import { loadSettings } from '../gas/settings';
import { missingSheetMessage } from '../gas/sheets';
import { runPartnerSync, type PartnerSyncReport } from './partners';

const STATUS: Record<string, string> = {
  created: 'создана таблица',
  updated: 'обновлена',
  unchanged: 'без изменений',
  failed: 'ОШИБКА',
  inactive: 'не активен, пропущен',
};

/** The summary a person reads after «Синхронизировать партнёров». */
export function formatPartnerReport(r: PartnerSyncReport): string {
  if (r.missingSheet) return `Нет листа «${r.missingSheet}». Запустите «Настроить таблицу».`;
  const money = (n: number) => n.toLocaleString('ru-RU', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const lines = [
    `Оплаченных лидов партнёров: ${r.leads}. В «Аффилейты» добавлено строк: ${r.added}, изменено ячеек: ${r.changedCells}.`
      + (r.withdrawn ? ` Строк, выпавших из таблиц партнёров (помечены заметкой): ${r.withdrawn}.` : ''),
  ];
  for (const p of r.partners) {
    lines.push(`• ${p.partner}: ${STATUS[p.status]}` + (p.status === 'inactive' || p.status === 'failed' ? '' : ` — клиентов ${p.rows}, оплачено ${money(p.totalPaid)}, комиссия ${money(p.totalCommission)}`));
  }
  if (r.problems.length > 0) lines.push('', 'Обратите внимание:', ...r.problems.map((p) => `— ${p}`));
  return lines.join('\n');
}

export function partnersMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const r = withScriptLock(() => runPartnerSync(ss, jobClock(), settings));
  return r.missingSheet ? missingSheetMessage(ss, r.missingSheet) : formatPartnerReport(r);
}

/** One line for the schedule's log and the «Статус» dialog (the tick's `partners` runner). */
export function partnerSyncSummary(r: PartnerSyncReport): string {
  if (r.missingSheet) return `нет листа «${r.missingSheet}»`;
  const failed = r.partners.filter((p) => p.status === 'failed').map((p) => p.partner);
  const changed = r.partners.filter((p) => p.status === 'created' || p.status === 'updated').length;
  return `партнёры: лидов ${r.leads}, добавлено строк ${r.added}, обновлено таблиц ${changed}`
    + (failed.length ? `, ошибка у: ${failed.join(', ')}` : '')
    + (r.problems.length ? `, замечаний ${r.problems.length}` : '');
}
