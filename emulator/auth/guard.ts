// The checks every service call passes before it runs, as Google makes them: the execution is still
// alive (time limits), the manifest grants a scope Google documents for the method, and a simple
// trigger stays inside its limited authorization.
import type { EmulatorContext } from '../context';
import type { ExecutionState } from '../services/execution';
import { EXECUTION_ERRORS, DAILY_TRIGGER_RUNTIME_MS } from '../services/execution';
import { isGranted, permissionError, requiredScopes } from './scopes';

/**
 * Simple triggers run in AuthMode.LIMITED: "They can modify the file they are bound to, but cannot access
 * other files because that would require authorization" and "cannot access services that require
 * authorization" (https://developers.google.com/apps-script/guides/triggers#restrictions). The bound
 * file's methods are the ones Google documents under a `.currentonly` scope.
 */
const CURRENT_ONLY = /\.currentonly$/;

/**
 * Session calls are allowed in simple triggers; what they return is limited instead (an empty email
 * where identity is not available: https://developers.google.com/apps-script/reference/base/session#getActiveUser()).
 */
const LIMITED_ALLOWED = new Set(['Session.getActiveUser', 'Session.getEffectiveUser', 'Session.getTemporaryActiveUserKey', 'User.getEmail']);

export class UnknownMethodError extends Error {}

export function authorizationGuard(ctx: EmulatorContext, execution: ExecutionState): (method: string) => void {
  return (method) => {
    const run = execution.current;
    if (run.killedWith) throw new Error(run.killedWith);
    if (execution.elapsed(ctx.clock.now()) > execution.limitMs) {
      run.killedWith = EXECUTION_ERRORS.timeLimit;
      throw new Error(run.killedWith);
    }
    if (run.kind === 'installableTrigger' && execution.runtimeUsed(run.user, ctx.clock.now()) > DAILY_TRIGGER_RUNTIME_MS[ctx.account]) {
      run.killedWith = EXECUTION_ERRORS.dailyRuntime;
      throw new Error(run.killedWith);
    }
    const required = requiredScopes(method);
    if (required === undefined) {
      // A method name the emulator counts but Google's reference does not list: an emulator bug, never
      // something to let through silently.
      throw new UnknownMethodError(`Emulator: ${method} is not in the scope table (emulator/auth/scopes.json)`);
    }
    if (required.length === 0) return;
    if (ctx.authMode === 'NONE') throw new Error(permissionError(method, required));
    if (ctx.authMode === 'LIMITED') {
      if (LIMITED_ALLOWED.has(method)) return;
      const bound = required.filter((s) => CURRENT_ONLY.test(s));
      if (bound.length === 0 || !isGranted(bound, ctx.grantedScopes)) throw new Error(permissionError(method, required));
      return;
    }
    if (!isGranted(required, ctx.grantedScopes)) throw new Error(permissionError(method, required));
  };
}
