// The preview page as HTML: the «Продажи» menu, the workbook's sheets as read-only grids, the outbox and
// the partner files. Every text that comes from the workbook, the product or a file goes through
// escapeHtml; the page's script and styles are separate files (see assets.ts).
import type { ChartState } from '../../emulator/spreadsheet/chart';
import type { EmuSheet } from '../../emulator/spreadsheet/sheet';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/spreadsheet';
import { templateByName } from '../../sheets-templates';
import { escapeHtml, headerKey, isDate } from '../../src/core/text';
import { MOSCOW, formatRuDateTime } from '../../src/core/dates';
import { a1Of, type PreviewSession } from './session';
import { listOutbox, mailText, type OutboxMail } from './outbox';

/** What the address asks for: the view, the sheet or email in it, and who is at the keyboard. */
export interface View {
  view: 'sheet' | 'mail' | 'partners';
  sheet?: string;
  mail?: string;
  file?: string;
  as?: string;
}

const esc = escapeHtml;
/** Grids stop here: the preview is for looking, a longer sheet is summarised below the grid. */
const MAX_ROWS = 1000;
const EMPTY_ROWS_BELOW = 8;
const ROW_PX = 21;
const HEAD_PX = 20;
const ROWNUM_PX = 44;

export function viewHref(v: View, change: Partial<View> = {}): string {
  const next: View = { ...v, ...change };
  const q = new URLSearchParams();
  if (next.view !== 'sheet') q.set('view', next.view);
  for (const key of ['sheet', 'mail', 'file', 'as'] as const) {
    const value = next[key];
    if (value) q.set(key, value);
  }
  const s = q.toString();
  return s ? `/?${s}` : '/';
}

export function renderPage(session: PreviewSession, v: View, menuError: string | null): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(session.title)} — предпросмотр</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="/assets/app.js" defer></script>
</head>
<body data-as="${esc(v.as ?? '')}">
<div id="app">${renderApp(session, v, menuError)}</div>
<div id="busy" class="busy" hidden><div class="busy-box"><span class="spinner"></span><span id="busy-text">Выполняется…</span></div></div>
<div id="overlay" class="overlay" hidden></div>
<aside id="sidebar" class="sidebar" hidden></aside>
<div id="toasts" class="toasts" aria-live="polite"></div>
</body>
</html>`;
}

/** Everything the page refreshes after a click (the modals stay). */
export function renderApp(session: PreviewSession, v: View, menuError: string | null): string {
  const mails = listOutbox(session.opts.outbox);
  const partners = partnerFiles(session);
  return `${renderTop(session, v)}
<nav class="menubar">
  ${renderMenus(session, menuError)}
  <div class="views" role="tablist">
    ${viewTab(v, 'sheet', 'Таблица', null)}
    ${viewTab(v, 'mail', 'Письма', mails.length)}
    ${viewTab(v, 'partners', 'Файлы партнёров', partners.length)}
  </div>
</nav>
${renderTools(session, v)}
${v.view === 'mail' ? renderMailView(session, v, mails) : v.view === 'partners' ? renderPartnersView(session, v, partners) : renderSheetView(session, v)}
<footer class="status"><span id="save-status" data-saving="${session.status.saving ? '1' : ''}">${saveStatusText(session)}</span><span id="last-action"></span></footer>`;
}

export function saveStatusText(session: PreviewSession): string {
  const s = session.status;
  if (s.error) return `<span class="err">${esc(s.error)}</span>`;
  if (s.saving) return 'Сохраняется…';
  if (s.savedAt) return `Сохранено в ${esc(new Date(s.savedAt).toLocaleTimeString('ru-RU'))}`;
  return session.created ? (session.opts.empty ? 'Таблица создана без демо-данных' : 'Таблица создана с демо-данными') : 'В этом сеансе изменений пока нет';
}

/**
 * Two things a person does outside the menu: type a cell as someone («Ввести как…», the path of
 * `npm start -- --job edit --as EMAIL --set`), and let the clock run with the schedule firing as on Google
 * («Запустить расписание на …», the tick job of `npm start`). The page's script sends them (assets.ts).
 */
function renderTools(session: PreviewSession, v: View): string {
  const people = session.people().map((p) => `<option value="${esc(p.email)}">${esc(p.role)}</option>`).join('');
  return `<div class="tools">
  <form id="edit-as" class="tool" autocomplete="off">
    <span class="tool-title">Ввести как…</span>
    <input name="person" type="email" list="people" value="${esc(v.as ?? '')}" placeholder="email (пусто — владелец)" aria-label="Кто вводит: email" size="24">
    <input name="cell" placeholder="Аналитика!C5" aria-label="Ячейка: лист и адрес, например Аналитика!C5" size="14">
    <input name="value" placeholder="значение, как его печатают" aria-label="Что ввести в ячейку" size="22">
    <button type="submit" class="btn small">Ввести</button>
  </form>
  <form id="schedule-run" class="tool" autocomplete="off">
    <span class="tool-title">Запустить расписание на …</span>
    <input name="until" placeholder="ЧЧ:ММ" aria-label="До какого времени (Москва): ЧЧ:ММ сегодня или ГГГГ-ММ-ДД ЧЧ:ММ" size="16">
    <button type="submit" class="btn small">Запустить</button>
  </form>
  <datalist id="people">${people}</datalist>
