// HtmlService: HtmlOutput and HtmlTemplate with scriptlets.
// Templates: https://developers.google.com/apps-script/guides/html/templates — <? code ?> runs,
// <?= expr ?> prints escaped, <?!= expr ?> prints raw; variables are pushed as properties of the template.
import type { EmulatorContext } from '../context';
import { EmulatedBlob, asBlob, readBlobSource } from './blob';

type HtmlOutputApi = Pick<GoogleAppsScript.HTML.HtmlOutput,
  'addMetaTag' | 'append' | 'appendUntrusted' | 'asTemplate' | 'clear' | 'getAs' | 'getBlob' | 'getContent' | 'getFaviconUrl' |
  'getHeight' | 'getMetaTags' | 'getTitle' | 'getWidth' | 'setContent' | 'setFaviconUrl' | 'setHeight' | 'setSandboxMode' |
  'setTitle' | 'setWidth' | 'setXFrameOptionsMode'>;
type HtmlServiceApi = Pick<GoogleAppsScript.HTML.HtmlService, 'SandboxMode' | 'XFrameOptionsMode' | 'createHtmlOutput' | 'createTemplate'>;

export const SandboxMode = { EMULATED: 'EMULATED', IFRAME: 'IFRAME', NATIVE: 'NATIVE' } as const;
export const XFrameOptionsMode = { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' } as const;

export function escapeHtmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function printable(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

function sourceText(src: unknown): string {
  if (src === undefined || src === null) return '';
  if (typeof src === 'string') return src;
  if (typeof (src as { getBlob?: unknown }).getBlob === 'function') return readBlobSource(src).data.toString('utf8');
  return String(src);
}

export class EmulatedHtmlOutput implements HtmlOutputApi {
  private title = '';
  private width: number | null = null;
  private height: number | null = null;
  private favicon: string | null = null;
  /** Harness: what setSandboxMode / setXFrameOptionsMode / addMetaTag recorded. */
  sandboxMode: string = SandboxMode.IFRAME;
  xFrameOptionsMode: string = XFrameOptionsMode.DEFAULT;
  readonly metaTags: { name: string; content: string }[] = [];

  constructor(private readonly ctx: EmulatorContext, private content: string, private readonly templateScope: () => object) {}

  private self(): GoogleAppsScript.HTML.HtmlOutput { return this as unknown as GoogleAppsScript.HTML.HtmlOutput; }
  private call(method: string): void { this.ctx.recorder.call(`HtmlOutput.${method}`); }

  /** Harness: the content without counting a call. */
  get html(): string { return this.content; }
  /** Harness: size and title without counting calls. */
  get size(): { width: number | null; height: number | null; title: string } { return { width: this.width, height: this.height, title: this.title }; }

  addMetaTag(name: string, content: string) { this.call('addMetaTag'); this.metaTags.push({ name, content }); return this.self(); }
  append(addedContent: string) { this.call('append'); this.content += printable(addedContent); return this.self(); }
  appendUntrusted(addedContent: string) { this.call('appendUntrusted'); this.content += escapeHtmlText(printable(addedContent)); return this.self(); }
  asTemplate(): GoogleAppsScript.HTML.HtmlTemplate {
    this.call('asTemplate');
    return new EmulatedHtmlTemplate(this.ctx, this.content, this.templateScope) as unknown as GoogleAppsScript.HTML.HtmlTemplate;
  }
  clear() { this.call('clear'); this.content = ''; return this.self(); }
  getAs(contentType: string): GoogleAppsScript.Base.Blob { this.call('getAs'); return asBlob(new EmulatedBlob(Buffer.from(this.content, 'utf8'), 'text/html')).getAs(contentType); }
  getBlob(): GoogleAppsScript.Base.Blob { this.call('getBlob'); return asBlob(new EmulatedBlob(Buffer.from(this.content, 'utf8'), 'text/html', this.title || null)); }
  getContent(): string { this.call('getContent'); return this.content; }
  getFaviconUrl(): string { this.call('getFaviconUrl'); return this.favicon as string; }
  getHeight(): number { this.call('getHeight'); return this.height as number; }
  getMetaTags(): GoogleAppsScript.HTML.HtmlOutputMetaTag[] {
    this.call('getMetaTags');
    return this.metaTags.map((t) => ({ getName: () => t.name, getContent: () => t.content }));
  }
  getTitle(): string { this.call('getTitle'); return this.title; }
  getWidth(): number { this.call('getWidth'); return this.width as number; }
  setContent(content: string) { this.call('setContent'); this.content = printable(content); return this.self(); }
  setFaviconUrl(iconUrl: string) { this.call('setFaviconUrl'); this.favicon = iconUrl; return this.self(); }
  setHeight(height: number) { this.call('setHeight'); this.height = Math.trunc(height); return this.self(); }
  setSandboxMode(mode: GoogleAppsScript.HTML.SandboxMode) { this.call('setSandboxMode'); this.sandboxMode = String(mode); return this.self(); }
  setTitle(title: string) { this.call('setTitle'); this.title = printable(title); return this.self(); }
  setWidth(width: number) { this.call('setWidth'); this.width = Math.trunc(width); return this.self(); }
  setXFrameOptionsMode(mode: GoogleAppsScript.HTML.XFrameOptionsMode) { this.call('setXFrameOptionsMode'); this.xFrameOptionsMode = String(mode); return this.self(); }
}

/** Compiles scriptlets to a function body that appends to `__out`. */
export function compileTemplate(raw: string): string {
  const lines: string[] = ['var __out = "";'];
  const re = /<\?(!=|=)?([\s\S]*?)\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) !== null) {
    if (m.index > last) lines.push(`__out += ${JSON.stringify(raw.slice(last, m.index))};`);
    const code = m[2].trim();
    if (m[1] === '=') lines.push(`__out += __escape(${code});`);
    else if (m[1] === '!=') lines.push(`__out += __raw(${code});`);
    else lines.push(m[2]);
    last = re.lastIndex;
  }
  if (last < raw.length) lines.push(`__out += ${JSON.stringify(raw.slice(last))};`);
  lines.push('return __out;');
  return lines.join('\n');
}

