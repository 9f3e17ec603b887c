// Functions Apps Script calls by name without a menu: simple triggers, and the handlers the
// schedule installs. The bundle test proves each is a top-level function of dist/Code.js.
export const SIMPLE_TRIGGERS = ['onOpen', 'onEdit'] as const;
/** The clock trigger «Включить расписание» installs. */
export const TICK_HANDLER = 'onTick';
export const INSTALLED_TRIGGERS: readonly string[] = [TICK_HANDLER];
/** Called from dialogs through google.script.run. */
export const DIALOG_CALLBACKS = ['selectProblemCell'] as const;

export const TRIGGER_HANDLERS: readonly string[] = [...SIMPLE_TRIGGERS, ...INSTALLED_TRIGGERS, ...DIALOG_CALLBACKS];
