// The Moscow fast path of src/core/dates.ts (fixed UTC+3 since 2014-10-26, by arithmetic) must agree with
// what Intl says, on both sides of the 2014 switch and around every midnight, whatever the machine zone.
import { describe, expect, it } from 'vitest';
import { daysBetween, localDateTimeToDate, moscowDayIndex, MOSCOW, MOSCOW_FIXED_DAYS, toLocalDate, zonedParts, zoneOffsetMs } from '../src/core/dates';
import { readDateCell } from '../src/core/analytics/cells';

const intl = new Intl.DateTimeFormat('en-US', {
  timeZone: MOSCOW, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
});

/** 'YYYY-MM-DD HH:MM' in Moscow, straight from Intl. */
function moscowWallClock(ms: number): string {
  const p = Object.fromEntries(intl.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function viaDates(ms: number): string {
  const p = zonedParts(ms, MOSCOW);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${toLocalDate(ms, MOSCOW)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const HOUR = 3_600_000;
const SWITCH = Date.UTC(2014, 9, 25, 22); // 2014-10-26 02:00 MSK (UTC+4) became 01:00 MSK (UTC+3)

describe('Moscow dates by arithmetic', () => {
  const instants: number[] = [];
  // Around the 2014 switch, hour by hour, and the minutes either side of it.
  for (let h = -30; h <= 30; h++) instants.push(SWITCH + h * HOUR, SWITCH + h * HOUR - 60_000, SWITCH + h * HOUR + 59_999);
  // Midnights and the instants next to them over the years the product sees, and summer-time years before.
  for (const y of [2010, 2011, 2012, 2013, 2014, 2015, 2020, 2026, 2027, 2039, 2040, 2041]) {
    for (const m of [0, 2, 3, 5, 9, 10, 11]) {
      const midnight = Date.UTC(y, m, 15) - 3 * HOUR;
      instants.push(midnight, midnight - 1, midnight + 1, midnight - HOUR, midnight + HOUR, midnight + 20 * HOUR + 59 * 60_000);
    }
  }

  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
    it(`agrees with Intl under TZ=${tz}`, () => {
      const zone = process.env.TZ;
      process.env.TZ = tz;
      try {
        for (const ms of instants) expect(viaDates(ms), new Date(ms).toISOString()).toBe(moscowWallClock(ms));
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });
  }

  it('uses the fixed offset only inside its window, and only for Moscow', () => {
    expect(moscowDayIndex(SWITCH - 1, MOSCOW)).toBe(-1);
    expect(moscowDayIndex(SWITCH, MOSCOW)).toBe(0); // 2014-10-26 01:00 MSK
    expect(moscowDayIndex(SWITCH + 23 * HOUR - 1, MOSCOW)).toBe(0); // 23:59:59.999 that day
    expect(moscowDayIndex(SWITCH + 23 * HOUR, MOSCOW)).toBe(1);
    expect(moscowDayIndex(Date.UTC(2040, 11, 31, 20, 59), MOSCOW)).toBe(daysBetween('2014-10-26', '2040-12-31'));
    expect(moscowDayIndex(Date.UTC(2041, 0, 1) - 1, MOSCOW)).toBeLessThan(MOSCOW_FIXED_DAYS); // 02:59 MSK, 2041-01-01
    expect(moscowDayIndex(Date.UTC(2041, 0, 1), MOSCOW)).toBe(-1);
    expect(moscowDayIndex(Date.UTC(2026, 0, 1), 'Europe/Kaliningrad')).toBe(-1);
    expect(moscowDayIndex(Number.NaN, MOSCOW)).toBe(-1);
    expect(zoneOffsetMs(SWITCH - 1, MOSCOW)).toBe(4 * HOUR);
    expect(zoneOffsetMs(SWITCH, MOSCOW)).toBe(3 * HOUR);
  });

  it('reads Date cells on either side of a Moscow midnight to the right day', () => {
    const how = { column: '', acceptMarks: false, today: '2026-11-23', tz: MOSCOW };
    expect(readDateCell(new Date(Date.UTC(2026, 10, 22, 20, 59, 59)), how)).toEqual({ kind: 'date', date: '2026-11-22', written: false });
    expect(readDateCell(new Date(Date.UTC(2026, 10, 22, 21)), how)).toEqual({ kind: 'date', date: '2026-11-23', written: false });
    // Before the window (UTC+4 in 2012): the general path.
    expect(readDateCell(new Date(Date.UTC(2012, 5, 1, 19, 59)), how)).toEqual({ kind: 'date', date: '2012-06-01', written: false });
    expect(readDateCell(new Date(Date.UTC(2012, 5, 1, 20)), how)).toEqual({ kind: 'date', date: '2012-06-02', written: false });
    expect(readDateCell(new Date(Number.NaN), how).kind).toBe('bad');
    expect(localDateTimeToDate('2014-10-26', MOSCOW, 1, 30).toISOString()).toBe('2014-10-25T22:30:00.000Z');
  });
});
