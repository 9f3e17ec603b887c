// Every write path runs under the script lock so a trigger, a menu run and an edit never interleave
// their read-modify-write cycles.
import { withRetry } from './retry';

export class LockBusyError extends Error {}

export function withScriptLock<T>(fn: () => T, timeoutMs = 30_000): T {
  const lock = withRetry(() => LockService.getScriptLock());
  // A transient service error while asking for the lock did not take it: asking again is safe.
  if (!withRetry(() => lock.tryLock(timeoutMs))) {
    throw new LockBusyError('Таблица занята другим процессом (расписание или другой пользователь). Попробуйте ещё раз через минуту.');
  }
  try {
    return fn();
  } finally {
    lock.releaseLock();
  }
}
