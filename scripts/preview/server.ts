// The preview's web server: loopback only, pages for a browser on this machine, and JSON calls — a menu
// item, google.script.run from a dialog, a cell typed as a person, the schedule run up to a time.
// Requests from other sites are refused (Host and Origin are checked), so a page elsewhere cannot click
// the menu through the person's browser.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../../src/core/text';
import { APP_CSS, APP_JS, withShim } from './assets';
import { mailHtml } from './outbox';
import { renderApp, renderPage, saveStatusText, type View } from './render';
import { isEmail, type Answer, type PreviewSession } from './session';
import { UsageError } from '../local';

const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// A dialog is the product's own HTML: it runs sandboxed (no access to the page or its calls), as Sheets runs it.
const DIALOG_CSP = 'sandbox allow-scripts allow-forms allow-modals allow-popups allow-downloads; frame-ancestors \'self\'';
// An email shows no script and loads nothing from the network, as a careful mail client would.
const MAIL_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";
const MAX_BODY = 1_000_000;

export interface PreviewServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startServer(session: PreviewSession, port: number): Promise<PreviewServer> {
  let origins: string[] = [];
  const server = createServer((req, res) => {
    handle(session, req, res, origins).catch((error: unknown) => {
      const status = error instanceof UsageError ? 400 : 500;
      if (!res.headersSent) json(res, status, { error: (error as Error)?.message ?? String(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const actual = (server.address() as AddressInfo).port;
  origins = [`127.0.0.1:${actual}`, `localhost:${actual}`];
  return {
    server,
    url: `http://127.0.0.1:${actual}/`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

function parseView(url: URL): View {
  const q = url.searchParams;
  const view = q.get('view');
  const as = (q.get('as') ?? '').trim().toLowerCase();
  return {
    view: view === 'mail' || view === 'partners' ? view : 'sheet',
    sheet: q.get('sheet') ?? undefined,
    mail: q.get('mail') ?? undefined,
    file: q.get('file') ?? undefined,
    as: as && isEmail(as) ? as : undefined,
  };
}

async function handle(session: PreviewSession, req: IncomingMessage, res: ServerResponse, hosts: string[]): Promise<void> {
  // A name that resolves to 127.0.0.1 but is not ours (DNS rebinding) gets nothing.
  if (!hosts.includes(String(req.headers.host ?? '').toLowerCase())) return text(res, 421, 'Неизвестный адрес сервера предпросмотра');
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  const path = url.pathname;

  if (req.method === 'POST') {
    const origin = String(req.headers.origin ?? '');
    if (!hosts.some((h) => origin === `http://${h}`)) return json(res, 403, { error: 'Запрос не со страницы предпросмотра' });
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) return json(res, 415, { error: 'Нужен JSON' });
    const body = await readJson(req);
    const user = personOf(session, body.as);
    const answers = answersOf(body.answers);
    if (path === '/api/menu') {
      if (typeof body.handler !== 'string') throw new UsageError('Не указан пункт меню');
      return json(res, 200, await session.menu(body.handler, user, answers));
    }
    if (path === '/api/run') {
      if (typeof body.fn !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(body.fn)) throw new UsageError('Не указана функция');
      if (!Array.isArray(body.args)) throw new UsageError('Аргументы — это список');
      return json(res, 200, await session.script(body.fn, body.args, user, answers));
    }
    if (path === '/api/edit') {
      // «Ввести как…»: a person types one cell (npm start -- --job edit --as EMAIL --set "Лист!A1=значение").
      if (typeof body.cell !== 'string' || body.cell.trim() === '') throw new UsageError('Укажите ячейку, например «Аналитика!C5»');
      if (typeof body.value !== 'string') throw new UsageError('Значение — это текст');
      return json(res, 200, await session.edit(user, body.cell, body.value));
    }
    if (path === '/api/schedule') {
      // «Запустить расписание на …»: the clock moves on and the tick trigger fires as on Google.
      if (typeof body.until !== 'string' || body.until.trim() === '') throw new UsageError('Укажите время, например «19:50»');
      return json(res, 200, await session.runSchedule(body.until));
    }
    return json(res, 404, { error: 'Нет такого действия' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'Метод не поддерживается');

  if (path === '/') {
    const v = parseView(url);
    const menuError = session.openMenu(v.as ?? session.owner);
    return send(res, 200, 'text/html; charset=utf-8', renderPage(session, v, menuError), { 'Content-Security-Policy': PAGE_CSP });
  }
  if (path === '/fragment') {
    return send(res, 200, 'text/html; charset=utf-8', renderApp(session, parseView(url), null), { 'Content-Security-Policy': PAGE_CSP });
  }
  if (path === '/assets/app.css') return send(res, 200, 'text/css; charset=utf-8', APP_CSS);
  if (path === '/assets/app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS);
  if (path === '/api/status') return json(res, 200, { saving: session.status.saving, html: saveStatusText(session) });
  const dialog = /^\/dialog\/(\d+)$/.exec(path);
  if (dialog) {
    const shown = session.env.ui.dialogs[Number(dialog[1])];
    if (!shown) return text(res, 404, 'Такого окна нет');
    return send(res, 200, 'text/html; charset=utf-8', withShim(shown.html), { 'Content-Security-Policy': DIALOG_CSP });
  }
  const mail = /^\/mail\/([^/]+)$/.exec(path);
  if (mail) {
    const id = decodeURIComponent(mail[1]);
    const html = mailHtml(session.opts.outbox, id);
    if (html === null) return text(res, 404, 'Письмо без HTML-версии: текст — под окном письма');
    return send(res, 200, 'text/html; charset=utf-8', html, { 'Content-Security-Policy': MAIL_CSP });
  }
  if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
  return send(res, 404, 'text/html; charset=utf-8', `<!doctype html><meta charset="utf-8"><p>Нет такой страницы: ${escapeHtml(path)}. <a href="/">К таблице</a></p>`);
}

function personOf(session: PreviewSession, as: unknown): string {
  if (as === undefined || as === null || as === '') return session.owner;
  const email = String(as).trim().toLowerCase();
  if (!isEmail(email)) throw new UsageError(`«${email}» — не email`);
  return email;
}

function answersOf(raw: unknown): Answer[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new UsageError('Ответы — это список');
  return raw.map((a) => {
    const button = String((a as Answer)?.button ?? '');
    if (!['OK', 'CANCEL', 'YES', 'NO', 'CLOSE'].includes(button)) throw new UsageError(`Нет такой кнопки: ${button}`);
    const t = (a as Answer)?.text;
    return t === undefined || t === null ? { button } : { button, text: String(t) };
  });
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new UsageError('Слишком большой запрос')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error();
        resolve(v as Record<string, unknown>);
      } catch {
        reject(new UsageError('Запрос — не JSON-объект'));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function text(res: ServerResponse, status: number, message: string): void {
  send(res, status, 'text/plain; charset=utf-8', message);
}
