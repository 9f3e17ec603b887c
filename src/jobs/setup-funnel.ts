// «Настроить таблицу» for «Воронка»: the period selector (label, default, dropdown) and the funnel
// chart. Both compare first, so a second run writes nothing and never adds a second chart.
import type { DashboardControl, SheetDef } from '../../sheets-templates/schema';
import type { SetupReport } from '../core/setup-report';
import { computeFunnel, DEFAULT_FUNNEL_PERIOD, FUNNEL_BLOCK_ANCHOR, FUNNEL_BLOCK_WIDTH, funnelDashboard, funnelText } from '../core/funnel';
import { MOSCOW } from '../core/dates';
import { withRetry } from '../gas/retry';
import { markFunnelStale } from './funnel';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Chart = GoogleAppsScript.Spreadsheet.EmbeddedChart;

/**
 * The stage table the chart shows. Its place does not depend on the data (the rows above it are fixed),
 * so the layout of an empty funnel gives it.
 */
export function funnelChartA1(): string {
  return funnelDashboard(computeFunnel([], DEFAULT_FUNNEL_PERIOD, '2000-01-01', MOSCOW)).chartA1;
}

/** Controls of a dashboard sheet, then (for «Воронка») its chart. */
export function applyFunnelDashboard(sheet: Sheet, def: SheetDef, created: boolean, report: SetupReport): void {
  for (const control of def.controls) applyControl(sheet, control, report);
  setFunnelWidths(sheet, report);
  const chartAdded = ensureFunnelChart(sheet, report);
  // A new dashboard is empty until the next refresh: the next scheduled tick fills it.
  if (created || chartAdded) markFunnelStale();
}

/**
 * Stage names («Отправили ссылку и ждём оплату») and headers («Дошли (накопительно)») do not fit the default
 * 100 px. Only while every column of the block still has the default width (a new sheet, or one whose
 * setup was interrupted): widths someone chose are theirs.
 */
function setFunnelWidths(sheet: Sheet, report: SetupReport): void {
  const first = FUNNEL_BLOCK_ANCHOR.column;
  for (let c = first; c < first + FUNNEL_BLOCK_WIDTH; c++) {
    if (withRetry(() => sheet.getColumnWidth(c)) !== DEFAULT_COLUMN_WIDTH_PX) return;
  }
  withRetry(() => sheet.setColumnWidth(first, FUNNEL_LABEL_WIDTH_PX));
  withRetry(() => sheet.setColumnWidths(first + 1, FUNNEL_BLOCK_WIDTH - 1, FUNNEL_VALUE_WIDTH_PX));
  report.adjustments++;
}

/** Google's width of a new sheet's column. */
const DEFAULT_COLUMN_WIDTH_PX = 100;
const FUNNEL_LABEL_WIDTH_PX = 240;
const FUNNEL_VALUE_WIDTH_PX = 150;

function applyControl(sheet: Sheet, control: DashboardControl, report: SetupReport): void {
  const label = sheet.getRange(control.labelCell);
  if (withRetry(() => label.getValue()) !== control.label) {
    label.setValue(control.label).setFontWeight('bold');
    report.adjustments++;
  }
  const cell = sheet.getRange(control.cell);
  // The user's choice is kept; only an empty selector gets the default.
  if (withRetry(() => cell.getValue()) === '') {
    cell.setValue(control.default);
    report.adjustments++;
  }
  const current = cell.getDataValidation();
  if (!isDropdownOf(current, control.values)) {
    const rule = SpreadsheetApp.newDataValidation().requireValueInList(control.values, true).setAllowInvalid(false);
    cell.setDataValidation((control.note ? rule.setHelpText(control.note) : rule).build());
    report.adjustments++;
  }
  if (control.note && cell.getNote() !== control.note) {
    cell.setNote(control.note);
    report.adjustments++;
  }
}

function isDropdownOf(rule: GoogleAppsScript.Spreadsheet.DataValidation | null, values: string[]): boolean {
  if (!rule || rule.getAllowInvalid()) return false;
  if (String(rule.getCriteriaType()) !== String(SpreadsheetApp.DataValidationCriteria.VALUE_IN_LIST)) return false;
  const [list] = rule.getCriteriaValues() as [unknown];
  return Array.isArray(list) && list.length === values.length && list.every((v, i) => v === values[i]);
}

/** Ours: titled as we title it, or already showing the stage table (a chart someone retitled). */
function isFunnelChart(chart: Chart, a1: string): boolean {
  if (chart.getOptions().get('title') === funnelText.chartTitle) return true;
  return chart.getRanges().some((r) => r.getA1Notation() === a1);
}

/**
 * One bar chart of «Этап» → «Дошли (накопительно)», right of the block. Found again by title or range;
 * a chart whose range was lost or changed is pointed back at the stage table. True when inserted.
 */
export function ensureFunnelChart(sheet: Sheet, report: SetupReport): boolean {
  const a1 = funnelChartA1();
  const charts = withRetry(() => sheet.getCharts()).filter((c) => isFunnelChart(c, a1));
  const [chart, ...duplicates] = charts;
  // Left by an older or interrupted setup: one funnel chart is enough.
  for (const extra of duplicates) { sheet.removeChart(extra); report.adjustments++; }
  const range = sheet.getRange(a1);
  if (!chart) {
    const built = sheet.newChart()
      .setChartType(Charts.ChartType.BAR)
      .addRange(range)
      .setPosition(FUNNEL_BLOCK_ANCHOR.row, FUNNEL_BLOCK_ANCHOR.column + FUNNEL_BLOCK_WIDTH + 1, 0, 0)
      .setOption('title', funnelText.chartTitle)
      .setOption('legend', { position: 'none' })
      .build();
    sheet.insertChart(built);
    report.adjustments++;
    return true;
  }
  const ranges = chart.getRanges().map((r) => r.getA1Notation());
  const titled = chart.getOptions().get('title') === funnelText.chartTitle;
  if (ranges.length !== 1 || ranges[0] !== a1 || !titled) {
    sheet.updateChart(chart.modify().clearRanges().addRange(range).setOption('title', funnelText.chartTitle).build());
    report.adjustments++;
  }
  return false;
}
