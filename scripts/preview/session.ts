// One preview session: the local workbook loaded into the emulator once, the bundle run for every click
// (a menu item or a dialog's google.script.run) as a menu execution of the chosen person, and the
// files saved after each change the way `npm start` saves them.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { createGasEnvironment, readManifest, type GasEnvironment } from '../../emulator/index';
import { loadBundle } from '../../emulator/bundle';
import type { AccountKind } from '../../emulator/context';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/spreadsheet';
import { applyState, readStateFile, saveStateFile, type LocalRunInfo } from '../../emulator/state';
import { loadWorkbook, prepareSave } from '../../emulator/xlsx';
import { headerKey } from '../../src/core/text';
import { formatRuDateTime, MOSCOW, toLocalDate } from '../../src/core/dates';
import { parsePasteTarget, runEdits, type LocalEdit } from '../local-edit';
import { LOCAL_JOBS } from '../local-jobs';
import { countOf, WORDS } from '../../src/core/plural';
import { loadPartnerFiles, savePartnerFiles, type PartnerFolder } from '../local-partners';
import { deliverOutbox, prepareOutbox } from '../local-outbox';
import { acquireLock, fsErrorText, LocalError, saveFileSafely, stampOf, type FileStamp } from '../local-files';
import { parseAt, parseOptions, runLocal, UsageError } from '../local';

export interface PreviewOptions {
  workbook: string;
  outbox: string;
  partners: string;
  seed: number;
  account: AccountKind;
  /** Moscow time the preview starts at (then it runs with the real clock); null: now. */
  at: Date | null;
  /** As npm start --force: open a workbook whose state is lost or foreign, or an --at before the last run. */
  force: boolean;
  /** As npm start --empty: a workbook created now gets the templates only, no demo data. */
  empty?: boolean;
  /** The repository root (dist/Code.js, dist/appsscript.json). */
  root: string;
}

/** A person's answer to a question the script asked (ui.alert with buttons, ui.prompt). */
export interface Answer { button: string; text?: string }

export interface Question { kind: 'alert' | 'prompt'; title: string; prompt: string; buttons: string }

export type Shown =
  /** `asked`: a question the person already answered on the page before this run. */
  | { type: 'alert'; kind: 'alert' | 'prompt'; title: string; prompt: string; buttons: string; answer: string; text?: string; asked?: boolean }
  | { type: 'dialog'; id: number; kind: 'modal' | 'modeless' | 'sidebar'; title: string; width: number | null; height: number | null }
  | { type: 'toast'; title: string; message: string; seconds: number | null };

export interface ActionResult {
  /** The script asked something and was stopped there (nothing had changed yet): ask, then run again. */
  question?: Question;
  /** What the script showed, in order. */
  shown: Shown[];
  /** An exception the script did not catch (menu runs show it, google.script.run hands it to the failure handler). */
  error?: string;
  /** google.script.run: the return value, as JSON carries it. */
  value?: unknown;
  /** The selection the script moved (Range.activate), to show it. */
  active?: { sheet: string; a1: string };
  notes: string[];
  calls: number;
  ms: number;
  mails: number;
}

/** «Ввести как…»: what the edit did, in the lines `npm start -- --job edit` prints. */
export interface EditResult {
  ok: boolean;
  lines: string[];
  notes: string[];
  /** The sheet and cell typed into, to show them. */
  sheet: string;
  cell: string;
}

/** «Запустить расписание на …»: the runs of the tick up to that time and the emails they sent. */
export interface ScheduleResult {
  lines: string[];
  runs: number;
  mails: number;
  errors: number;
}

export interface SaveStatus { saving: boolean; savedAt: number | null; error: string | null }

/** Thrown into the script when it asks a question nobody has answered yet: the run stops there. */
class QuestionPending extends Error {
  constructor() { super('Предпросмотр: скрипт ждёт ответа на вопрос'); }
}