</div>`;
}

function renderTop(session: PreviewSession, v: View): string {
  const me = v.as ?? session.owner;
  const people = session.people();
  if (!people.some((p) => p.email === me)) people.push({ email: me, role: 'гость' });
  const options = people.map((p) => `<option value="${esc(p.email === session.owner ? '' : p.email)}"${p.email === me ? ' selected' : ''}>${esc(p.email)} — ${esc(p.role)}</option>`).join('');
  return `<header class="top">
  <div class="brand"><span class="logo" aria-hidden="true"></span><div><div class="doc">${esc(session.title)}</div>
  <div class="doc-sub">Предпросмотр без аккаунта Google · ${esc(session.opts.workbook)}</div></div></div>
  <div class="who">
    <span class="clock" title="Время эмулятора идёт вместе с настоящим">${esc(formatRuDateTime(session.now(), MOSCOW))} (Москва)</span>
    <label>Вы: <select id="as" aria-label="От чьего имени работать">${options}<option value="?">другой email…</option></select></label>
  </div>
</header>`;
}

function viewTab(v: View, view: View['view'], label: string, count: number | null): string {
  const on = v.view === view;
  return `<a role="tab" class="view${on ? ' on' : ''}" aria-selected="${on}" href="${esc(viewHref({ view, as: v.as }))}">${esc(label)}${count === null ? '' : ` <span class="count">${count}</span>`}</a>`;
}

// ---- the menu ---------------------------------------------------------------------------------

interface MenuNode { caption?: string; functionName?: string; separator?: boolean; items?: MenuNode[] }

function renderMenus(session: PreviewSession, menuError: string | null): string {
  if (menuError) return `<div class="menu-error">Меню не построено: onOpen завершился с ошибкой «${esc(menuError)}»</div>`;
  const menus = session.env.ui.menus;
  if (menus.length === 0) return '<div class="menu-error">Скрипт не добавил меню (onOpen ничего не показал)</div>';
  return menus.map((m) => `<div class="menu" data-menu>
    <button type="button" class="menu-top" data-menu-toggle aria-haspopup="true" aria-expanded="false">${esc(m.caption)}</button>
    <ul class="menu-pop" role="menu">${renderItems(m.items as MenuNode[])}</ul>
  </div>`).join('');
}

function renderItems(items: MenuNode[]): string {
  return items.map((item) => {
    if (item.separator) return '<li class="sep" role="separator"></li>';
    if (item.items) {
      return `<li class="sub" role="menuitem" aria-haspopup="true" tabindex="0">${esc(item.caption)}<span class="arrow">▸</span><ul class="menu-pop sub-pop" role="menu">${renderItems(item.items)}</ul></li>`;
    }
    return `<li role="menuitem" tabindex="0" data-handler="${esc(item.functionName)}" data-caption="${esc(item.caption)}">${esc(item.caption)}</li>`;
  }).join('');
}

// ---- sheets -----------------------------------------------------------------------------------

function visibleDefault(ss: EmuSpreadsheet): EmuSheet {
  const active = ss.activeSheet;
  if (active && !active.deleted && !active.hidden) return active;
  return ss.sheets.find((s) => !s.hidden) ?? ss.sheets[0];
}

function renderSheetView(session: PreviewSession, v: View): string {
  const ss = session.ss;
  const sheet = (v.sheet ? ss.sheet(v.sheet) : undefined) ?? visibleDefault(ss);
  return `<div class="fbar"><span class="ref" id="ref">${esc(ss.activeSheet === sheet && sheet.activeBox ? a1Of(sheet.activeBox.row, sheet.activeBox.col) : 'A1')}</span><span class="fx">fx</span><span class="fxv" id="fxv"></span></div>
