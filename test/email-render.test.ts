// Both emails rendered by a real browser at a phone-ish 600 px: no horizontal overflow. Screenshots
// are kept in test-artifacts/ for a person to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { runSetup } from '../src/jobs/setup';
import { composeReport } from '../src/jobs/reports';
import { loadSettings } from '../src/gas/settings';
import { fillDemoData } from '../scripts/demo';
import { makeWorld } from './support/env';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser: Browser | null = null;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
    return;
  }
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

function emails() {
  const w = makeWorld({ at: '2026-11-23 20:00' });
  runSetup(w.ss);
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  const { settings } = loadSettings(w.ss);
  const now = new Date(w.env.ctx.clock.now());
  return {
    secretary: composeReport('secretaryReport', w.ss, settings, now),
    rop: composeReport('headOfSalesReport', w.ss, settings, now),
  };
}

describe('the emails in a browser', () => {
  for (const kind of ['secretary', 'rop'] as const) {
    it(`lays out the ${kind} email at 600 px without horizontal overflow`, async (ctx) => {
      if (!browser) ctx.skip();
      const email = emails()[kind];
      const page = await browser!.newPage({ viewport: { width: 600, height: 900 } });
      await page.setContent(`<!doctype html><meta charset="utf-8"><body style="margin:0">${email.html}</body>`);
      // A string, so the test's TypeScript needs no DOM types.
      const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
      expect(scroll).toBeLessThanOrEqual(client);
      mkdirSync('test-artifacts', { recursive: true });
      await page.screenshot({ path: `test-artifacts/email-${kind}.png`, fullPage: true });
      expect(await page.textContent('body')).toContain(kind === 'secretary' ? 'Отчёт секретаря' : 'Отчёт РОП');
      await page.close();
    });
  }
});