/** ui.alert / ui.prompt arguments as the Ui reads them: (prompt) | (prompt, buttons) | (title, prompt, buttons). */
function questionOf(kind: 'alert' | 'prompt', args: unknown[]): Question {
  const [a, b, c] = args.map((x) => (x === undefined || x === null ? '' : String(x)));
  if (args.length >= 3) return { kind, title: a, prompt: b, buttons: c || 'OK' };
  if (args.length === 2) return { kind, title: '', prompt: a, buttons: b || 'OK' };
  return { kind, title: '', prompt: a ?? '', buttons: 'OK' };
}

const isQuestion = (q: Question) => q.kind === 'prompt' || q.buttons !== 'OK';

const colName = (c: number): string => (c <= 26 ? String.fromCharCode(64 + c) : colName(Math.floor((c - 1) / 26)) + colName(((c - 1) % 26) + 1));
export const a1Of = (row: number, col: number) => `${colName(col)}${row}`;

export class PreviewSession {
  private codeText = '';
  private codeMtime = -1;
  /** Virtual minus real time: the preview's clock runs on from --at at the real pace (moved on by runSchedule). */
  private offset: number;
  private stamp: FileStamp | null;
  private mailsWritten: number;
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;
  private saveAgain = false;
  private mutex: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** The workbook on disk is someone else's version now: it is not written again. */
  private workbookBlocked = false;
  /** A change the workbook keeps that its cells do not show (sharing). */
  private workbookDirty = false;
  readonly status: SaveStatus = { saving: false, savedAt: null, error: null };

  private constructor(readonly opts: PreviewOptions, readonly env: GasEnvironment, private readonly releaseLock: () => void, readonly created: boolean,
    private readonly local: LocalRunInfo, private readonly partners: PartnerFolder, private readonly log: (line: string) => void) {
    this.offset = env.ctx.clock.now() - Date.now();
    this.stamp = stampOf(opts.workbook);
    this.mailsWritten = env.mail.outbox.length;
  }

