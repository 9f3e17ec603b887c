import type { JobClock } from '../jobs/analytics';

/**
 * The moment, randomness and user of this execution. The user is asked for only when something is
 * logged: a tick with nothing to do then makes no Session call (288 ticks a day). An edit's own e.user
 * comes first; '' when Google gives neither (a colleague's simple onEdit): «Журнал» says so.
 */
export function jobClock(e?: { user?: GoogleAppsScript.Base.User }): JobClock {
  let user: string | undefined;
  return {
    now: new Date(),
    random: Math.random,
    get user(): string {
      if (user === undefined) {
        user = '';
        try {
          user = e?.user?.getEmail() || Session.getActiveUser().getEmail();
        } catch {
          // Simple triggers of other users may not reveal the email; the log then says it is unknown.
        }
      }
      return user;
    },
  };
}