<main id="main" class="main" data-sheet="${esc(sheet.name)}">${renderGrid(sheet, ss.activeSheet === sheet)}</main>
${renderSheetTabs(ss, sheet, (name) => viewHref(v, { view: 'sheet', sheet: name }))}`;
}

function renderSheetTabs(ss: EmuSpreadsheet, current: EmuSheet, href: (name: string) => string, cls = 'tabs'): string {
  const tabs = ss.sheets.map((s) => {
    const color = s.tabColor ? ` style="box-shadow: inset 0 -3px 0 ${esc(cssColor(s.tabColor))}"` : '';
    const label = `${esc(s.name)}${s.hidden ? ' <span class="hidden-mark">(скрыт)</span>' : ''}`;
    return `<a class="tab${s === current ? ' on' : ''}${s.hidden ? ' hid' : ''}" href="${esc(href(s.name))}" data-sheet-tab="${esc(s.name)}"${color}>${label}</a>`;
  }).join('');
  return `<nav class="${cls}" aria-label="Листы">${tabs}</nav>`;
}

/** Which row holds the column headers: the template's for our sheets, else the frozen rows' last. */
function headerRowOf(sheet: EmuSheet): number {
  const def = templateByName(sheet.name);
  if (def) return def.kind === 'table' ? def.headerRow : 0;
  return sheet.frozenRows;
}

export function renderGrid(sheet: EmuSheet, isActiveSheet: boolean): string {
  const st = sheet.store;
  const last = st.lastContent();
  const headerRow = headerRowOf(sheet);
  const wanted = Math.max(last.row, headerRow, sheet.frozenRows) + EMPTY_ROWS_BELOW;
  const nRows = Math.min(sheet.maxRows, wanted, MAX_ROWS);
  const nCols = Math.min(sheet.maxCols, Math.max(last.col, 1) + 1);
  const box = { row: 1, col: 1, numRows: nRows, numCols: nCols };
  const display = sheet.rangeOf(box).peekDisplayValues();
  const values = sheet.rangeOf(box).peekValues();
  const cols: number[] = [];
  for (let c = 1; c <= nCols; c++) if (!sheet.hiddenCols.has(c)) cols.push(c);
  const width = (c: number) => sheet.colWidths[c] || 100;

  const problemCol = headerRow > 0 ? cols.find((c) => headerKey(display[headerRow - 1][c - 1]) === 'проблемы') ?? null : null;
  let problems = 0;
  if (problemCol !== null) for (let r = headerRow + 1; r <= nRows; r++) if (display[r - 1][problemCol - 1] !== '') problems++;

  // Frozen columns stay at the left edge while the grid scrolls, as in Sheets.
  const left = new Map<number, number>();
  let x = ROWNUM_PX;
  for (const c of cols) if (c <= sheet.frozenCols) { left.set(c, x); x += width(c); }
  const active = isActiveSheet ? sheet.activeBox : null;
  const inActive = (r: number, c: number) => !!active && r >= active.row && r < active.row + active.numRows && c >= active.col && c < active.col + active.numCols;

  const colgroup = `<colgroup><col style="width:${ROWNUM_PX}px">${cols.map((c) => `<col style="width:${width(c)}px">`).join('')}</colgroup>`;
  const head = `<tr class="letters"><th class="corner"></th>${cols.map((c) => {
    const l = left.get(c);
    return `<th${l !== undefined ? ` class="fz" style="left:${l}px"` : ''}${c === problemCol ? ' data-problems-col="1"' : ''}>${esc(a1Of(1, c).replace(/\d+$/, ''))}</th>`;
  }).join('')}</tr>`;

  const body: string[] = [];
  for (let r = 1; r <= nRows; r++) {
    const frozen = r <= sheet.frozenRows;
    const trAttr = frozen ? ` class="frozen" style="--top:${HEAD_PX + (r - 1) * ROW_PX}px"` : '';
    const cells: string[] = [`<th class="rn">${r}</th>`];
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i];
      const text = display[r - 1][c - 1];
      const value = values[r - 1][c - 1];
      const ex = st.extra(r - 1, c - 1);
      const cls: string[] = [];
      const style: string[] = [];
      let content = esc(text);
      const rule = ex?.dv?.state;
      if (rule?.criteria === 'CHECKBOX') {
        cls.push('cb');
        content = value === true ? '<span class="box on" aria-label="отмечено">✓</span>' : '<span class="box" aria-label="не отмечено"></span>';
      } else if ((rule?.criteria === 'VALUE_IN_LIST' || rule?.criteria === 'VALUE_IN_RANGE') && rule.args[1] !== false) {
        cls.push('dd');
        content = `<span class="v">${content}</span><span class="dd-mark" aria-hidden="true">▾</span>`;
      }
      if (typeof value === 'number' || isDate(value)) cls.push('num');
      else if (typeof value === 'boolean') cls.push('ctr');
      if (r === headerRow) cls.push('hdr');
      if (c === problemCol && r > headerRow && text !== '') cls.push('problem');
      if (ex?.note) cls.push('note');
      if (inActive(r, c)) cls.push('active');
      const l = left.get(c);
      if (l !== undefined) { cls.push('fz'); style.push(`left:${l}px`); }
      if (ex?.bg && ex.bg !== '#ffffff') style.push(`background:${cssColor(ex.bg)}`);
      if (ex?.fc && ex.fc !== '#000000') style.push(`color:${cssColor(ex.fc)}`);
      if (ex?.fw === 'bold') style.push('font-weight:700');
      if (ex?.fst === 'italic') style.push('font-style:italic');
      if (ex?.fsz) style.push(`font-size:${Number(ex.fsz)}pt`);
      if (ex?.ha && /^(left|center|right)$/.test(ex.ha)) style.push(`text-align:${ex.ha}`);
      // Left-aligned text runs on over empty cells to its right, as Sheets draws it.
      let span = 1;
      if (text !== '' && cls.length === 0 && (!ex?.ha || ex.ha === 'left')) {
        let room = width(c);
        const needed = text.length * 7.5 + 8;
        while (room < needed && i + span < cols.length) {
          const n = cols[i + span];
          const nx = st.extra(r - 1, n - 1);
          if (display[r - 1][n - 1] !== '' || nx?.dv || nx?.bg || left.has(n) !== left.has(c) || inActive(r, n)) break;
          room += width(n);
          span++;
        }
      }
      const tip = [text, ex?.note ? `Примечание: ${ex.note}` : ''].filter(Boolean).join('\n');
      cells.push(`<td data-a1="${a1Of(r, c)}"${span > 1 ? ` colspan="${span}"` : ''}${cls.length ? ` class="${cls.join(' ')}"` : ''}${style.length ? ` style="${esc(style.join(';'))}"` : ''}${tip ? ` title="${esc(tip)}"` : ''}>${content}</td>`);
      i += span - 1;
    }
    body.push(`<tr${trAttr}>${cells.join('')}</tr>`);
  }
  const total = cols.reduce((n, c) => n + width(c), ROWNUM_PX);
  const notes: string[] = [];
  if (problemCol !== null) {
    notes.push(problems > 0
      ? `<span class="chip problem-chip" data-problems="${problems}">«Проблемы»: ${problems} ${plural(problems, 'строка', 'строки', 'строк')}</span>`
      : '<span class="chip ok-chip" data-problems="0">«Проблемы»: пусто</span>');
  }
  if (sheet.hidden) notes.push('<span class="chip">Лист скрыт: в Google Таблицах его вкладки не видно</span>');
  const rest = Math.max(0, Math.min(sheet.maxRows, wanted) - nRows);
  const tail = rest > 0 || last.row > MAX_ROWS ? `<p class="more">Показаны первые ${nRows} строк; всего строк с данными — ${last.row}.</p>` : '';
  const charts = sheet.charts.map((chart) => renderChart(sheet, chart.state, (c) => cols.filter((k) => k < c).reduce((n, k) => n + width(k), ROWNUM_PX) + (c > nCols ? (c - nCols - 1) * 100 : 0))).join('');
  return `${notes.length ? `<div class="notes">${notes.join('')}</div>` : ''}<div class="grid-wrap">${charts}<table class="grid" style="width:${total}px" data-sheet="${esc(sheet.name)}" data-header-row="${headerRow}">${colgroup}<thead>${head}</thead><tbody>${body.join('')}</tbody></table></div>${tail}`;
}

const CHART_KINDS: Record<string, string> = { BAR: 'линейчатая', COLUMN: 'гистограмма', PIE: 'круговая', LINE: 'график', AREA: 'диаграмма с областями', SCATTER: 'точечная', TABLE: 'таблица' };

/** A bar or column chart drawn from its range where Sheets anchors it; other kinds are named only. */
function renderChart(sheet: EmuSheet, chart: ChartState, leftOf: (col: number) => number): string {
  const title = chart.options.title ? String(chart.options.title) : '';
  const pos = `left:${leftOf(chart.position.col) + chart.position.offsetX}px;top:${HEAD_PX + (chart.position.row - 1) * ROW_PX + chart.position.offsetY}px`;
  const box = chart.ranges[0];
  const kind = CHART_KINDS[chart.type] ?? chart.type;
  if (!box || box.numCols < 2 || (chart.type !== 'BAR' && chart.type !== 'COLUMN')) {
    return `<figure class="chart" style="${pos}"><figcaption>${esc(title || 'Диаграмма')}</figcaption><p class="chart-note">Диаграмма (${esc(kind)}) — в предпросмотре не рисуется</p></figure>`;
  }
  const labels = sheet.rangeOf({ ...box, numCols: 1 }).peekDisplayValues().map((r) => r[0]);
  const values = sheet.rangeOf({ ...box, col: box.col + 1, numCols: 1 }).peekValues().map((r) => (typeof r[0] === 'number' ? r[0] : null));
  // A first row of words is the series' header.
  const start = values[0] === null ? 1 : 0;
  const rows = labels.slice(start).map((label, i) => ({ label, value: values[start + i] ?? 0 }));
  const max = Math.max(1, ...rows.map((r) => r.value));
  const W = 460;
  const H = 280;
  const top = title ? 36 : 12;
  const parts: string[] = [];
  if (chart.type === 'BAR') {
    const labelW = 150;
    const band = (H - top - 10) / Math.max(1, rows.length);
    rows.forEach((r, i) => {
      const y = top + i * band;
      const w = ((W - labelW - 50) * r.value) / max;
      parts.push(`<text x="${labelW - 6}" y="${y + band / 2 + 4}" text-anchor="end">${esc(shorten(r.label, 20))}</text>`,
        `<rect x="${labelW}" y="${y + band * 0.18}" width="${w.toFixed(1)}" height="${(band * 0.64).toFixed(1)}" fill="#4285f4"><title>${esc(`${r.label}: ${r.value}`)}</title></rect>`,
        `<text x="${labelW + w + 4}" y="${y + band / 2 + 4}" class="val">${esc(String(r.value).replace('.', ','))}</text>`);
    });
  } else {
    const bottom = H - 34;
    const band = (W - 20) / Math.max(1, rows.length);
    rows.forEach((r, i) => {
      const x = 10 + i * band;
      const h = ((bottom - top - 14) * r.value) / max;
      parts.push(`<rect x="${(x + band * 0.18).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(band * 0.64).toFixed(1)}" height="${h.toFixed(1)}" fill="#4285f4"><title>${esc(`${r.label}: ${r.value}`)}</title></rect>`,
        `<text x="${(x + band / 2).toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${esc(shorten(r.label, 12))}</text>`,
        `<text x="${(x + band / 2).toFixed(1)}" y="${(bottom - h - 4).toFixed(1)}" text-anchor="middle" class="val">${esc(String(r.value).replace('.', ','))}</text>`);
    });
  }
  const head = title ? `<text x="${W / 2}" y="22" text-anchor="middle" class="title">${esc(title)}</text>` : '';
  return `<figure class="chart" style="${pos}"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title || 'Диаграмма')}">${head}${parts.join('')}</svg></figure>`;
}

