// Loads dist/Code.js the way Apps Script does — one global scope whose globals are the services —
// and checks every entry point the menu and triggers name is a real top-level function.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';
import { createGasEnvironment } from '../emulator/index';
import { projectManifest } from './support/manifest';
import { loadBundle } from '../emulator/bundle';
import { MENU, menuHandlers } from '../src/core/menu';
import { TRIGGER_HANDLERS } from '../src/core/triggers';

let code = '';
beforeAll(async () => {
  await buildBundle();
  code = readFileSync('dist/Code.js', 'utf8');
});

function boundEnv() {
  const env = createGasEnvironment({ seed: 1, manifest: projectManifest() });
  env.world.setActive(env.world.createSpreadsheet('Продажи'));
  return env;
}

describe('the Apps Script bundle', () => {
  it('has no module syntax left and touches no service while loading', () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    const env = boundEnv();
    env.ctx.recorder.reset();
    loadBundle(code, env);
    expect(env.ctx.recorder.total()).toBe(0);
  });

  it('declares onOpen and onEdit as top-level functions', () => {
    const bundle = loadBundle(code, boundEnv());
    expect(bundle.topLevelFunctions()).toEqual(expect.arrayContaining(['onOpen', 'onEdit']));
  });

  it('builds the «Продажи» menu on open, and every item calls a top-level function', () => {
    const env = boundEnv();
    const bundle = loadBundle(code, env);
    env.beginExecution('simpleTrigger');
    bundle.call('onOpen', { source: env.world.getActive() });
    env.endExecution();
    expect(env.ui.menus).toHaveLength(1);
    const menu = env.ui.menus[0];
    expect(menu.caption).toBe('Продажи');
    const shown = collectHandlers(menu.items);
    expect(shown.sort()).toEqual(menuHandlers(MENU).sort());
    const declared = new Set(bundle.topLevelFunctions());
    for (const handler of shown) expect(declared, `menu item calls ${handler}`).toContain(handler);
  });

  it('declares every trigger handler the schedule installs', () => {
    const declared = new Set(loadBundle(code, boundEnv()).topLevelFunctions());
    for (const handler of TRIGGER_HANDLERS) expect(declared, `trigger calls ${handler}`).toContain(handler);
  });
});

interface ShownItem { caption?: string; functionName?: string; handler?: string; items?: ShownItem[]; separator?: boolean; kind?: string }
function collectHandlers(items: ShownItem[]): string[] {
  return items.flatMap((i) => (i.items ? collectHandlers(i.items) : i.functionName ?? i.handler ? [String(i.functionName ?? i.handler)] : []));
}
