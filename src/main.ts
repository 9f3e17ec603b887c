// The only module that exposes globals: every Apps Script entry point, each a one-line call into a
// job. The build turns each export into a top-level `function NAME(...args)` declaration.
import { runFromMenu, showHtmlDialog } from './gas/ui';
import { helpDialog, openMenu } from './jobs/help-entry';
import { offerWizardAfterSetup, openWizard, submitWizard, type WizardResult } from './jobs/wizard';
import { withScriptLock } from './gas/lock';
import { setupMessage } from './jobs/setup-entry';
import { tick } from './jobs/tick-entry';
import { previewReport, sendReportNow } from './jobs/reports-entry';
import { previewManagerEmails, sendManagerEmailsNow } from './jobs/manager-emails';
import { disableSchedule, enableSchedule, scheduleStatusHtml } from './jobs/schedule-admin';
import { checkAnalyticsDialog, editTrigger, recalcMessage, selectCell, sweepMessage } from './jobs/analytics-entry';
import { funnelMessage } from './jobs/funnel-entry';
import { partnersMessage } from './jobs/partners-entry';

/** Simple trigger: builds the «Продажи» menu when the spreadsheet opens. */
export function onOpen(): void {
  openMenu();
}

/** Simple trigger: applies the «Аналитика» rules to the edited rows (single cells and pastes). */
export function onEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  editTrigger(e);
}

/** Clock trigger every 5 minutes: runs whatever is due (reports, daily maintenance). */
export function onTick(): void {
  tick();
}

/** Menu «Автоматизация ▸ Включить расписание»: installs the tick trigger once. */
export function menuScheduleOn(): void {
  runFromMenu('Расписание', () => withScriptLock(() => enableSchedule(SpreadsheetApp.getActiveSpreadsheet())));
}

/** Menu «Автоматизация ▸ Отключить расписание». */
export function menuScheduleOff(): void {
  runFromMenu('Расписание', () => withScriptLock(() => disableSchedule()));
}

/** Menu «Автоматизация ▸ Статус»: triggers, owner, each job's last run, mail quota. */
export function menuScheduleStatus(): void {
  runFromMenu('Статус', () => showHtmlDialog(scheduleStatusHtml(SpreadsheetApp.getActiveSpreadsheet(), new Date()), 'Статус автоматизации', 760, 420));
}

/** Menu «Отчёты ▸ Предпросмотр: отчёт секретаря». */
export function menuPreviewSecretary(): void {
  runFromMenu('Отчёт секретаря', () => previewReport('secretaryReport'));
}

/** Menu «Отчёты ▸ Отправить отчёт секретаря сейчас». */
export function menuSendSecretary(): void {
  runFromMenu('Отчёт секретаря', () => sendReportNow('secretaryReport'));
}

/** Menu «Отчёты ▸ Предпросмотр: отчёт РОП». */
export function menuPreviewHeadOfSales(): void {
  runFromMenu('Отчёт РОП', () => previewReport('headOfSalesReport'));
}

/** Menu «Отчёты ▸ Отправить отчёт РОП сейчас». */
export function menuSendHeadOfSales(): void {
  runFromMenu('Отчёт РОП', () => sendReportNow('headOfSalesReport'));
}

/** Menu «Отчёты ▸ Предпросмотр: письма менеджерам»: each manager's «Кого дожать сегодня» as it would go out now. */
export function menuPreviewManagers(): void {
  runFromMenu('Письма менеджерам', () => previewManagerEmails());
}

/** Menu «Отчёты ▸ Отправить письма менеджерам сейчас». */
export function menuSendManagers(): void {
  runFromMenu('Письма менеджерам', () => sendManagerEmailsNow());
}

/** Menu «Настроить таблицу»: creates and repairs every sheet, column, rule and protection. */
export function menuSetup(): void {
  runFromMenu('Настроить таблицу', setupMessage);
  runFromMenu('Мастер настройки', offerWizardAfterSetup);
}

/** Menu «Мастер настройки»: leadership, managers, recipients, times and currency in one dialog. */
export function menuWizard(): void {
  runFromMenu('Мастер настройки', openWizard);
}

/** Called from the «Мастер настройки» dialog: checks and saves its answers (only the owner or leadership). */
export function wizardSubmit(answers: unknown): WizardResult {
  return submitWizard(answers);
}

/** Menu «Пересчитать»: the rules over every row of «Аналитика» (a large sheet in chunks: the tick or another click goes on). */
export function menuRecalc(): void {
  runFromMenu('Пересчитать', recalcMessage);
}

/** Menu «Обновить воронку»: rewrites the «Воронка» dashboard for the chosen period. */
export function menuFunnel(): void {
  runFromMenu('Обновить воронку', funnelMessage);
}

/** Menu «Синхронизировать партнёров»: «Аффилейты» from «Аналитика», then every partner's own file. */
export function menuPartners(): void {
  runFromMenu('Синхронизировать партнёров', partnersMessage);
}

/** Menu «Отметить «Ожидание» сейчас»: the idle sweep on demand. */
export function menuSweep(): void {
  runFromMenu('Ожидание', sweepMessage);
}

/** Menu «Проверить данные»: a dialog with every problem and a link to its cell. */
export function menuCheck(): void {
  runFromMenu('Проверить данные', checkAnalyticsDialog);
}

/** Called from the problems dialog: selects the cell a problem points at. */
export function selectProblemCell(a1: string): void {
  selectCell(a1);
}

/** Menu «Справка»: explains the sheet to a new user. */
export function menuHelp(): void {
  runFromMenu('Справка', helpDialog);
}
