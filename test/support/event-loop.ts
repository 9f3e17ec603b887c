// Vitest's worker reports each test to the main process and waits at most 60 s for the answer
// (birpc's timeout). A worker that runs synchronous tests for over a minute without returning to its
// event loop handles that timer before the answer, and the run fails with «Timeout calling
// "onTaskUpdate"» although every test passed (vitest-dev/vitest#6479, #8164). So the worker returns to
// its event loop before every test, and long synchronous loops call `breathe()` between their steps.
import { beforeEach } from 'vitest';

// Taken at load, before any test can install fake timers.
const realSetTimeout = globalThis.setTimeout;

/** One turn of the event loop (a timer, so pending messages are polled before it fires). */
export function breathe(): Promise<void> {
  return new Promise((resolve) => { realSetTimeout(resolve, 0); });
}

beforeEach(breathe);
