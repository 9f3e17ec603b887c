// Strictness is the default for every product test, the benchmark and `npm start`: only a test about an
// emulator rule (test/emulator/) may grant other scopes or loosen the platform's checks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');

/** Ways to switch a rule off or around it. */
const LOOSENERS: Array<[RegExp, string]> = [
  [/\bauthMode\s*=(?!=)/, 'sets the authorization mode by hand'],
  [/\bgrantedScopes\b/, 'changes the granted scopes'],
  [/\boauthScopes\s*:\s*\[/, 'grants its own scopes instead of the project manifest'],
  [/\bcostListener\b|\.latency\s*=|\bmsPerCell\s*=/, 'changes the time model'],
  [/\bactiveUserEmail\b/, 'overrides who the active user is'],
  [/\btriggerRuntime\b/, 'touches the daily trigger runtime'],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

describe('the strict emulator is the default', () => {
  it('no product test, benchmark or local-runner script switches a platform rule off', () => {
    const offenders: string[] = [];
    const candidates = [...files(join(root, 'test')), ...files(join(root, 'scripts'))]
      .filter((f) => !f.includes(`${join('test', 'emulator')}`) && !f.endsWith('strict-default.test.ts'));
    for (const file of candidates) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const [re, why] of LOOSENERS) if (re.test(line)) offenders.push(`${relative(root, file)}:${i + 1} ${why}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('every product test world, the benchmark and the local runner run with the project manifest', () => {
    const support = readFileSync(join(root, 'test/support/env.ts'), 'utf8');
    expect(support).toMatch(/manifest: projectManifest\(\)/);
    for (const script of ['scripts/local.ts', 'scripts/bench-data.ts']) {
      expect(readFileSync(join(root, script), 'utf8')).toMatch(/manifest: readManifest\(join\(root, 'dist', 'appsscript\.json'\)\)/);
    }
  });
});
