import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';

describe('deploying with clasp', () => {
  it('pushes exactly the built bundle and the manifest, nothing else', async () => {
    await buildBundle();
    const out = execFileSync('npx', ['--no-install', 'clasp', 'show-file-status', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const status = JSON.parse(out.trim().split('\n').pop()!);
    expect([...status.filesToPush].sort()).toEqual(['dist/Code.js', 'dist/appsscript.json']);
    expect(readdirSync('dist').sort()).toEqual(['Code.js', 'appsscript.json']);
  });

  it('ships a V8 manifest in Moscow time with an explicit, minimal scope list', () => {
    const manifest = JSON.parse(readFileSync('appsscript.json', 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Europe/Moscow');
    expect(manifest.exceptionLogging).toBe('STACKDRIVER');
    expect(manifest.oauthScopes).toEqual([
      'https://www.googleapis.com/auth/spreadsheets',
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.scriptapp',
      'https://www.googleapis.com/auth/script.send_mail',
      'https://www.googleapis.com/auth/userinfo.email',
    ]);
    // No Drive scope at all: partner files are created, opened and shared through the Spreadsheet
    // service (documented under `spreadsheets`); `drive` would reach every file in the owner's Drive.
    expect(manifest.oauthScopes.filter((s: string) => /\/auth\/drive/.test(s))).toEqual([]);
  });
});
