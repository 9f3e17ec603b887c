// The «Воронка» dashboard as one rectangular block of values plus a same-shape block of number formats,
// so the job writes it with one setValues and one setNumberFormats.
import { columnLetter, parseA1 } from '../header-map';
import { literalForSheet } from '../text';
import { funnelSheet } from '../../../sheets-templates/funnel';
import type { BreakdownKey, BreakdownRow, FunnelResult } from './compute';
import { funnelText } from './messages';

export type DashboardCell = string | number;

export const FORMAT_TEXT = '@';
export const FORMAT_COUNT = '0';
export const FORMAT_PERCENT = '0.0%';
export const FORMAT_MONEY = '#,##0.00';

/** Every row of the block has this many columns, whatever the data. */
export const FUNNEL_BLOCK_WIDTH = 7;

/**
 * Top-left cell of the block (1-based): column A, one empty row below the lowest control (the period
 * selector: label A1, value B1), so a refresh never touches a cell the user sets.
 */
export const FUNNEL_BLOCK_ANCHOR: { row: number; column: number } = {
  row: Math.max(0, ...funnelSheet.controls.flatMap((c) => [parseA1(c.cell).row, parseA1(c.labelCell).row])) + 2,
  column: 1,
};

/** A range inside the block: 0-based offsets from the block's top-left cell. */
export interface BlockRange {
  rowOffset: number;
  columnOffset: number;
  numRows: number;
  numColumns: number;
}

export interface DashboardBlock {
  /** 1-based sheet row / column of values[0][0]. */
  anchor: { row: number; column: number };
  values: DashboardCell[][];
  /** Same shape as values. */
  numberFormats: string[][];
  /** values.length (content plus any padding rows asked for). */
  height: number;
  /** Rows that carry content; the rest up to `height` is blank padding. */
  contentHeight: number;
  width: number;
  /**
   * Stage table feeding the funnel chart: header row + the main stages, columns «Этап» and
   * «Дошли (накопительно)» (adjacent on purpose, so the chart takes one range).
   */
  chartRange: BlockRange;
  /** chartRange as an A1 address on the sheet, e.g. 'A8:B13'. */
  chartA1: string;
}

export interface LayoutOptions {
  /** Currency shown next to money headers, e.g. 'EUR'. */
  currency?: string;
  /**
   * Pad with blank rows up to this height (e.g. the previous block's height), so one setValues also
   * clears what a longer previous result left below.
   */
  padToHeight?: number;
}

type Fmt = string;

class BlockBuilder {
  readonly values: DashboardCell[][] = [];
  readonly formats: Fmt[][] = [];

  /** Appends a row; cells are [value, format] pairs, padded with blank text cells to the block width. */
  row(...cells: [DashboardCell | null, Fmt][]): number {
    const values: DashboardCell[] = [];
    const formats: Fmt[] = [];
    for (const [value, format] of cells.slice(0, FUNNEL_BLOCK_WIDTH)) {
      values.push(value === null ? '' : value);
      formats.push(format);
    }
    while (values.length < FUNNEL_BLOCK_WIDTH) {
      values.push('');
      formats.push(FORMAT_TEXT);
    }
    this.values.push(values);
    this.formats.push(formats);
    return this.values.length - 1;
  }

  blank(): void {
    this.row();
  }
}

const text = (value: string): [DashboardCell, Fmt] => [value, FORMAT_TEXT];
/** Text that came from the sheet: a manager's value must not turn into a formula or a number. */
const userText = (value: string): [DashboardCell, Fmt] => [literalForSheet(value), FORMAT_TEXT];
const count = (value: number): [DashboardCell, Fmt] => [value, FORMAT_COUNT];
const percent = (value: number | null): [DashboardCell | null, Fmt] => [value, FORMAT_PERCENT];
const money = (value: number | null): [DashboardCell | null, Fmt] => [value, FORMAT_MONEY];

