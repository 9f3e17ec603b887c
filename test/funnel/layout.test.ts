import { describe, expect, it } from 'vitest';
import { computeFunnel, funnelDashboard, FUNNEL_BLOCK_ANCHOR, FUNNEL_BLOCK_WIDTH } from '../../src/core/funnel';
import { funnelSheet } from '../../sheets-templates/funnel';
import { blankRow, lead } from './fixtures';

const TZ = 'Europe/Moscow';
const TODAY = '2026-11-21';

const full = computeFunnel([
  lead('2026-11-02', { 'Первичный контакт': '2026-11-02', 'Переговоры': '2026-11-03', 'Оплата': '2026-11-10' }, { trafficSource: 'Гугл', paidAmount: 990, promoCode: '=IMPORTXML("x")' }),
  lead('2026-11-03', { 'Первичный контакт': '2026-11-03', 'Отказ': '2026-11-05' }, { trafficSource: 'Яндекс', refusalReason: 'Дорого' }),
  lead('2026-11-04', { 'Первичный контакт': '2026-11-04' }, { manager: 'Игорь' }),
], 'Этот месяц', TODAY, TZ);
const empty = computeFunnel([blankRow()], 'Всё время', TODAY, TZ);

function cellsOf(values: (string | number)[][], rowOffset: number, numRows: number, numColumns: number) {
  return values.slice(rowOffset, rowOffset + numRows).map((r) => r.slice(0, numColumns));
}

describe('funnelDashboard', () => {
  it('starts below the period selector and never covers its cells', () => {
    const control = funnelSheet.controls[0];
    expect([control.labelCell, control.cell]).toEqual(['A1', 'B1']);
    expect(FUNNEL_BLOCK_ANCHOR).toEqual({ row: 3, column: 1 });
    expect(funnelDashboard(full).anchor).toEqual({ row: 3, column: 1 });
  });

  it('is a rectangle of constant width with a format for every cell', () => {
    for (const block of [funnelDashboard(full), funnelDashboard(empty)]) {
      expect(block.width).toBe(FUNNEL_BLOCK_WIDTH);
      expect(block.values.length).toBe(block.height);
      expect(block.numberFormats.length).toBe(block.height);
      for (let r = 0; r < block.height; r++) {
        expect(block.values[r].length).toBe(FUNNEL_BLOCK_WIDTH);
        expect(block.numberFormats[r].length).toBe(FUNNEL_BLOCK_WIDTH);
      }
      for (const format of block.numberFormats.flat()) expect(['0.0%', '#,##0.00', '0', '@']).toContain(format);
    }
  });

  it('titles the block with the period and its dates', () => {
    const block = funnelDashboard(full);
    expect(block.values[0][0]).toBe('Воронка за период: Этот месяц (01.11.2026 – 21.11.2026)');
    expect(funnelDashboard(empty).values[0][0]).toBe('Воронка за период: Всё время');
  });

  it('points the chart range at the stage names and cumulative counts', () => {
    const block = funnelDashboard(full);
    const { rowOffset, columnOffset, numRows, numColumns } = block.chartRange;
    expect(columnOffset).toBe(0);
    expect(cellsOf(block.values, rowOffset, numRows, numColumns)).toEqual([
      ['Этап', 'Дошли (накопительно)'],
      ['Первичный контакт', 3],
      ['Переговоры и отправка планов', 1],
      ['Принимают решение', 1],
      ['Отправили ссылку и ждём оплату', 1],
      ['Оплата', 1],
    ]);
    expect(block.chartA1).toBe(`A${3 + rowOffset}:B${3 + rowOffset + 5}`);
  });

  it('shows the stage table with every column and percentages as fractions', () => {
    const block = funnelDashboard(full);
    const header = block.values[block.chartRange.rowOffset];
    expect(header.slice(0, 6)).toEqual(['Этап', 'Дошли (накопительно)', 'Дошли', 'Сейчас на этапе', 'Конверсия от первого контакта', 'Конверсия от предыдущего этапа']);
    const second = block.values[block.chartRange.rowOffset + 2];
    expect(second.slice(0, 6)).toEqual(['Переговоры и отправка планов', 1, 1, 0, 1 / 3, 1 / 3]);
    expect(block.numberFormats[block.chartRange.rowOffset + 2].slice(0, 6)).toEqual(['@', '0', '0', '0', '0.0%', '0.0%']);
  });

  it('leaves conversions blank on an empty sheet, keeping the same column layout', () => {
    const block = funnelDashboard(empty);
    const first = block.values[block.chartRange.rowOffset + 1];
    expect(first.slice(0, 6)).toEqual(['Первичный контакт', 0, 0, 0, '', '']);
    expect(block.values.flat()).toContain('(нет данных)');
  });

  it('lists every breakdown table and the refusal reasons', () => {
    const firstColumn = funnelDashboard(full, { currency: 'EUR' }).values.map((r) => r[0]);
    for (const title of ['По источникам трафика', 'По планам', 'По менеджерам (конверсия = оплачено / взято в работу)', 'По партнёрам', 'По промокодам', 'Причины отказа']) {
      expect(firstColumn).toContain(title);
    }
    const block = funnelDashboard(full, { currency: 'EUR' });
    const managerHeader = block.values.find((r) => r[0] === 'Менеджер');
    expect(managerHeader).toEqual(['Менеджер', 'Взято в работу', 'Оплачено', 'Отказы', 'Конверсия', 'Выручка, EUR', 'Средний чек, EUR']);
    const google = block.values.find((r) => r[0] === 'Гугл');
    expect(google).toEqual(['Гугл', 1, 1, 0, 1, 990, 990]);
    expect(block.values.find((r) => r[0] === 'Дорого')?.slice(0, 3)).toEqual(['Дорого', 1, 1]);
  });

  it('keeps text typed by a manager from becoming a formula', () => {
    const column = funnelDashboard(full).values.map((r) => r[0]);
    expect(column).toContain(`'=IMPORTXML("x")`);
  });

  it('pads a shorter result to the previous height so one write clears the rest', () => {
    const long = funnelDashboard(full);
    const short = funnelDashboard(empty, { padToHeight: long.height + 3 });
    expect(short.height).toBe(long.height + 3);
    expect(short.contentHeight).toBeLessThan(short.height);
    expect(short.values.slice(short.contentHeight).flat().every((v) => v === '')).toBe(true);
  });
});
