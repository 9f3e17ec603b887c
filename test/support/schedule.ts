// Drives the installed 5-minute tick the way Google fires it: each firing runs as the trigger's creator.
import * as main from '../../src/main';
import { moscow, type TestWorld } from './env';

export function scheduleDriver(w: TestWorld) {
  const fire = (time: number) => {
    w.env.ctx.clock.set(time);
    const trigger = w.env.triggers.list().find((r) => r.handler === 'onTick')!;
    w.env.beginExecution('installableTrigger', { trigger });
    try { main.onTick(); } finally { w.env.endExecution(); }
  };
  /** Every firing of the tick trigger in [from, to), except those `skip` drops (an outage). */
  const run = (from: string, to: string, skip: (time: number) => boolean = () => false) => {
    for (const f of w.env.triggers.dueBetween(moscow(from).getTime(), moscow(to).getTime())) {
      if (f.handler === 'onTick' && !skip(f.time)) fire(f.time);
    }
  };
  /** A menu item clicked by the environment's user. */
  const menu = (fn: () => void) => {
    w.env.beginExecution('menu');
    try { fn(); } finally { w.env.endExecution(); }
  };
  return { fire, run, menu };
}
