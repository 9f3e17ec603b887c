// `npm run docs:images`: the README's pictures are made from the demo by the script, in headless Chromium.
// The script runs into a temporary folder; every picture must be a real PNG of a sensible size, and the
// three emails must be three different pictures. Without Chromium the tests are skipped (as preview's).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const NO_CHROMIUM = `${CHROMIUM} is missing: install chromium (apt-get install -y chromium) or set CHROMIUM_PATH`;
const dir = mkdtempSync(join(tmpdir(), 'sales-docs-images-test-'));
const out = join(dir, 'img');
const FILES = ['email-rop.png', 'email-secretary.png', 'email-manager.png', 'funnel.png', 'wizard.png', 'menu.png'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let run: SpawnSyncReturns<string> | null = null;

const script = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/docs-images.ts', ...args], { encoding: 'utf8', env, timeout: 120_000 });

/** Width and height from the IHDR chunk, which a PNG must have first. */
function ihdr(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

beforeAll(() => {
  // As npm run docs:images: a build only when the sources are newer.
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
    return;
  }
  run = script(['--out', out]);
}, 150_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run docs:images', () => {
  it('without Chromium stops with a Russian message and a non-zero exit, writing nothing', () => {
    const missing = join(dir, 'no-chromium');
    const r = script(['--out', join(dir, 'never')], { ...process.env, CHROMIUM_PATH: missing });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Не найден Chromium');
    expect(r.stderr).toContain(missing);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('writes the six pictures as PNGs of sensible sizes, one Russian line each', (ctx) => {
    if (!run) ctx.skip(NO_CHROMIUM);
    expect(run!.status, `${run!.stdout}\n${run!.stderr}`).toBe(0);
    for (const file of FILES) {
      const path = join(out, file);
      expect(existsSync(path), file).toBe(true);
      const buf = readFileSync(path);
      expect(buf.subarray(0, 8).equals(PNG_SIGNATURE), `${file}: PNG signature`).toBe(true);
      const { width, height } = ihdr(buf);
      expect(width, `${file} width`).toBeGreaterThanOrEqual(400);
      expect(width, `${file} width`).toBeLessThanOrEqual(2000);
      expect(height, `${file} height`).toBeGreaterThanOrEqual(200);
      expect(height, `${file} height`).toBeLessThanOrEqual(1600);
      expect(buf.length, `${file} bytes`).toBeLessThan(300 * 1024);
      const line = run!.stdout.split('\n').find((l) => l.includes(file));
      expect(line, `${file}: summary line`).toMatch(new RegExp(`${width}×${height}, \\d+ КБ$`));
    }
    expect(run!.stdout).toContain('Готово: 6 картинок');
    // The emails: a 600 px card with its margin, the way a browser opens their HTML.
    for (const file of FILES.filter((f) => f.startsWith('email-'))) expect(ihdr(readFileSync(join(out, file))).width).toBeLessThan(800);
  });

  it('makes three different email pictures', (ctx) => {
    if (!run) ctx.skip(NO_CHROMIUM);
    const emails = FILES.filter((f) => f.startsWith('email-')).map((f) => readFileSync(join(out, f)));
    expect(emails).toHaveLength(3);
    for (let i = 0; i < emails.length; i++) {
      for (let j = i + 1; j < emails.length; j++) expect(emails[i].equals(emails[j]), `${FILES[i]} vs ${FILES[j]}`).toBe(false);
    }
  });
});
