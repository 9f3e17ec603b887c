// A minimal embedded chart: type, ranges, position and options — enough to build and replace a
// funnel chart; nothing is drawn.
import type { ServiceRecorder } from '../recorder';
import type { ChartTypeName } from './enums';
import type { Box } from './model';
import type { EmuSheet } from './sheet';
import { boxOfRange } from './protection';

type C = GoogleAppsScript.Spreadsheet.EmbeddedChart;
type CB = GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder;
type Range = GoogleAppsScript.Spreadsheet.Range;

export interface ChartState {
  id: number | null;
  type: ChartTypeName;
  ranges: Box[];
  position: { row: number; col: number; offsetX: number; offsetY: number };
  options: Record<string, unknown>;
}

const clone = (s: ChartState): ChartState => ({ ...s, ranges: s.ranges.map((b) => ({ ...b })), position: { ...s.position }, options: { ...s.options } });

export class EmuContainerInfo implements Pick<GoogleAppsScript.Spreadsheet.ContainerInfo, 'getAnchorColumn' | 'getAnchorRow' | 'getOffsetX' | 'getOffsetY'> {
  constructor(private readonly rec: ServiceRecorder, private readonly p: ChartState['position']) {}
  getAnchorColumn(): number { this.rec.call('ContainerInfo.getAnchorColumn'); return this.p.col; }
  getAnchorRow(): number { this.rec.call('ContainerInfo.getAnchorRow'); return this.p.row; }
  getOffsetX(): number { this.rec.call('ContainerInfo.getOffsetX'); return this.p.offsetX; }
  getOffsetY(): number { this.rec.call('ContainerInfo.getOffsetY'); return this.p.offsetY; }
}

export class EmuChart implements Pick<C, 'getChartId' | 'getContainerInfo' | 'getOptions' | 'getRanges' | 'modify'> {
  constructor(private readonly rec: ServiceRecorder, readonly sheet: EmuSheet, readonly state: ChartState) {}
  getChartId(): number | null { this.rec.call('EmbeddedChart.getChartId'); return this.state.id; }
  getContainerInfo(): GoogleAppsScript.Spreadsheet.ContainerInfo { this.rec.call('EmbeddedChart.getContainerInfo'); return new EmuContainerInfo(this.rec, { ...this.state.position }) as unknown as GoogleAppsScript.Spreadsheet.ContainerInfo; }
  getOptions(): GoogleAppsScript.Charts.ChartOptions {
    this.rec.call('EmbeddedChart.getOptions');
    const opts = { ...this.state.options };
    return { get: (k: string) => opts[k] ?? null, getOrDefault: (k: string) => opts[k] ?? null } as unknown as GoogleAppsScript.Charts.ChartOptions;
  }
  getRanges(): Range[] { this.rec.call('EmbeddedChart.getRanges'); return this.state.ranges.map((b) => this.sheet.rangeOf(b) as unknown as Range); }
  modify(): CB { this.rec.call('EmbeddedChart.modify'); return new EmuChartBuilder(this.rec, this.sheet, clone(this.state)) as unknown as CB; }
  /** Harness: chart type without counting. */
  chartType(): ChartTypeName { return this.state.type; }
}

export class EmuChartBuilder implements Pick<CB, 'addRange' | 'build' | 'clearRanges' | 'getChartType' | 'getRanges' | 'removeRange' | 'setChartType' | 'setOption' | 'setPosition'> {
  private s: ChartState;
  constructor(private readonly rec: ServiceRecorder, private readonly sheet: EmuSheet, s?: ChartState) {
    this.s = s ?? { id: null, type: 'COLUMN', ranges: [], position: { row: 1, col: 1, offsetX: 0, offsetY: 0 }, options: {} };
  }
  private c(m: string): CB { this.rec.call(`EmbeddedChartBuilder.${m}`); return this as unknown as CB; }
  addRange(range: Range): CB { this.s.ranges.push(boxOfRange(range)); return this.c('addRange'); }
  build(): C { this.rec.call('EmbeddedChartBuilder.build'); return new EmuChart(this.rec, this.sheet, clone(this.s)) as unknown as C; }
  clearRanges(): CB { this.s.ranges = []; return this.c('clearRanges'); }
  getChartType(): GoogleAppsScript.Charts.ChartType { this.rec.call('EmbeddedChartBuilder.getChartType'); return this.s.type as unknown as GoogleAppsScript.Charts.ChartType; }
  getRanges(): Range[] { this.rec.call('EmbeddedChartBuilder.getRanges'); return this.s.ranges.map((b) => this.sheet.rangeOf(b) as unknown as Range); }
  removeRange(range: Range): CB {
    const b = boxOfRange(range);
    this.s.ranges = this.s.ranges.filter((x) => !(x.row === b.row && x.col === b.col && x.numRows === b.numRows && x.numCols === b.numCols));
    return this.c('removeRange');
  }
  setChartType(type: GoogleAppsScript.Charts.ChartType): CB { this.s.type = String(type) as ChartTypeName; return this.c('setChartType'); }
  setOption(option: string, value: any): CB { this.s.options[option] = value; return this.c('setOption'); }
  setPosition(row: number, col: number, offsetX: number, offsetY: number): CB { this.s.position = { row, col, offsetX, offsetY }; return this.c('setPosition'); }
}
