import { it } from 'vitest';
import { runSetup } from '../../src/jobs/setup';
import { fillDemoData } from '../../scripts/demo';
import { makeWorld } from '../support/env';
import * as main from '../../src/main';
import { enableSchedule } from '../../src/jobs/schedule-admin';

const log = (...a: unknown[]) => process.stdout.write(a.join(' ') + '\n');
it('probe', () => {
  let t = Date.now();
  const w = makeWorld({ at: '2026-11-23 10:00' });
  runSetup(w.ss);
  log('setup ms', Date.now() - t); t = Date.now();
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  log('demo ms', Date.now() - t); t = Date.now();
  const state = w.env.saveState();
  log('save ms', Date.now() - t, JSON.stringify(state).length); t = Date.now();
  w.env.loadState(JSON.parse(JSON.stringify(state)));
  log('load ms', Date.now() - t); t = Date.now();
  const rec = w.env.ctx.recorder;
  const run = (name: string, fn: () => void, kind: any = 'menu') => {
    rec.reset(); const t0 = Date.now();
    w.env.beginExecution(kind, kind === 'installableTrigger' ? { origin: 'CLOCK' } : {});
    try { fn(); } finally { w.env.endExecution(); }
    log(name, Date.now() - t0, 'ms', rec.total(), JSON.stringify(rec.snapshot().calls));
    log('alerts', JSON.stringify(w.env.ui.alerts.slice(-1).map(a=>a.prompt)));
  };
  run('setup', () => main.menuSetup());
  run('recalc', () => main.menuRecalc());
  run('sweep', () => main.menuSweep());
  run('funnel', () => main.menuFunnel());
  run('partners', () => main.menuPartners());
  run('sendSec', () => main.menuSendSecretary());
  run('sendRop', () => main.menuSendHeadOfSales());
  run('check', () => main.menuCheck());
  enableSchedule(w.ss);
  w.env.ctx.clock.set(w.env.ctx.clock.now() + 3600_000*10);
  run('tick', () => main.onTick(), 'installableTrigger');
  log(w.env.mail.outbox.map(m => m.subject));
});