export class EmulatedHtmlTemplate {
  // Template variables are assigned as plain properties, so internals live in private fields.
  [propName: string]: unknown;
  readonly #ctx: EmulatorContext;
  readonly #raw: string;
  readonly #scope: () => object;

  constructor(ctx: EmulatorContext, raw: string, scope: () => object) {
    this.#ctx = ctx;
    this.#raw = raw;
    this.#scope = scope;
  }

  evaluate(): GoogleAppsScript.HTML.HtmlOutput {
    this.#ctx.recorder.call('HtmlTemplate.evaluate');
    const vars: Record<string, unknown> = {};
    for (const key of Object.keys(this)) vars[key] = this[key];
    // Scriptlets see the script's globals and the pushed variables, as in Apps Script (sloppy-mode `with`).
    const fn = new Function('__scope', '__vars', '__escape', '__raw', `with (__scope) { with (__vars) {\n${compileTemplate(this.#raw)}\n} }`);
    const html = fn(this.#scope(), vars, (v: unknown) => escapeHtmlText(printable(v)), printable) as string;
    return new EmulatedHtmlOutput(this.#ctx, html, this.#scope) as unknown as GoogleAppsScript.HTML.HtmlOutput;
  }

  getCode(): string { this.#ctx.recorder.call('HtmlTemplate.getCode'); return compileTemplate(this.#raw); }
  getCodeWithComments(): string { this.#ctx.recorder.call('HtmlTemplate.getCodeWithComments'); return compileTemplate(this.#raw); }
  getRawContent(): string { this.#ctx.recorder.call('HtmlTemplate.getRawContent'); return this.#raw; }
}

export class EmulatedHtmlService implements HtmlServiceApi {
  readonly SandboxMode = SandboxMode as unknown as typeof GoogleAppsScript.HTML.SandboxMode;
  readonly XFrameOptionsMode = XFrameOptionsMode as unknown as typeof GoogleAppsScript.HTML.XFrameOptionsMode;
  /** Harness: the global scope template scriptlets run in (the bundle's context once loaded). */
  templateScope: object = globalThis;

  constructor(private readonly ctx: EmulatorContext) {}

  createHtmlOutput(html?: string | GoogleAppsScript.Base.BlobSource): GoogleAppsScript.HTML.HtmlOutput {
    this.ctx.recorder.call('HtmlService.createHtmlOutput');
    return new EmulatedHtmlOutput(this.ctx, sourceText(html), () => this.templateScope) as unknown as GoogleAppsScript.HTML.HtmlOutput;
  }

  createTemplate(html: string | GoogleAppsScript.Base.BlobSource): GoogleAppsScript.HTML.HtmlTemplate {
    this.ctx.recorder.call('HtmlService.createTemplate');
    return new EmulatedHtmlTemplate(this.ctx, sourceText(html), () => this.templateScope) as unknown as GoogleAppsScript.HTML.HtmlTemplate;
  }
}

export function createHtmlService(ctx: EmulatorContext): EmulatedHtmlService {
  return new EmulatedHtmlService(ctx);
}
