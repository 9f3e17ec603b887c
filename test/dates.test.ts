import { describe, expect, it } from 'vitest';
import { addWorkingDays, daysBetween, localDateTimeToDate, toLocalDate, workingDaysBetween, zonedParts } from '../src/core/dates';

describe('dates', () => {
  it('gives the Moscow calendar date whatever the machine zone', () => {
    // 23:59 and 00:01 Moscow on either side of midnight.
    expect(toLocalDate(Date.UTC(2026, 10, 21, 20, 59), 'Europe/Moscow')).toBe('2026-11-21');
    expect(toLocalDate(Date.UTC(2026, 10, 21, 21, 1), 'Europe/Moscow')).toBe('2026-11-22');
  });
  it('builds the instant of a Moscow wall-clock time', () => {
    expect(localDateTimeToDate('2026-11-23', 'Europe/Moscow', 11, 0).toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(zonedParts(localDateTimeToDate('2026-03-29', 'America/Los_Angeles', 12, 30), 'America/Los_Angeles').hour).toBe(12);
  });
  it('counts calendar and working days', () => {
    expect(daysBetween('2026-11-20', '2026-11-23')).toBe(3);
    expect(workingDaysBetween('2026-11-20', '2026-11-23')).toBe(1); // Fri → Mon
    expect(addWorkingDays('2026-11-20', 3)).toBe('2026-11-25');
  });
});
