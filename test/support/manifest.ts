// The manifest the emulator grants in tests: the built one (dist/appsscript.json, what clasp pushes to
// Google), falling back to the source before the first build.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, type ScriptManifest } from '../../emulator/index';

const root = join(__dirname, '..', '..');

export function projectManifest(): ScriptManifest {
  const built = join(root, 'dist', 'appsscript.json');
  return readManifest(existsSync(built) ? built : join(root, 'appsscript.json'));
}
