// `npm run bench:readme`: rewrites the performance section of README.md from bench/results.json (written
// by `npm run bench`), so the table in the README is always the figures of a real run, never typed by hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { markdownReport, targetChecks, type BenchResults } from './bench-report';

const ROOT = process.cwd();
const RESULTS = join(ROOT, 'bench', 'results.json');
const README = join(ROOT, 'README.md');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function replaceSection(readme: string, body: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${body}\n${readme.slice(end)}`;
}

if (process.argv[1] && /bench-readme\.ts$/.test(process.argv[1])) {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults;
  // Checked again against the current targets, in case they changed since the run.
  results.checks = targetChecks(results);
  writeFileSync(README, replaceSection(readFileSync(README, 'utf8'), markdownReport(results)));
  console.log(`README.md: performance section from ${RESULTS}`);
}
