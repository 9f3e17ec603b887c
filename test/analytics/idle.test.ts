import { describe, expect, it } from 'vitest';
import { toLocalDate } from '../../src/core/dates';
import { evaluateRow, idleSweepUpdates, idleUpdate } from '../../src/core/analytics';
import { ctx, d, lead, reference, TZ } from './fixtures';

const calendar = (today: string) => ({ today, idleDays: 3, workingDays: false, tz: TZ });
const working = (today: string) => ({ today, idleDays: 3, workingDays: true, tz: TZ });

describe('«Ожидание» after N calendar days', () => {
  const talked = lead({ stageNegotiation: d('2026-10-29'), lastContact: d('2026-10-29') });

  it('waits until N full days have passed', () => {
    expect(idleUpdate(talked, calendar('2026-10-31'))).toBeNull();
  });

  it('marks the lead across a month boundary with last activity + N', () => {
    expect(idleUpdate(talked, calendar('2026-11-01'))).toEqual(d('2026-11-01'));
    expect(idleUpdate(talked, calendar('2026-11-20'))).toEqual(d('2026-11-01'));
  });

  it('marks the lead across a year boundary', () => {
    const r = lead({ stageFirstContact: d('2026-12-30') });
    expect(idleUpdate(r, calendar('2027-01-02'))).toEqual(d('2027-01-02'));
  });

  it('counts «Последний контакт» as activity', () => {
    const r = lead({ stageNegotiation: d('2026-10-29'), lastContact: d('2026-10-31') });
    expect(idleUpdate(r, calendar('2026-11-02'))).toBeNull();
    expect(idleUpdate(r, calendar('2026-11-03'))).toEqual(d('2026-11-03'));
  });

  it('leaves paid and refused leads alone', () => {
    expect(idleUpdate(lead({ stageNegotiation: d('2026-10-01'), stagePaid: d('2026-10-02') }), calendar('2026-11-20'))).toBeNull();
    expect(idleUpdate(lead({ stageNegotiation: d('2026-10-01'), stageRefused: 'x' }), calendar('2026-11-20'))).toBeNull();
  });

  it('does not mark again while «Ожидание» is on or after the last activity', () => {
    const r = lead({ stageNegotiation: d('2026-10-29'), stageWaiting: d('2026-11-01') });
    expect(idleUpdate(r, calendar('2026-11-20'))).toBeNull();
  });

  it('lets a later contact make the lead active again, keeping the old «Ожидание» as history', () => {
    const r = lead({ stageNegotiation: d('2026-10-29'), stageWaiting: d('2026-11-01'), stageRenegotiation: d('2026-11-10') });
    expect(idleUpdate(r, calendar('2026-11-12'))).toBeNull();
    expect(idleSweepUpdates(r, calendar('2026-11-12'))).toEqual({});
    // …and idle again three days after that contact.
    expect(idleUpdate(r, calendar('2026-11-13'))).toEqual(d('2026-11-13'));
  });

  it('never overwrites text typed into «Ожидание»', () => {
    expect(idleUpdate(lead({ stageNegotiation: d('2026-10-29'), stageWaiting: 'думает' }), calendar('2026-11-20'))).toBeNull();
  });

  it('ignores a lead with no activity at all', () => {
    expect(idleUpdate(lead(), calendar('2026-11-20'))).toBeNull();
  });

  it('recomputes the current stage after marking', () => {
    const r = lead({ stageNegotiation: d('2026-10-29'), currentStage: 'Переговоры и отправка планов' });
    expect(idleSweepUpdates(r, calendar('2026-11-05'))).toEqual({ stageWaiting: d('2026-11-01'), currentStage: 'Ожидание' });
  });

  it('is applied by the row evaluation when the sweep settings are given', () => {
    const r = lead({ stageNegotiation: d('2026-11-10'), lastContact: d('2026-11-10'), currentStage: 'Переговоры и отправка планов' });
    const { updates } = evaluateRow(r, reference(), ctx({ idle: { idleDays: 3, workingDays: false } }));
    expect(updates).toEqual({ stageWaiting: d('2026-11-13'), currentStage: 'Ожидание' });
    expect(evaluateRow(r, reference(), ctx()).updates).toEqual({});
  });
});

describe('«Ожидание» after N working days', () => {
  it('does not count the weekend', () => {
    const friday = lead({ stageNegotiation: d('2026-11-20') });
    expect(idleUpdate(friday, working('2026-11-23'))).toBeNull(); // Monday: 1 working day
    expect(idleUpdate(friday, working('2026-11-24'))).toBeNull(); // Tuesday: 2
    expect(idleUpdate(friday, working('2026-11-25'))).toEqual(d('2026-11-25')); // Wednesday: 3
  });

  it('counts from Monday when the last activity was on a Saturday', () => {
    const saturday = lead({ stageNegotiation: d('2026-11-21') });
    expect(idleUpdate(saturday, working('2026-11-24'))).toBeNull();
    expect(idleUpdate(saturday, working('2026-11-25'))).toEqual(d('2026-11-25'));
  });

  it('lands on a working day across a month end', () => {
    const r = lead({ stageNegotiation: d('2026-10-29') }); // Thursday
    expect(idleUpdate(r, working('2026-11-03'))).toEqual(d('2026-11-03')); // Fri, Mon, Tue
  });
});

describe('«today» is the Moscow date, whatever the machine zone', () => {
  const r = lead({ stageNegotiation: d('2026-11-19') });

  it('is still the 21st at 23:59 Moscow (20:59 UTC)', () => {
    const today = toLocalDate(new Date(Date.UTC(2026, 10, 21, 20, 59)), TZ);
    expect(today).toBe('2026-11-21');
    expect(idleUpdate(r, calendar(today))).toBeNull();
  });

  it('is the 22nd at 00:01 Moscow although UTC still says the 21st', () => {
    const today = toLocalDate(new Date(Date.UTC(2026, 10, 21, 21, 1)), TZ);
    expect(today).toBe('2026-11-22');
    expect(idleUpdate(r, calendar(today))).toEqual(d('2026-11-22'));
  });

  it('returns Moscow midnight as the date cell', () => {
    expect(idleUpdate(r, calendar('2026-11-22'))?.toISOString()).toBe('2026-11-21T21:00:00.000Z');
  });
});
