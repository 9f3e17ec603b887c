import type { JobClock } from '../jobs/analytics';

/**
 * The moment, randomness and user of this execution. The user is asked for only when something is
 * logged: a tick with nothing to do then makes no Session call (288 ticks a day).
 */
export function jobClock(): JobClock {
  let user: string | undefined;
  return {
    now: new Date(),
    random: Math.random,
    get user(): string {
      if (user === undefined) {
        user = '';
        try {
          user = Session.getActiveUser().getEmail();
        } catch {
          // Simple triggers of other users may not reveal the email; the log then shows it empty.
        }
      }
      return user;
    },
  };
}
