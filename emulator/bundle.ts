// Runs the built bundle (dist/Code.js) the way Apps Script does: one global scope whose globals are the
// services, top-level function declarations becoming callable entry points.
import vm from 'node:vm';
import type { GasEnvironment } from './index';

export interface LoadedBundle {
  context: vm.Context;
  /** Calls a top-level function as Apps Script would run it (menu item, trigger, editor "Run"). */
  call(name: string, ...args: unknown[]): unknown;
  /** Names declared as top-level `function NAME(` in the source and callable on the context. */
  topLevelFunctions(): string[];
}

export function loadBundle(code: string, env: GasEnvironment, opts: { filename?: string } = {}): LoadedBundle {
  const context = vm.createContext({ ...env.globals });
  vm.runInContext(code, context, { filename: opts.filename ?? 'Code.js' });
  // Template scriptlets run in the script's global scope, so they can call the bundle's functions.
  env.html.templateScope = context;
  const sandbox = context as Record<string, unknown>;
  return {
    context,
    call(name, ...args) {
      const fn = sandbox[name];
      // The message Apps Script shows when a menu item or trigger names a missing function.
      if (typeof fn !== 'function') throw new Error(`Script function not found: ${name}`);
      return (fn as (...a: unknown[]) => unknown)(...args);
    },
    topLevelFunctions() {
      const names = new Set<string>();
      for (const m of code.matchAll(/^function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/gm)) names.add(m[1]);
      return [...names].filter((n) => typeof sandbox[n] === 'function');
    },
  };
}
