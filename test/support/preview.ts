// The browser tests' common ground: `npm run preview` as a child process (the page's URL read from its
// log), and headless Chromium from Debian's packages (CHROMIUM_PATH overrides; .ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PreviewProcess {
  child: ChildProcess;
  /** Resolves with the page's address once the server prints it. */
  url: Promise<string>;
  /** Everything the server printed so far (and notes added by the test). */
  output(): string;
  note(text: string): void;
}

/** Starts `scripts/preview.ts` with `args` on a free loopback port. */
export function spawnPreview(args: readonly string[]): PreviewProcess {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/preview.ts', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 80 s:\n${output}`)), 80_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /Предпросмотр: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`preview exited with ${code}:\n${output}`)); });
  });
  return { child, url, output: () => output, note: (text) => { output += text; } };
}

/**
 * False when Chromium is missing (the browser tests then skip), except in CI, where that is an error.
 * Builds dist/ as npm start does: only when the sources are newer (npm test has just built it).
 */
export function browserTestsCanRun(): boolean {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`);
    return false;
  }
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-needed'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  return true;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface BrowserPreview {
  preview: PreviewProcess;
  url: string;
  browser: Browser;
  page: import('playwright-core').Page;
}

/** The preview started with `args` and a 1360×820 page in Chromium; page errors land in the preview's output. */
export async function openBrowserPreview(args: readonly string[]): Promise<BrowserPreview> {
  const preview = spawnPreview(args);
  const [url, browser] = await Promise.all([preview.url, launchChromium()]);
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  page.on('pageerror', (e) => { preview.note(`\n[page error] ${e.message}`); });
  return { preview, url, browser, page };
}

/** Closes the browser and kills a preview still running (a test may have stopped it itself). */
export async function closeBrowserPreview(s: { preview: PreviewProcess | null; browser: Browser | null }): Promise<void> {
  await s.browser?.close();
  if (s.preview && s.preview.child.exitCode === null) s.preview.child.kill('SIGKILL');
}
