// Builds emulator/auth/scopes.json: "<Interface>.<method>" -> OAuth scopes that Google's
// reference lists for the method, read from the JSDoc of the gas-types-detailed typings.
// Run: node --import tsx scripts/gen-scopes.ts
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TYPINGS_DIR = join(ROOT, 'node_modules', 'gas-types-detailed');
export const SCOPES_JSON = join(ROOT, 'emulator', 'auth', 'scopes.json');

export type ScopeTable = Record<string, string[]>;

export interface GenerateResult {
  table: ScopeTable;
  warnings: string[];
}

// The sentence Google puts before the scope bullets; a variant adds "or appropriate scopes from the related REST API".
const AUTH_INTRO = 'Scripts that use this method require authorization with one or more of the following scopes';

/** Scopes listed in a raw JSDoc block, or [] when it has no Authorization section. */
export function scopesFromJsDoc(raw: string): string[] {
  const lines = raw.split(/\r?\n/).map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').trimEnd());
  const start = lines.findIndex((l) => l.includes(AUTH_INTRO));
  if (start < 0) return [];
  const scopes: string[] = [];
  for (const line of lines.slice(start + 1)) {
    // Bullets normally; Slides' TextRange.select also lists them bare.
    const m = /^\s*(?:-\s+)?(https?:\/\/\S+)\s*$/.exec(line);
    if (m && !m[1]!.startsWith('https://developers.google.com/')) scopes.push(m[1]!);
    else if (line.trim() === '') continue;
    else break; // the list ends at the reference URL, @param or other prose
  }
  return [...new Set(scopes)].sort();
}

/** Typings files of the built-in services; apis/ (Advanced services) is left out on purpose. */
export function typingsFiles(dir = TYPINGS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /^google-apps-script\..+\.d\.ts$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

interface Entry { scopes: string[]; where: string }

// Sheets is the service this emulator models, so a tie between same-named interfaces goes to it.
const PREFERRED_NAMESPACE = 'GoogleAppsScript.Spreadsheet';

function intersect(lists: readonly string[][]): string[] {
  return lists[0]!.filter((s) => lists.every((l) => l.includes(s)));
}

export function generateScopeTable(dir = TYPINGS_DIR): GenerateResult {
  // key -> namespace-qualified interface -> one entry per documented overload
  const seen = new Map<string, Map<string, Entry[]>>();
  for (const file of typingsFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node, ns: string): void => {
      if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) {
        const inner = ns ? `${ns}.${node.name.text}` : node.name.text;
        if (node.body) ts.forEachChild(node.body, (child) => visit(child, inner));
        return;
      }
      if (ts.isInterfaceDeclaration(node)) {
        const qualified = ns ? `${ns}.${node.name.text}` : node.name.text;
        for (const member of node.members) {
          if (!ts.isMethodSignature(member) || !member.name || !ts.isIdentifier(member.name)) continue;
          const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
          if (docs.length === 0) continue; // undocumented signature: says nothing about scopes
          const doc = docs[docs.length - 1]!; // the block directly above the signature
          const key = `${node.name.text}.${member.name.text}`;
          const line = sf.getLineAndCharacterOfPosition(member.getStart(sf)).line + 1;
          const entry = { scopes: scopesFromJsDoc(text.slice(doc.pos, doc.end)), where: `${file.slice(dir.length + 1)}:${line}` };
          const byNs = seen.get(key) ?? new Map<string, Entry[]>();
          seen.set(key, byNs);
          byNs.set(qualified, [...(byNs.get(qualified) ?? []), entry]);
        }
        return;
      }
      ts.forEachChild(node, (child) => visit(child, ns));
    };
    visit(sf, '');
  }

  const table: ScopeTable = {};
  const warnings: string[] = [];
  for (const key of [...seen.keys()].sort()) {
    // Overloads: keep the scopes that satisfy every overload. An overload whose page has no
    // Authorization section (e.g. SpreadsheetApp.setActiveSheet(Sheet)) is satisfied by any scope,
    // so it does not empty the intersection.
    const perInterface: { ns: string; scopes: string[]; where: string }[] = [];
    for (const [qualified, entries] of seen.get(key)!) {
      const needing = entries.filter((e) => e.scopes.length > 0);
      const where = entries.map((e) => e.where).join(', ');
      if (needing.length === 0) {
        perInterface.push({ ns: qualified, scopes: [], where });
        continue;
      }
      const common = intersect(needing.map((e) => e.scopes));
      if (common.length > 0) {
        perInterface.push({ ns: qualified, scopes: common, where });
        continue;
      }
      const smallest = [...needing].sort((a, b) => a.scopes.length - b.scopes.length)[0]!;
      perInterface.push({ ns: qualified, scopes: smallest.scopes, where });
      warnings.push(`warning: ${key}: overloads of ${qualified} list disjoint scopes (${describe(needing)}); kept [${smallest.scopes.join(', ')}]`);
    }
    // Same-named interfaces in different namespaces share one key: intersect them too.
    const common = intersect(perInterface.map((p) => p.scopes));
    if (perInterface.length === 1 || common.length > 0 || perInterface.every((p) => p.scopes.length === 0)) {
      table[key] = common;
      continue;
    }
    const preferred = (p: { ns: string }) => (p.ns.startsWith(`${PREFERRED_NAMESPACE}.`) ? 0 : 1);
    const kept = [...perInterface].sort((a, b) => a.scopes.length - b.scopes.length || preferred(a) - preferred(b))[0]!;
    table[key] = kept.scopes;
    warnings.push(`warning: ${key}: same-named interfaces list disjoint scopes (${describe(perInterface)}); kept ${kept.ns} [${kept.scopes.join(', ') || 'none'}]`);
  }
  return { table, warnings };
}

function describe(items: readonly { scopes: string[]; where: string }[]): string {
  return items.map((e) => `${e.where} [${e.scopes.join(', ') || 'none'}]`).join('; ');
}

/** One entry per line keeps the file small and diffs readable; still plain JSON. */
export function serializeScopeTable(table: ScopeTable): string {
  const keys = Object.keys(table).sort();
  const body = keys.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(table[k])}`).join(',\n');
  return `{\n${body}\n}\n`;
}

function main(): void {
  const { table, warnings } = generateScopeTable();
  for (const w of warnings) console.warn(w);
  mkdirSync(dirname(SCOPES_JSON), { recursive: true });
  writeFileSync(SCOPES_JSON, serializeScopeTable(table));
  const withScopes = Object.values(table).filter((s) => s.length > 0).length;
  console.log(`wrote ${SCOPES_JSON}: ${Object.keys(table).length} methods (${withScopes} need authorization)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
