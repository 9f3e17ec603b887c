// The spreadsheet Ui: menus, alerts, prompts, dialogs and a sidebar, with scripted answers for tests.
// https://developers.google.com/apps-script/reference/base/ui
import type { EmulatorContext } from '../context';
import type { ExecutionState } from './execution';
import { EmulatedHtmlOutput } from './html';

type UiApi = Pick<GoogleAppsScript.Base.Ui,
  'Button' | 'ButtonSet' | 'alert' | 'createAddonMenu' | 'createMenu' | 'prompt' | 'showModalDialog' | 'showModelessDialog' | 'showSidebar'>;
type MenuApi = Pick<GoogleAppsScript.Base.Menu, 'addItem' | 'addSeparator' | 'addSubMenu' | 'addToUi'>;
type PromptResponseApi = Pick<GoogleAppsScript.Base.PromptResponse, 'getResponseText' | 'getSelectedButton'>;

export const Button = { CLOSE: 'CLOSE', OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO' } as const;
export const ButtonSet = { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO', YES_NO_CANCEL: 'YES_NO_CANCEL' } as const;
export type ButtonName = keyof typeof Button;

/** The platform's message when a trigger execution touches the UI. */
export const UI_CONTEXT_ERROR = 'Cannot call SpreadsheetApp.getUi() from this context.';

export type MenuEntry = { caption: string; functionName: string } | { separator: true } | { caption: string; items: MenuEntry[] };
export interface InstalledMenu { caption: string; items: MenuEntry[] }
export interface ShownDialog { kind: 'modal' | 'modeless' | 'sidebar'; title: string; html: string; width: number | null; height: number | null; at: number }
export interface ShownAlert { kind: 'alert' | 'prompt'; title: string; prompt: string; buttons: string; answer: ButtonName; text?: string; at: number }

class EmulatedMenu implements MenuApi {
  readonly items: MenuEntry[] = [];
  constructor(private readonly ui: EmulatedUi, readonly caption: string) {}
  private self() { return this as unknown as GoogleAppsScript.Base.Menu; }
  addItem(caption: string, functionName: string) { this.ui.count('Menu.addItem'); this.items.push({ caption, functionName }); return this.self(); }
  addSeparator() { this.ui.count('Menu.addSeparator'); this.items.push({ separator: true }); return this.self(); }
  addSubMenu(menu: GoogleAppsScript.Base.Menu) {
    this.ui.count('Menu.addSubMenu');
    const sub = menu as unknown as EmulatedMenu;
    this.items.push({ caption: sub.caption, items: sub.items });
    return this.self();
  }
  addToUi(): void { this.ui.count('Menu.addToUi'); this.ui.install({ caption: this.caption, items: this.items }); }
}

const DEFAULT_ANSWER: Record<string, ButtonName> = { OK: 'OK', OK_CANCEL: 'OK', YES_NO: 'YES', YES_NO_CANCEL: 'YES' };

export class EmulatedUi implements UiApi {
  readonly Button = Button as unknown as typeof GoogleAppsScript.Base.Button;
  readonly ButtonSet = ButtonSet as unknown as typeof GoogleAppsScript.Base.ButtonSet;

  /** Harness: menus installed by addToUi (a menu with the same caption replaces the old one). */
  readonly menus: InstalledMenu[] = [];
  /** Harness: dialogs and sidebars shown. */
  readonly dialogs: ShownDialog[] = [];
  /** Harness: alerts and prompts shown, with the answer the emulated user gave. */
  readonly alerts: ShownAlert[] = [];
  private readonly answers: { button?: ButtonName; text?: string }[] = [];

  constructor(private readonly ctx: EmulatorContext, private readonly execution: ExecutionState) {}

  count(method: string): void { this.ctx.recorder.call(method); }

  install(menu: InstalledMenu): void {
    const i = this.menus.findIndex((m) => m.caption === menu.caption);
    if (i >= 0) this.menus[i] = menu; else this.menus.push(menu);
  }

  /**
   * Harness: the emulated user's next answer. A Button name answers an alert/prompt with that button;
   * any other string is typed into the next prompt (then OK). Unscripted answers are OK / YES.
   */
  respondNext(answer: ButtonName | string | { button?: ButtonName; text?: string }): void {
    if (typeof answer === 'string') this.answers.push(answer in Button ? { button: answer as ButtonName } : { text: answer });
    else this.answers.push(answer);
  }

  /** Called by SpreadsheetApp.getUi(): time-driven triggers have no UI at all. */
  forScript(): GoogleAppsScript.Base.Ui {
    if (this.execution.isTimeDriven) throw new Error(UI_CONTEXT_ERROR);
    return this as unknown as GoogleAppsScript.Base.Ui;
  }

  /** Trigger executions have no user in front of a browser: dialogs and alerts throw. */
  private requireInteractive(): void {
    if (this.execution.isTrigger) throw new Error(UI_CONTEXT_ERROR);
  }

  /** Harness: forget what was shown (menus stay). */
  clearShown(): void { this.dialogs.length = 0; this.alerts.length = 0; }

  createMenu(caption: string): GoogleAppsScript.Base.Menu {
    this.count('Ui.createMenu');
    return new EmulatedMenu(this, caption) as unknown as GoogleAppsScript.Base.Menu;
  }

  createAddonMenu(): GoogleAppsScript.Base.Menu {
    this.count('Ui.createAddonMenu');
    return new EmulatedMenu(this, 'Add-on') as unknown as GoogleAppsScript.Base.Menu;
  }

  private parseDialogArgs(args: unknown[]): { title: string; prompt: string; buttons: string } {
    if (args.length >= 3) return { title: String(args[0]), prompt: String(args[1]), buttons: String(args[2]) };
    if (args.length === 2) return { title: '', prompt: String(args[0]), buttons: String(args[1]) };
    return { title: '', prompt: String(args[0] ?? ''), buttons: '' };
  }

  alert(...args: unknown[]): GoogleAppsScript.Base.Button {
    this.count('Ui.alert');
    this.requireInteractive();
    const { title, prompt, buttons } = this.parseDialogArgs(args);
    const scripted = this.answers.shift();
    const answer = scripted?.button ?? DEFAULT_ANSWER[buttons || 'OK'] ?? 'OK';
    this.alerts.push({ kind: 'alert', title, prompt, buttons: buttons || 'OK', answer, at: this.ctx.clock.now() });
    return answer as unknown as GoogleAppsScript.Base.Button;
  }

  prompt(...args: unknown[]): GoogleAppsScript.Base.PromptResponse {
    this.count('Ui.prompt');
    this.requireInteractive();
    const { title, prompt, buttons } = this.parseDialogArgs(args);
    const scripted = this.answers.shift();
    const answer = scripted?.button ?? DEFAULT_ANSWER[buttons || 'OK'] ?? 'OK';
    const text = scripted?.text ?? '';
    this.alerts.push({ kind: 'prompt', title, prompt, buttons: buttons || 'OK', answer, text, at: this.ctx.clock.now() });
    const ctx = this.ctx;
    const response: PromptResponseApi = {
      getResponseText() { ctx.recorder.call('PromptResponse.getResponseText'); return text; },
      getSelectedButton() { ctx.recorder.call('PromptResponse.getSelectedButton'); return answer as unknown as GoogleAppsScript.Base.Button; },
    };
    return response as GoogleAppsScript.Base.PromptResponse;
  }

  private show(kind: ShownDialog['kind'], output: GoogleAppsScript.HTML.HtmlOutput, title?: string): void {
    this.requireInteractive();
    const out = output as unknown as EmulatedHtmlOutput;
    const size = out instanceof EmulatedHtmlOutput ? out.size : { width: null, height: null, title: '' };
    const html = out instanceof EmulatedHtmlOutput ? out.html : this.ctx.recorder.quiet(() => output.getContent());
    this.dialogs.push({ kind, title: title ?? size.title, html, width: size.width, height: size.height, at: this.ctx.clock.now() });
  }

  showModalDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    this.count('Ui.showModalDialog');
    this.show('modal', userInterface, title);
  }

  showModelessDialog(userInterface: GoogleAppsScript.HTML.HtmlOutput, title: string): void {
    this.count('Ui.showModelessDialog');
    this.show('modeless', userInterface, title);
  }

  showSidebar(userInterface: GoogleAppsScript.HTML.HtmlOutput): void {
    this.count('Ui.showSidebar');
    this.show('sidebar', userInterface);
  }
}

export function createUi(ctx: EmulatorContext, execution: ExecutionState): EmulatedUi {
  return new EmulatedUi(ctx, execution);
}
