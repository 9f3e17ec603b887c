// Bundles src/main.ts into dist/Code.js for Apps Script: one private scope (an IIFE bound to a
// single global) plus a real top-level `function NAME(...args)` for every export of src/main.ts,
// because Apps Script only sees top-level function declarations as entry points.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/main.ts');
const outDir = join(root, 'dist');
const outFile = join(outDir, 'Code.js');
const APP_GLOBAL = '__salesOps';

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

function upToDate() {
  if (!existsSync(outFile) || !existsSync(join(outDir, 'appsscript.json'))) return false;
  const built = statSync(outFile).mtimeMs;
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'sheets-templates')),
    statSync(join(root, 'appsscript.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
  return built >= sources;
}

export async function buildBundle() {
  // An ESM pass only to learn the export list (an IIFE build has none).
  const probe = await build({
    entryPoints: [entry], bundle: true, format: 'esm', write: false, metafile: true,
    platform: 'neutral', target: 'es2019', logLevel: 'silent', outfile: 'probe.js',
  });
  const exportsList = Object.values(probe.metafile.outputs).flatMap((o) => o.exports ?? []);
  if (exportsList.length === 0) throw new Error('src/main.ts exports nothing');

  const result = await build({
    entryPoints: [entry], bundle: true, format: 'iife', globalName: APP_GLOBAL, write: false,
    platform: 'neutral', target: 'es2019', charset: 'utf8', legalComments: 'none',
    mainFields: ['module', 'main'], logLevel: 'warning',
  });
  const body = result.outputFiles[0].text;
  const wrappers = exportsList
    .sort()
    .map((name) => `function ${name}(...args) {\n  return ${APP_GLOBAL}.${name}(...args);\n}`)
    .join('\n\n');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outFile, `${body}\n// Entry points Apps Script can see (generated).\n${wrappers}\n`);
  copyFileSync(join(root, 'appsscript.json'), join(outDir, 'appsscript.json'));
  return { exports: exportsList, bytes: Buffer.byteLength(body) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-needed') && upToDate()) process.exit(0);
  const { exports, bytes } = await buildBundle();
  console.log(`dist/Code.js: ${(bytes / 1024).toFixed(1)} KB, ${exports.length} entry points`);
}
