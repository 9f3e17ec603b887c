// «Подвисла» (seed 002: a deal in one stage for more than 2 days): what a manager sees in «Подвисла с».
import { describe, expect, it } from 'vitest';
import { evaluateRow, idleSweepUpdates, stuckSince, type AnalyticsRow } from '../../src/core/analytics';
import { ctx, d, lead, reference, TZ } from './fixtures';

const TWO_DAYS = { days: 2, workingDays: false };
const ref = reference();
/** Today in the fixtures is Saturday 2026-11-21. */
const at = (today: string) => ctx({ today, stuck: TWO_DAYS });
const mark = (row: AnalyticsRow, today: string) => evaluateRow(row, ref, at(today)).updates.stuckSince;

describe('«Подвисла с»', () => {
  it('marks a lead whose stage has not moved for more than two days, from the third day on', () => {
    const row = lead({ stageNegotiation: d('2026-11-16') });
    expect(mark(row, '2026-11-18')).toBeUndefined(); // 2 days: not yet (the cell stays empty)
    expect(mark(row, '2026-11-19')).toEqual(d('2026-11-19'));
    expect(mark(row, '2026-11-21')).toEqual(d('2026-11-19')); // the day it got stuck, not today
  });

  it('clears itself once the stage moves', () => {
    const stuck = lead({ stageNegotiation: d('2026-11-10'), stuckSince: d('2026-11-13') });
    expect(mark({ ...stuck, stageDeciding: d('2026-11-21') }, '2026-11-21')).toBe('');
    // A typed «x» in the next stage moves it as well.
    expect(mark({ ...stuck, stageDeciding: 'x' }, '2026-11-21')).toBe('');
  });

  it('is not «Ожидание»: a contact without a stage change keeps the lead stuck, and an idle lead is both', () => {
    const talked = lead({ stageNegotiation: d('2026-11-10'), lastContact: d('2026-11-20') });
    expect(mark(talked, '2026-11-21')).toEqual(d('2026-11-13'));
    // The sweep puts the lead into «Ожидание» (no activity for 3 days); «Ожидание» is not a move.
    const idle = lead({ stageNegotiation: d('2026-11-10') });
    const swept = evaluateRow(idle, ref, ctx({ today: '2026-11-21', stuck: TWO_DAYS, idle: { idleDays: 3, workingDays: false } })).updates;
    expect(swept.stageWaiting).toEqual(d('2026-11-13'));
    expect(swept.currentStage).toBe('Ожидание');
    expect(swept.stuckSince).toEqual(d('2026-11-13'));
  });

  it('never marks a paid or refused lead, and clears the mark when it closes', () => {
    expect(mark(lead({ stageNegotiation: d('2026-11-01'), stagePaid: d('2026-11-05'), paidAmount: 100, questionnaireFilled: 'Да', individualNumber: '417sk902' }), '2026-11-21')).toBeUndefined();
    expect(mark(lead({ stageNegotiation: d('2026-11-01'), stageRefused: 'отказ', refusalReason: 'Дубль', stuckSince: d('2026-11-04') }), '2026-11-21')).toBe('');
  });

  it('counts working days when «Настройки» say so: a Friday stage is stuck on Wednesday, not on Monday', () => {
    // 2026-11-13 is a Friday.
    const friday = { stageLinkSent: '2026-11-13' } as const;
    expect(stuckSince(friday, false, '2026-11-16', { days: 2, workingDays: true })).toBeNull();
    expect(stuckSince(friday, false, '2026-11-17', { days: 2, workingDays: true })).toBeNull();
    expect(stuckSince(friday, false, '2026-11-18', { days: 2, workingDays: true })).toBe('2026-11-18');
    expect(stuckSince(friday, false, '2026-11-16', { days: 2, workingDays: false })).toBe('2026-11-16');
  });

  it('leaves the cell alone when no settings are given, and never touches what the manager typed', () => {
    const row = lead({ stageNegotiation: d('2026-11-10'), stuckSince: d('2026-11-13') });
    expect(evaluateRow(row, ref, ctx()).updates).not.toHaveProperty('stuckSince');
    const typed = evaluateRow(lead({ stageNegotiation: '10.11.2026', lastContact: '20.11' }), ref, at('2026-11-21')).updates;
    expect(typed.stuckSince).toEqual(d('2026-11-13'));
    expect(Object.keys(typed).filter((k) => !['stageNegotiation', 'lastContact', 'currentStage', 'stuckSince', 'problems'].includes(k))).toEqual([]);
  });

  it('is set and cleared by the daily sweep too (time alone makes a lead stuck)', () => {
    const opts = { today: '2026-11-21', idleDays: 30, workingDays: false, tz: TZ, stuck: TWO_DAYS };
    expect(idleSweepUpdates(lead({ stageDeciding: d('2026-11-17') }), opts)).toEqual({ stuckSince: d('2026-11-20') });
    expect(idleSweepUpdates(lead({ stageDeciding: d('2026-11-20'), stuckSince: d('2026-11-19') }), opts)).toEqual({ stuckSince: '' });
    expect(idleSweepUpdates(lead({ stageDeciding: d('2026-11-20') }), opts)).toEqual({});
  });
});