const BREAKDOWN_SECTIONS: { key: BreakdownKey; title: string; column: string }[] = [
  { key: 'trafficSource', title: funnelText.bySource, column: funnelText.sourceColumn },
  { key: 'plan', title: funnelText.byPlan, column: funnelText.planColumn },
  { key: 'manager', title: funnelText.byManager, column: funnelText.managerColumn },
  { key: 'partner', title: funnelText.byPartner, column: funnelText.partnerColumn },
  { key: 'promoCode', title: funnelText.byPromoCode, column: funnelText.promoCodeColumn },
];

/**
 * Lays the computed funnel out as the «Воронка» dashboard. Empty conversions (0 leads) are blank cells
 * with a percent format, not 0 %: «no data» is not «nobody converted».
 */
export function funnelDashboard(funnel: FunnelResult, opts: LayoutOptions = {}): DashboardBlock {
  const b = new BlockBuilder();
  const currency = opts.currency ?? '';
  const revenueHeader = funnelText.withCurrency(funnelText.revenue, currency);
  const checkHeader = funnelText.withCurrency(funnelText.averageCheck, currency);

  b.row(text(funnelText.periodTitle(funnel.period, funnel.range?.from ?? null, funnel.range?.to ?? null)));
  b.row(text(funnelText.asOf(funnel.today)));
  const t = funnel.total;
  b.row(text(funnelText.leads), count(t.leads), text(funnelText.paid), count(t.paid), text(funnelText.conversion), percent(t.conversion));
  b.row(text(revenueHeader), money(t.revenue), text(checkHeader), money(t.averageCheck), text(funnelText.refused), count(t.refused));
  b.row(text(funnel.undatedLeads > 0 ? funnelText.undatedNote(funnel.undatedLeads) : ''));
  b.blank();

  const mainHeader = b.row(
    text(funnelText.mainTitle), text(funnelText.reachedCumulative), text(funnelText.reached), text(funnelText.currentlyIn),
    text(funnelText.fromFirst), text(funnelText.fromPrevious),
  );
  for (const s of funnel.main) {
    b.row(text(s.name), count(s.cumulative), count(s.reached), count(s.current), percent(s.fromFirst), percent(s.fromPrevious));
  }
  b.blank();
  b.row(text(funnelText.sideTitle), text(funnelText.reached), text(funnelText.currentlyIn));
  for (const s of funnel.side) b.row(text(s.name), count(s.reached), count(s.current));
  b.row(text(funnelText.noStage), text(''), count(funnel.noStage));

  for (const section of BREAKDOWN_SECTIONS) {
    b.blank();
    b.row(text(section.title));
    b.row(
      text(section.column), text(section.key === 'manager' ? funnelText.takenInWork : funnelText.leadsColumn), text(funnelText.paid),
      text(funnelText.refusedColumn), text(funnelText.conversion), text(revenueHeader), text(checkHeader),
    );
    const rows: BreakdownRow[] = funnel.breakdowns[section.key];
    if (rows.length === 0) b.row(text(funnelText.noData));
    for (const r of rows) {
      b.row(userText(r.label), count(r.leads), count(r.paid), count(r.refused), percent(r.conversion), money(r.revenue), money(r.averageCheck));
    }
  }

  b.blank();
  b.row(text(funnelText.reasonsTitle));
  b.row(text(funnelText.reasonColumn), text(funnelText.reasonCount), text(funnelText.reasonShare));
  if (funnel.refusalReasons.length === 0) b.row(text(funnelText.noData));
  for (const r of funnel.refusalReasons) b.row(userText(r.reason), count(r.count), percent(r.share));

  const contentHeight = b.values.length;
  while (b.values.length < (opts.padToHeight ?? 0)) b.blank();

  const chartRange: BlockRange = { rowOffset: mainHeader, columnOffset: 0, numRows: funnel.main.length + 1, numColumns: 2 };
  const anchor = { ...FUNNEL_BLOCK_ANCHOR };
  const top = anchor.row + chartRange.rowOffset;
  const left = anchor.column + chartRange.columnOffset;
  const chartA1 = `${columnLetter(left)}${top}:${columnLetter(left + chartRange.numColumns - 1)}${top + chartRange.numRows - 1}`;
  return {
    anchor, values: b.values, numberFormats: b.formats, height: b.values.length, contentHeight, width: FUNNEL_BLOCK_WIDTH,
    chartRange, chartA1,
  };
}
