import type { JobClock } from '../jobs/analytics';

/** The moment, randomness and user of this execution. */
export function jobClock(): JobClock {
  let user = '';
  try {
    user = Session.getActiveUser().getEmail();
  } catch {
    // Simple triggers of other users may not reveal the email; the log then shows it empty.
  }
  return { now: new Date(), random: Math.random, user };
}