  /**
   * Opens the workbook as `npm start` does — a run without jobs, so its checks (the workbook's own state,
   * time never going back, emails a broken run left) and its creation with demo data apply as they are —
   * then loads it for the session and holds its lock until the preview stops.
   */
  static async open(opts: PreviewOptions, log: (line: string) => void): Promise<PreviewSession> {
    if (!existsSync(join(opts.root, 'dist/Code.js'))) throw new UsageError('Нет dist/Code.js — выполните npm run build');
    const created = !existsSync(opts.workbook);
    log(created ? `Таблицы ${opts.workbook} ещё нет — создаю её ${opts.empty ? 'только с шаблонами, без демо-данных (--empty)' : 'с демо-данными'}, как npm start…` : `Открываю ${opts.workbook}…`);
    const args = ['--workbook', opts.workbook, '--outbox', opts.outbox, '--partners', opts.partners, '--seed', String(opts.seed), '--account', opts.account];
    const start = opts.at ?? new Date();
    // `edit` with no edits runs nothing but the checks; a new file gets «Настроить таблицу» and the demo data.
    const run = await runLocal({ ...parseOptions([...args, ...(opts.force ? ['--force'] : []), ...(opts.empty ? ['--empty'] : [])]), at: start, job: 'edit', edits: [] }, (line) => log(`  ${line}`));

    const release = await acquireLock(opts.workbook, { waitMs: 10_000, log });
    try {
      const read = readStateFile(opts.workbook);
      if (read.kind !== 'ok' || !read.state.local) throw new LocalError(`Нет состояния рядом с ${opts.workbook}: запустите npm start и откройте предпросмотр снова.`);
      let env = run.env;
      if (created) {
        // Read back from the file: a workbook loaded from disk is saved by its differences, a new one whole every time.
        env = createGasEnvironment({ now: Math.max(start.getTime(), read.state.local.lastRunAt), seed: opts.seed, account: opts.account, manifest: readManifest(join(opts.root, 'dist/appsscript.json')) });
        applyState(env, read.state);
        env.world.setActive(await loadWorkbook(opts.workbook, env.world));
      } else {
        // The run's answers for a person who is not there (npm start says «Нет» to every question) go: here a person answers.
        const ui = env.ui as unknown as Record<string, unknown>;
        for (const key of Object.keys(ui)) if (typeof ui[key] === 'function') delete ui[key];
        // The partner files are read again below, for the folder's record of which file is whose.
        const active = env.world.getActive()!;
        for (const ss of env.world.all()) if (ss !== active) env.world.deleteFile(ss.id);
      }
      const partners = await loadPartnerFiles(env, opts.partners, log);
      const { outbox: _done, ...local } = read.state.local;
      const session = new PreviewSession(opts, env, release, created, local, partners, log);
      session.openMenu(session.owner);
      return session;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The built bundle; read again after `npm run build`, so a rebuilt script is what the next click runs. */
  private get code(): string {
    const file = join(this.opts.root, 'dist/Code.js');
    try {
      const mtime = statSync(file).mtimeMs;
      if (mtime !== this.codeMtime) {
        const text = readFileSync(file, 'utf8');
        new Script(text, { filename: 'Code.js' });
        this.codeText = text;
        this.codeMtime = mtime;
      }
    } catch {
      // Mid-build (the file gone or half-written): the previous bundle runs, the next click looks again.
    }
    return this.codeText;
  }

  get ss(): EmuSpreadsheet {
    return this.env.world.getActive()!;
  }

  get owner(): string {
    return this.ss.acl.owner;
  }

  /** The workbook's name as the header shows it. */
  get title(): string {
    return this.ss.name;
  }

  now(): number {
    return this.env.ctx.clock.now();
  }

  /** The file a partner's spreadsheet is saved to, in the --partners folder. */
  partnerFile(id: string): string | undefined {
    return Object.entries(this.partners.manifest.files).find(([, f]) => f.id === id)?.[0];
  }

  /** People to act as: the owner, leadership from «Настройки», the file's editors and viewers. */
  people(): Array<{ email: string; role: string }> {
    const out = new Map<string, string>([[this.owner, 'владелец']]);
    for (const e of this.leadership()) if (!out.has(e)) out.set(e, 'руководство');
    for (const e of this.ss.acl.editorList()) if (!out.has(e)) out.set(e, 'редактор');
    for (const e of this.ss.acl.viewerList()) if (!out.has(e)) out.set(e, 'читатель');
    if (!out.has(DEMO_MANAGER)) out.set(DEMO_MANAGER, 'менеджер, пример');
    return [...out].map(([email, role]) => ({ email, role }));
  }

  private leadership(): string[] {
    const sheet = this.ss.sheet('Настройки');
    if (!sheet) return [];
    const rows = sheet.rangeOf({ row: 1, col: 1, numRows: Math.max(1, sheet.store.lastContent().row), numCols: 2 }).peekDisplayValues();
    const row = rows.find((r) => headerKey(r[0]) === 'email руководства');
    return (row?.[1] ?? '').split(/[,;\s]+/).map((e) => e.trim().toLowerCase()).filter((e) => EMAIL.test(e));
  }

  /** The «Продажи» menu as onOpen installs it for this person (a simple trigger, as when the file opens). */
  openMenu(user: string): string | null {
    this.syncClock();
    this.env.beginExecution('simpleTrigger', { user });
    try {
      loadBundle(this.code, this.env).call('onOpen');
      return null;
    } catch (error) {
      return (error as Error).message;
    } finally {
      this.env.endExecution();
    }
  }

  /** Runs a menu item (its handler must be in the installed menu). */
  menu(handler: string, user: string, answers: Answer[]): Promise<ActionResult> {
    return this.exclusive(() => {
      if (!menuHandlers(this.env).includes(handler)) throw new UsageError(`В меню нет пункта с функцией «${handler}»`);
      return this.execute(user, answers, (call) => call(handler));
    });
  }

  /** google.script.run from a dialog: a server function with its arguments, as one execution. */
  script(fn: string, args: unknown[], user: string, answers: Answer[]): Promise<ActionResult> {
    return this.exclusive(() => this.execute(user, answers, (call) => {
      // Functions ending in _ are private: google.script.run cannot see them.
      if (fn.endsWith('_')) throw new Error(`Script function not found: ${fn}`);
      return call(fn, ...args);
    }));
  }

  /**
   * «Ввести как…»: `user` types `value` into `target` («Лист!A1») — the same code path as
   * `npm start -- --job edit --as EMAIL --set "Лист!A1=значение"` (local-edit.ts: Google's refusals,
   * then the simple onEdit trigger as that person), with the lines it prints.
   */
  edit(user: string, target: string, value: string): Promise<EditResult> {
    return this.exclusive(() => {
      let place: { sheet: string; cell: string };
      try {
        place = parsePasteTarget(target);
      } catch {
        throw new UsageError(`Ячейка «${target}»: нужно «Лист!A1», например «Аналитика!C5»`);
      }
      this.syncClock();
      const env = this.env;
      const notes = this.joinTeam(user);
      const before = this.changeMark();
      const edit: LocalEdit = { kind: 'set', sheet: place.sheet, cell: place.cell, values: [[value]] };
      const lines: string[] = [];
      const failed = runEdits(env, loadBundle(this.code, env), [edit], user, (line) => lines.push(line));
      if (env.mail.outbox.length > this.mailsWritten) this.deliverMails();
      if (this.workbookDirty || this.changeMark() !== before) this.scheduleSave();
      const sheet = this.ss.sheets.find((x) => x.name === place.sheet) ?? this.ss.sheets.find((x) => headerKey(x.name) === headerKey(place.sheet));
      return { ok: failed === 0, lines, notes, sheet: sheet?.name ?? place.sheet, cell: place.cell };
    });
  }

  /**
   * «Запустить расписание на …»: the clock moves on to `until` («ЧЧ:ММ» today or «ГГГГ-ММ-ДД ЧЧ:ММ», Moscow)
   * and the installed tick trigger fires wherever Google would fire it in between, each run as the
   * trigger's creator — the job `npm start -- --job tick` runs (local-jobs.ts). With no trigger installed
   * Google would run nothing: one tick runs at `until` as the owner, as npm start does, and the page says so.
   */
  runSchedule(until: string): Promise<ScheduleResult> {
    return this.exclusive(() => {
      this.syncClock();
      const env = this.env;
      const from = this.now();
      const to = parseUntil(until, from).getTime();
      if (to <= from) throw new UsageError(`Время не идёт назад: в предпросмотре уже ${formatRuDateTime(from, MOSCOW)} (Москва). Укажите время позже.`);
      const job = LOCAL_JOBS.tick;
      const before = this.changeMark();
      const mailsBefore = env.mail.outbox.length;
      const errors: string[] = [];
      const fire = (time: number, who: { trigger: unknown } | { user: string }, event?: unknown) => {
        env.ctx.clock.set(time);
        env.beginExecution(job.kind, who as never);
        try {
          loadBundle(this.code, env).call(job.handler, ...(event === undefined ? [] : [event]));
        } catch (error) {
          // On Google the run fails, the execution log keeps the error and the next firing runs again.
          errors.push(`${formatRuDateTime(time, MOSCOW)}: ${(error as Error)?.message ?? String(error)}`);
        } finally {
          env.endExecution();
        }
      };
      const installed = env.triggers.list().filter((t) => t.handler === job.handler);
      let runs = 0;
      for (const f of env.triggers.dueBetween(from, to + 1)) {
        const trigger = installed.find((t) => t.uid === f.triggerUid);
        if (!trigger) continue;
        fire(f.time, { trigger }, f.event);
        runs++;
      }
      if (installed.length === 0) {
        fire(to, { user: this.owner });
        runs = 1;
      }
      if (env.ctx.clock.now() < to) env.ctx.clock.set(to);
      // From here the preview's clock runs on from `until`.
      this.offset = to - Date.now();
      const sent = env.mail.outbox.slice(mailsBefore);
      const lines = [`Часы предпросмотра: ${formatRuDateTime(from, MOSCOW)} → ${formatRuDateTime(to, MOSCOW)} (Москва).`];
      lines.push(installed.length > 0
        ? `Триггер ${job.handler} (от имени ${installed.map((t) => t.owner).join(', ')}) сработал ${countOf(runs, WORDS.times)}, как его запускал бы Google.`
        : `Расписание не включено («Продажи → Автоматизация → Включить расписание»), поэтому Google ничего бы не запустил. Выполнена одна проверка расписания на ${formatRuDateTime(to, MOSCOW)} от имени владельца, как npm start -- --job tick.`);
      lines.push(sent.length === 0 ? 'Писем не отправлено.' : `Отправлено писем: ${sent.length}:`);
      for (const m of sent) lines.push(`• ${formatRuDateTime(m.sentAt, MOSCOW)} — ${m.to.split(',').join(', ')} — «${m.subject}»`);
      if (errors.length > 0) lines.push(`Запуски с ошибкой (${errors.length}):`, ...errors.slice(0, 5).map((e) => `• ${e}`), ...(errors.length > 5 ? [`• …и ещё ${errors.length - 5}`] : []));
      if (env.mail.outbox.length > this.mailsWritten) this.deliverMails();
      if (this.workbookDirty || this.changeMark() !== before) this.scheduleSave();
      return { lines, runs, mails: sent.length, errors: errors.length };
    });
  }

  /** As `npm start --as`: the local workbook stands for the team's file, whoever works in it is a member. */
  private joinTeam(user: string): string[] {
    if (this.ss.acl.canEdit(user)) return [];
    this.ss.acl.addEditor(user);
    this.workbookDirty = true;
    return [`${user} — новый участник команды: добавлен в редакторы таблицы.`];
  }

  private exclusive<T>(fn: () => T): Promise<T> {
    const run = this.mutex.then(() => {
      if (this.stopped) throw new UsageError('Предпросмотр остановлен');
      // Still clicking: the pending save waits for the next pause.
      if (this.saveTimer) this.scheduleSave();
      return fn();
    });
    this.mutex = run.catch(() => undefined);
    return run;
  }

  private syncClock(): void {
    const target = Date.now() + this.offset;
    if (target > this.env.ctx.clock.now()) this.env.ctx.clock.set(target);
  }

  /**
   * What a second run of the same item would do twice: sheet writes, emails, triggers. Script and document
   * properties are left out: the product keeps caches there (a settings snapshot) that a rerun rewrites alike.
   */
  private changeMark(): string {
    const env = this.env;
    return JSON.stringify([
      env.world.all().map((s) => `${s.id}:${s.lastUpdated}`),
      env.ctx.recorder.cellsWritten,
      env.mail.outbox.length,
      env.triggers.list().length,
    ]);
  }

  private execute(user: string, answers: Answer[], body: (call: (name: string, ...args: unknown[]) => unknown) => unknown): ActionResult {
    this.syncClock();
    const env = this.env;
    const ss = this.ss;
    const notes = this.joinTeam(user);
    const marks = {
      alerts: env.ui.alerts.length, dialogs: env.ui.dialogs.length, toasts: ss.toasts.length,
      mails: env.mail.outbox.length, calls: env.ctx.recorder.total(), active: activeOf(ss),
    };
    const before = this.changeMark();
    const queue = [...answers];
    const asked = new Set<number>();
    let pending: Question | null = null;
    // A question stops the run where it is asked, as a person reading it would hold it up: the page asks
    // and runs the item again with the answer. Only while nothing has changed, so a second run is the same.
    const guard = env.ctx.recorder.addGuard(() => { if (pending) throw new QuestionPending(); });
    const ui = env.ui as unknown as Record<string, unknown>;
    const original = { alert: env.ui.alert, prompt: env.ui.prompt };
    const hook = (kind: 'alert' | 'prompt') => (...args: unknown[]) => {
      if (pending) throw new QuestionPending();
      const q = questionOf(kind, args);
      if (isQuestion(q)) {
        const answer = queue.shift();
        if (answer) {
          env.ui.respondNext(kind === 'prompt' ? { button: answer.button as 'OK', text: answer.text ?? '' } : answer.button);
          asked.add(env.ui.alerts.length);
        } else if (this.changeMark() === before) {
          pending = q;
          throw new QuestionPending();
        } else {
          notes.push(`Скрипт спросил «${q.prompt}» уже после изменений, поэтому ответ выбран за вас: «${q.buttons.startsWith('YES') ? 'Да' : 'ОК'}».`);
        }
      }
      return (original[kind] as (...a: unknown[]) => unknown).apply(env.ui, args);
    };
    ui.alert = hook('alert');
    ui.prompt = hook('prompt');
    const started = performance.now();
    let value: unknown;
    let error: string | undefined;
    env.beginExecution('menu', { user });
    try {
      // A fresh script instance per execution, as Apps Script loads the project for every run.
      const bundle = loadBundle(this.code, env);
      value = body((name, ...args) => bundle.call(name, ...args));
    } catch (e) {
      if (!pending) error = (e as Error)?.message ?? String(e);
    } finally {
      env.endExecution();
      delete ui.alert;
      delete ui.prompt;
      guard();
    }
    const ms = Math.round(performance.now() - started);
    const calls = env.ctx.recorder.total() - marks.calls;
    if (pending) {
      env.ui.alerts.length = marks.alerts;
      env.ui.dialogs.length = marks.dialogs;
      ss.toasts.length = marks.toasts;
      return { question: pending, shown: [], notes, calls, ms, mails: 0 };
    }

    const shown: Array<Shown & { at: number; order: number }> = [];
    env.ui.alerts.slice(marks.alerts).forEach((a, i) => shown.push({
      type: 'alert', kind: a.kind, title: a.title, prompt: a.prompt, buttons: a.buttons, answer: a.answer, text: a.text,
      ...(asked.has(marks.alerts + i) ? { asked: true } : {}), at: a.at, order: i,
    }));
    env.ui.dialogs.slice(marks.dialogs).forEach((d, i) => shown.push({ type: 'dialog', id: marks.dialogs + i, kind: d.kind, title: d.title, width: d.width, height: d.height, at: d.at, order: i }));
    for (const t of ss.toasts.slice(marks.toasts)) shown.push({ type: 'toast', title: t.title, message: t.message, seconds: t.timeoutSeconds, at: Infinity, order: 0 });
    shown.sort((a, b) => a.at - b.at || (a.type === b.type ? a.order - b.order : 0));
    const active = activeOf(ss);
    const result: ActionResult = {
      shown: shown.map(({ at: _at, order: _order, ...s }) => s as Shown),
      notes, calls, ms, mails: env.mail.outbox.length - marks.mails,
    };
    if (error !== undefined) result.error = error;
    if (value !== undefined) result.value = JSON.parse(JSON.stringify(value) ?? 'null');
    if (active && active.key !== marks.active?.key) result.active = { sheet: active.sheet, a1: active.a1 };
    if (env.mail.outbox.length > this.mailsWritten) this.deliverMails();
    if (this.workbookDirty || this.changeMark() !== before) this.scheduleSave();
    return result;
  }

  // ---- files ----------------------------------------------------------------------------------

  /**
   * Saves once the clicks pause: writing the .xlsx holds the page up for seconds, so it waits until the
   * person reads what the item showed, and clicks in a row share one save.
   */
  private scheduleSave(): void {
    this.status.saving = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => { this.saveTimer = null; void this.save(); }, SAVE_AFTER_MS);
  }

  private runInfo(): LocalRunInfo {
    return { ...this.local, lastRunAt: this.now() };
  }

  /**
   * The emails of a click, at once (the «Письма» tab lists the folder), the way npm start writes them:
   * the state that marks them sent (with the emails in it), the files, the state without them — so each
   * email file is written exactly once even if the preview is killed. The workbook follows with the next save.
   */
  private deliverMails(): void {
    const to = this.env.mail.outbox.length;
    try {
      const mails = prepareOutbox(this.env, this.mailsWritten, this.opts.outbox);
      saveStateFile(this.env, this.opts.workbook, { ...this.runInfo(), outbox: { dir: this.opts.outbox, mails } });
      deliverOutbox(this.opts.outbox, mails);
      this.mailsWritten = to;
      saveStateFile(this.env, this.opts.workbook, this.runInfo());
    } catch (error) {
      this.status.error = `Не удалось записать письма в ${this.opts.outbox}: ${fsErrorText(error)}`;
    }
  }

  /** Saves what changed as npm start does: partner files, the workbook (atomically, with a .bak copy, never over a file someone else saved), the state. */
  save(): Promise<void> {
    if (this.saving) {
      this.saveAgain = true;
      return this.saving;
    }
    this.status.saving = true;
    this.saving = (async () => {
      do {
        this.saveAgain = false;
        try {
          await this.saveOnce();
          if (!this.saveAgain) this.status.savedAt = Date.now();
          if (!this.workbookBlocked) this.status.error = null;
        } catch (error) {
          this.status.error = (error as Error).message;
        }
      } while (this.saveAgain);
    })().finally(() => {
      this.saving = null;
      this.status.saving = this.saveTimer !== null;
    });
    return this.saving;
  }

  private async saveOnce(): Promise<void> {
    const env = this.env;
    const folder = this.partners;
    const written = await savePartnerFiles(env, folder, (line) => this.log(line));
    // The next save compares each file with what this one wrote, not with what was loaded at the start.
    for (const [name, { id }] of Object.entries(folder.manifest.files)) {
      const file = join(folder.dir, name);
      if (written.includes(file)) folder.loaded.set(id, { name, stamp: stampOf(file) });
    }
    this.workbookDirty = false;
    if (!this.workbookBlocked) {
      const prepared = prepareSave(this.ss, { app: { stateId: this.local.stateId } });
      if (prepared.changed) {
        const outcome = saveFileSafely(this.opts.workbook, await prepared.bytes(), this.stamp, { backup: true, log: this.log });
        if (outcome.beside) {
          this.workbookBlocked = true;
          // Someone else saved the file meanwhile (Excel): theirs stays, the preview's goes beside it.
          this.status.error = `Файл ${this.opts.workbook} изменили не из предпросмотра (например, сохранили в Excel), поэтому он не перезаписан. Изменения предпросмотра сохранены рядом: ${outcome.path}. Перезапустите предпросмотр, чтобы открыть новую версию.`;
        } else {
          this.stamp = stampOf(this.opts.workbook);
        }
      }
    }
    try {
      saveStateFile(env, this.opts.workbook, this.runInfo());
    } catch (error) {
      throw new Error(`Не удалось сохранить состояние скрипта рядом с ${this.opts.workbook}: ${fsErrorText(error)}`);
    }
  }

  /** Stops taking clicks, writes what is pending and releases the workbook. */
  async close(): Promise<void> {
    if (this.stopped) return;
    await this.exclusive(() => undefined).catch(() => undefined);
    this.stopped = true;
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
      await this.save();
    }
    await this.saving;
    this.releaseLock();
  }
}

