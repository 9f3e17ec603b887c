// Entry glue for the partner sync: lock, settings, the Russian summary for the menu.
import { jobClock } from '../gas/clock';
import { withScriptLock } from '../gas/lock';
import { loadSettings } from '../gas/settings';
import { missingSheetMessage } from '../gas/sheets';
import { errorMessage, withRetry } from '../gas/retry';
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

const LEADERSHIP_SETTING = 'Email руководства';
/** What the sync writes that only leadership and the owner may change (protections from setup). */
const PROTECTED_TARGETS = 'лист «Партнёры» и столбец «% affiliate» листа «Аффилейты»';

/**
 * Why `user` may not run the sync from the menu, or null when they may. The sync writes leadership-only
 * data, so anyone else would fail halfway on protection; an unknown user (Google does not always say
 * who it is) is let through, and a protection error then gets its own message.
 */
export function partnerSyncRefusal(user: string, owner: string, leadership: readonly string[]): string | null {
  const me = user.trim().toLowerCase();
  if (me === '' || me === owner.trim().toLowerCase() || leadership.some((e) => e.trim().toLowerCase() === me)) return null;
  return `Синхронизацию партнёров запускает руководство (список «${LEADERSHIP_SETTING}» в «Настройках») или владелец таблицы${owner ? ` (${owner})` : ''}: `
    + `она меняет ${PROTECTED_TARGETS}, которые защищены от правки остальными. Вы вошли как ${user}. `
    + 'Попросите руководителя запустить синхронизацию или дождитесь ежедневного запуска по расписанию.';
}

/** The platform's protection refusal, in English or Russian. */
export function isProtectionError(error: unknown): boolean {
  return /protected cell or object|защищ[её]нн\S* (ячейк|объект)/i.test(errorMessage(error));
}

export function partnersMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const user = withRetry(() => Session.getActiveUser().getEmail());
  const owner = user === '' ? '' : withRetry(() => ss.getOwner())?.getEmail() ?? '';
  const refusal = partnerSyncRefusal(user, owner, settings.leadershipEmails);
  if (refusal) return refusal;
  let r: PartnerSyncReport;
  try {
    r = withScriptLock(() => runPartnerSync(ss, jobClock(), settings));
  } catch (error) {
    if (!isProtectionError(error)) throw error;
    throw new Error(`Google не дал изменить защищённые данные: ${PROTECTED_TARGETS} может менять только руководство (список «${LEADERSHIP_SETTING}» в «Настройках») и владелец таблицы. `
      + `Если вы руководитель, проверьте, что ваш email${user ? ` (${user})` : ''} есть в «${LEADERSHIP_SETTING}», и запустите «Настроить таблицу» — она обновит защиту. Изменения, сделанные до ошибки, сохранены; следующий запуск доделает остальное.`);
  }
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
