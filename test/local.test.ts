// `npm start`: the bundle run locally against an .xlsx workbook.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';
import { parseOptions, runLocal } from '../scripts/local';
import { loadWorkbook } from '../emulator/xlsx';
import { createGasEnvironment } from '../emulator/index';
import { projectManifest } from './support/manifest';

beforeAll(async () => {
  await buildBundle();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'sales-local-'));

function options(dir: string, extra: string[] = []) {
  return parseOptions(['--workbook', join(dir, 'workbook.xlsx'), '--outbox', join(dir, 'outbox'), '--partners', join(dir, 'partners'), '--seed', '3', '--at', '2026-11-23 10:00', ...extra]);
}

describe('the local runner', () => {
  it('creates the workbook from the templates with demo data, and a second run keeps it', async () => {
    const dir = tmp();
    const lines: string[] = [];
    await runLocal(options(dir), (l) => lines.push(l));
    expect(existsSync(join(dir, 'workbook.xlsx'))).toBe(true);
    expect(lines.join('\n')).toContain('создана');

    const env = createGasEnvironment({ manifest: projectManifest() });
    const ss = await loadWorkbook(join(dir, 'workbook.xlsx'), env.world);
    const analytics = ss.getSheetByName('Аналитика')!;
    const leads = analytics.getLastRow() - 1;
    expect(leads).toBeGreaterThan(30);
    // The jobs ran: every lead has its current stage and the broken ones their problems.
    const problems = analytics.getRange(2, 1, leads, analytics.getLastColumn()).getValues().filter((r) => r.some((v) => typeof v === 'string' && v.includes('Промокод «SUPER20»')));
    expect(problems).toHaveLength(1);

    const again: string[] = [];
    await runLocal(options(dir, ['--job', 'recalc']), (l) => again.push(l));
    const reloaded = await loadWorkbook(join(dir, 'workbook.xlsx'), createGasEnvironment({ manifest: projectManifest() }).world);
    expect(reloaded.getSheetByName('Аналитика')!.getLastRow() - 1).toBe(leads);
    expect(again.join('\n')).toMatch(/Изменено ячеек: 0/);
  });

  it('refuses a bad flag or time with a clear message', () => {
    expect(() => parseOptions(['--job', 'nonsense'])).toThrow(/неизвестное задание/);
    expect(() => parseOptions(['--at', '2026-02-31 10:00'])).toThrow(/ГГГГ-ММ-ДД/);
    expect(() => parseOptions(['--colour', 'red'])).toThrow();
    expect(parseOptions(['--at', '2026-11-23 20:00']).at.toISOString()).toBe('2026-11-23T17:00:00.000Z');
  });

  it('exits non-zero on a bad flag and on an unreadable workbook', () => {
    const bad = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--job', 'nonsense'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('неизвестное задание');
    const dir = tmp();
    writeFileSync(join(dir, 'broken.xlsx'), 'this is not a workbook');
    const broken = spawnSync('node', ['--import', 'tsx', 'scripts/local.ts', '--workbook', join(dir, 'broken.xlsx')], { encoding: 'utf8' });
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toContain('Не удалось открыть');
  });
});