const SAVE_AFTER_MS = 2_000;

/** «19:50» (today, Moscow) or «2026-11-24 10:05». */
function parseUntil(text: string, now: number): Date {
  const t = text.trim();
  const time = /^(\d{1,2})[:.](\d{2})$/.exec(t);
  try {
    return parseAt(time ? `${toLocalDate(now, MOSCOW)} ${time[1]}:${time[2]}` : t);
  } catch {
    throw new UsageError(`«${t}»: нужно время «ЧЧ:ММ» (сегодня) или «ГГГГ-ММ-ДД ЧЧ:ММ», по Москве`);
  }
}
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (s: string) => EMAIL.test(s);
const DEMO_MANAGER = 'manager@example.com';

/** Handlers of every item of the installed menus, submenus included. */
export function menuHandlers(env: GasEnvironment): string[] {
  const out: string[] = [];
  const walk = (items: unknown[]) => {
    for (const item of items as Array<Record<string, unknown>>) {
      if (Array.isArray(item.items)) walk(item.items);
      else if (typeof item.functionName === 'string') out.push(item.functionName);
    }
  };
  for (const m of env.ui.menus) walk(m.items);
  return out;
}

function activeOf(ss: EmuSpreadsheet): { key: string; sheet: string; a1: string } | null {
  const sheet = ss.activeSheet;
  const box = sheet?.activeBox;
  if (!sheet || !box) return null;
  const a1 = box.numRows === 1 && box.numCols === 1 ? a1Of(box.row, box.col) : `${a1Of(box.row, box.col)}:${a1Of(box.row + box.numRows - 1, box.col + box.numCols - 1)}`;
  return { key: `${sheet.sheetId}!${a1}`, sheet: sheet.name, a1 };
}
