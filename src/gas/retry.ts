// Transient Apps Script service errors are retried with exponential backoff; anything else, or the
// last failure, propagates so the job fails loudly.

const TRANSIENT = /timed out|invoked too many times in a short time|Service error|temporarily unavailable|Internal error|try again later|Address unavailable|Service Spreadsheets failed|Too many simultaneous invocations|Service invoked too many times/i;

/** Error text across realms (errors thrown by services are not instances of this realm's Error). */
export function errorMessage(error: unknown): string {
  const m = (error as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(error);
}

export function isTransient(error: unknown): boolean {
  const message = errorMessage(error);
  return TRANSIENT.test(message) && !/for one day: email/i.test(message);
}

/**
 * MailApp.sendEmail errors that say the mail was refused before anything was sent: a bad address, no
 * recipient, too many recipients, a quota or rate limit. Any other error (a time-out, «Service error»)
 * may come after Gmail accepted the message, so the outcome is unknown.
 */
export function isMailRefusal(error: unknown): boolean {
  return /Invalid email|no recipient|Limit Exceeded|Service invoked too many times|Too many simultaneous invocations|quota/i.test(errorMessage(error));
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => void;
  /** Which errors may be retried (default isTransient): a call that may have done its work must not be. */
  retryIf?: (error: unknown) => boolean;
}

export function withRetry<T>(fn: () => T, opts: RetryOptions = {}): T {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  const sleep = opts.sleep ?? ((ms: number) => Utilities.sleep(ms));
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (attempt >= attempts || !(opts.retryIf ?? isTransient)(error)) throw error;
      sleep(base * 2 ** (attempt - 1));
    }
  }
}
