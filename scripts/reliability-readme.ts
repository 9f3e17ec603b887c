// Rewrites the reliability table of README.md from the tallies the reliability suite wrote
// (test-artifacts/reliability/<part>.json, one per test file), so the numbers are never typed by hand.
// Also writes the merged tallies to test-artifacts/reliability.json.
//   npx vitest run test/reliability && npm run reliability:readme
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Row { section: string; item: string; tried: number; passed: number }
interface Part { part: string; writtenAt: string; rows: Row[] }

const ROOT = process.cwd();
const PARTS_DIR = join(ROOT, 'test-artifacts', 'reliability');
const MERGED = join(ROOT, 'test-artifacts', 'reliability.json');
const README = join(ROOT, 'README.md');
const START = '<!-- reliability:start -->';
const END = '<!-- reliability:end -->';
/** Sections in the order the table shows them. */
const ORDER = ['Сбои сервисов', 'Параллельные запуски', 'Восстановление после сбоя', 'Неверные данные', 'Безопасность'];
const FAULT_SECTION = 'Сбои сервисов';
const MODES = ['временный сбой (повтор)', 'сбой на всех повторах', 'постоянная ошибка', 'квота писем исчерпана', 'файл партнёра удалён во время синхронизации'];

function readParts(): Part[] {
  if (!existsSync(PARTS_DIR)) throw new Error(`${PARTS_DIR} does not exist: run «npx vitest run test/reliability» first`);
  const files = readdirSync(PARTS_DIR).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no tallies in ${PARTS_DIR}: run «npx vitest run test/reliability» first`);
  return files.map((f) => JSON.parse(readFileSync(join(PARTS_DIR, f), 'utf8')) as Part);
}

const cell = (passed: number, tried: number) => (tried === 0 ? '—' : `${passed} / ${tried}`);

export function renderTable(rows: Row[]): string {
  const out: string[] = [];
  const faults = rows.filter((r) => r.section === FAULT_SECTION);
  if (faults.length > 0) {
    const jobs = [...new Set(faults.map((r) => r.item.slice(0, r.item.lastIndexOf(' — '))))];
    const modes = MODES.filter((m) => faults.some((r) => r.item.endsWith(` — ${m}`)));
    out.push(`**${FAULT_SECTION}** — каждый вызов сервиса (первый, средний и последний каждого вида) падает по очереди; прошло / запущено:`, '');
    out.push(`| задание | ${modes.join(' | ')} | всего |`, `|---|${modes.map(() => '---:').join('|')}|---:|`);
    let passed = 0;
    let tried = 0;
    for (const job of jobs) {
      const byMode = modes.map((m) => faults.find((r) => r.item === `${job} — ${m}`));
      const p = byMode.reduce((s, r) => s + (r?.passed ?? 0), 0);
      const t = byMode.reduce((s, r) => s + (r?.tried ?? 0), 0);
      passed += p;
      tried += t;
      out.push(`| ${job} | ${byMode.map((r) => cell(r?.passed ?? 0, r?.tried ?? 0)).join(' | ')} | ${cell(p, t)} |`);
    }
    out.push(`| **всего** | ${modes.map((m) => { const list = faults.filter((r) => r.item.endsWith(` — ${m}`)); return cell(list.reduce((s, r) => s + r.passed, 0), list.reduce((s, r) => s + r.tried, 0)); }).join(' | ')} | **${cell(passed, tried)}** |`, '');
  }
  const others = [...new Set(rows.map((r) => r.section))].filter((s) => s !== FAULT_SECTION)
    .sort((a, b) => (ORDER.indexOf(a) + 100 * Number(!ORDER.includes(a))) - (ORDER.indexOf(b) + 100 * Number(!ORDER.includes(b))));
  if (others.length > 0) {
    out.push('| раздел | сценарий | прошло |', '|---|---|---:|');
    for (const section of others) {
      for (const r of rows.filter((x) => x.section === section)) out.push(`| ${section} | ${r.item} | ${cell(r.passed, r.tried)} |`);
    }
    out.push('');
  }
  const all = rows.reduce((a, r) => ({ passed: a.passed + r.passed, tried: a.tried + r.tried }), { passed: 0, tried: 0 });
  out.push(`Итого проверок: ${all.passed} из ${all.tried} прошли.`);
  return out.join('\n');
}

function main(): void {
  const parts = readParts();
  const rows = parts.flatMap((p) => p.rows);
  writeFileSync(MERGED, `${JSON.stringify({ parts: parts.map((p) => ({ part: p.part, writtenAt: p.writtenAt })), rows }, null, 2)}\n`);
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  const table = renderTable(rows);
  const next = `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
  writeFileSync(README, next);
  process.stdout.write(`README.md: reliability table from ${parts.length} tallies, ${rows.length} rows\n`);
}

main();