function shorten(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function cssColor(color: string): string {
  return /^#[0-9a-f]{3,8}$/i.test(color) || /^[a-z]+$/i.test(color) ? color : 'transparent';
}

function plural(n: number, one: string, few: string, many: string): string {
  const d = n % 10;
  const dd = n % 100;
  if (d === 1 && dd !== 11) return one;
  if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return few;
  return many;
}

// ---- the outbox -------------------------------------------------------------------------------

const listText = (addresses: string) => addresses.split(/\s*,\s*/).filter(Boolean).join(', ');

function renderMailView(session: PreviewSession, v: View, mails: OutboxMail[]): string {
  if (mails.length === 0) {
    return `<main id="main" class="main pane-empty"><div class="empty"><h2>Писем пока нет</h2><p>Письма, которые скрипт отправил бы, появляются здесь и в папке ${esc(session.opts.outbox)}. Попробуйте «Продажи → Отчёты → Отправить отчёт секретаря сейчас».</p></div></main>`;
  }
  const current = mails.find((m) => m.id === v.mail) ?? mails[0];
  const list = mails.map((m) => `<a class="item${m === current ? ' on' : ''}" href="${esc(viewHref(v, { mail: m.id }))}" data-mail="${esc(m.id)}">
    <span class="subj">${esc(m.subject || '(без темы)')}</span><span class="meta">${esc(listText(m.to))}</span><span class="meta">${esc(m.date)}</span></a>`).join('');
  const text = mailText(session.opts.outbox, current.id);
  return `<main id="main" class="main split">
  <div class="list" aria-label="Письма">${list}</div>
  <section class="reader">
    <h2 class="mail-subject">${esc(current.subject || '(без темы)')}</h2>
    <dl class="mail-head"><dt>От</dt><dd>${esc(current.from)}</dd><dt>Кому</dt><dd>${esc(listText(current.to))}</dd>${current.cc ? `<dt>Копия</dt><dd>${esc(listText(current.cc))}</dd>` : ''}<dt>Дата</dt><dd>${esc(current.date)}</dd><dt>Файл</dt><dd>${esc(current.id)}.eml</dd></dl>
    <iframe class="mail-frame" title="Письмо" sandbox src="/mail/${encodeURIComponent(current.id)}"></iframe>
    <details class="mail-text"><summary>Текстовая версия письма</summary><pre>${esc(text)}</pre></details>
  </section>
</main>`;
}

// ---- partner files ----------------------------------------------------------------------------

function partnerFiles(session: PreviewSession): EmuSpreadsheet[] {
  const active = session.ss;
  return session.env.world.all().filter((ss) => ss !== active && !ss.acl.trashed).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}

function renderPartnersView(session: PreviewSession, v: View, files: EmuSpreadsheet[]): string {
  if (files.length === 0) {
    return `<main id="main" class="main pane-empty"><div class="empty"><h2>Файлов партнёров пока нет</h2><p>Их создаёт «Продажи → Синхронизировать партнёров»: у каждого партнёра своя таблица, локально — файл в ${esc(session.opts.partners)}.</p></div></main>`;
  }
  const current = files.find((f) => f.id === v.file) ?? files[0];
  const sheet = (v.sheet ? current.sheet(v.sheet) : undefined) ?? visibleDefault(current);
  const list = files.map((f) => `<a class="item${f === current ? ' on' : ''}" href="${esc(viewHref(v, { file: f.id, sheet: undefined }))}" data-partner="${esc(f.name)}">
    <span class="subj">${esc(f.name)}</span><span class="meta">${esc(session.partnerFile(f.id) ?? 'ещё не сохранён')}</span><span class="meta">${esc(f.acl.viewerList().concat(f.acl.editorList().filter((e) => e !== f.acl.owner)).join(', ') || 'доступа ни у кого нет')}</span></a>`).join('');
  return `<main id="main" class="main split">
  <div class="list" aria-label="Файлы партнёров">${list}</div>
  <section class="reader sheet-reader">
    ${renderSheetTabs(current, sheet, (name) => viewHref(v, { file: current.id, sheet: name }), 'tabs tabs-top')}
    <div class="partner-grid">${renderGrid(sheet, false)}</div>
  </section>
</main>`;
}
