// Static check that appsscript.json grants every Apps Script method src/ calls. The type checker resolves
// each property access to its declaration in @types/google-apps-script, so aliases, chained calls and
// variables typed as GoogleAppsScript.* are all seen; the scopes come from emulator/auth/scopes.json.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isGranted, requiredScopes } from '../emulator/auth/scopes';

const ROOT = join(__dirname, '..');
const GAS_TYPES = `${sep}node_modules${sep}@types${sep}google-apps-script${sep}`;

interface Use { method: string; firstUse: string }

function loadProgram(): ts.Program {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT, undefined, configPath);
  // Only src/ is deployed; the tsconfig's options (types: google-apps-script, node) still apply.
  const srcRoot = join(ROOT, 'src') + sep;
  const rootNames = parsed.fileNames.filter((f) => join(f).startsWith(srcRoot) && f.endsWith('.ts'));
  return ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

/** "Interface.method" when the declaration is a method of an interface in the GoogleAppsScript namespace. */
function gasMethodKey(decl: ts.Declaration): string | undefined {
  if (!ts.isMethodSignature(decl) || !ts.isIdentifier(decl.name)) return undefined;
  if (!decl.getSourceFile().fileName.split('/').join(sep).includes(GAS_TYPES)) return undefined;
  const owner = decl.parent;
  if (!ts.isInterfaceDeclaration(owner)) return undefined;
  let outer: ts.Node = owner.parent;
  let topNamespace: string | undefined;
  while (outer && !ts.isSourceFile(outer)) {
    if (ts.isModuleDeclaration(outer) && ts.isIdentifier(outer.name)) topNamespace = outer.name.text;
    outer = outer.parent;
  }
  return topNamespace === 'GoogleAppsScript' ? `${owner.name.text}.${decl.name.text}` : undefined;
}

function collectUses(program: ts.Program): Use[] {
  const checker = program.getTypeChecker();
  const srcRoot = join(ROOT, 'src') + sep;
  const uses = new Map<string, Use>();
  for (const sf of program.getSourceFiles()) {
    if (!join(sf.fileName).startsWith(srcRoot)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        for (const decl of symbol?.declarations ?? []) {
          const method = gasMethodKey(decl);
          if (!method || uses.has(method)) continue;
          const { line } = sf.getLineAndCharacterOfPosition(node.name.getStart(sf));
          uses.set(method, { method, firstUse: `${relative(ROOT, sf.fileName).split(sep).join('/')}:${line + 1}` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...uses.values()].sort((a, b) => a.method.localeCompare(b.method));
}

function manifestScopes(): Set<string> {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')) as { oauthScopes?: string[] };
  return new Set(manifest.oauthScopes ?? []);
}

describe('appsscript.json covers the Apps Script methods src/ calls', () => {
  const uses = collectUses(loadProgram());
  const granted = manifestScopes();
  const short = (s: string) => s.replace('https://www.googleapis.com/auth/', '');

  const width = Math.max(0, ...uses.map((u) => u.method.length)) + 2;
  console.log(
    `Apps Script methods used by src/ (${uses.length}), with the scopes Google documents (any one suffices):\n` +
      uses.map((u) => {
        const req = requiredScopes(u.method);
        const scopes = req === undefined ? 'NOT IN TABLE' : req.length === 0 ? '(none)' : req.map(short).join(' | ');
        return `  ${u.method.padEnd(width)} ${scopes}`;
      }).join('\n'),
  );

  it('finds the Apps Script calls in src/ through the type checker', () => {
    // A sanity floor: the bound-sheet product cannot work without these.
    expect(uses.map((u) => u.method)).toEqual(expect.arrayContaining(['SpreadsheetApp.getActiveSpreadsheet', 'Range.setValues']));
  });

  it('every method src/ calls is in the scope table', () => {
    const unknown = uses.filter((u) => requiredScopes(u.method) === undefined).map((u) => `${u.method} (first used at ${u.firstUse})`);
    expect(unknown, 'methods missing from emulator/auth/scopes.json').toEqual([]);
  });

  it('the manifest oauthScopes grant every method src/ calls', () => {
    const uncovered = uses
      .filter((u) => {
        const req = requiredScopes(u.method);
        return req !== undefined && !isGranted(req, granted);
      })
      .map((u) => `${u.method} at ${u.firstUse} needs one of: ${requiredScopes(u.method)!.join(', ')}`);
    expect(
      uncovered,
      `appsscript.json oauthScopes [${[...granted].map(short).join(', ')}] do not cover ${uncovered.length} method(s):\n  ${uncovered.join('\n  ')}\n`,
    ).toEqual([]);
  });
});
