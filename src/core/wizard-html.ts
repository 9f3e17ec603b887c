// The «Мастер настройки» dialog: a form with the current values and a small client that sends the
// answers to wizardSubmit through google.script.run. Every value from the sheets goes into the page
// escaped; the client shows the server's answer with textContent, never as HTML.
import { escapeHtml } from './text';
import { wizardText, type WizardForm, type WizardManagerColumn, type WizardSettingField } from './wizard';

export interface WizardPageOptions {
  /** First words of the page (why it opened). */
  intro: string;
  /** Defaults of «Настройки» a manager's empty cell falls back to, by column key («5 %»). */
  columnDefaults?: Record<string, string>;
}

const CSS = `
body{font:14px Arial,sans-serif;color:#202124;margin:0 4px}
h3{font-size:15px;margin:18px 0 6px}
label{display:block;margin:8px 0 2px;font-weight:bold}
.hint{color:#5f6368;font-size:12px;margin:2px 0 4px}
input[type=text],select{font:14px Arial,sans-serif;padding:4px;border:1px solid #bbb;border-radius:3px;box-sizing:border-box}
input.wide{width:100%}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ddd;padding:3px;text-align:left;vertical-align:top}
th{background:#f1f3f4;font-size:12px}
td input[type=text]{width:100%}
#errors{color:#b3261e;white-space:pre-wrap}
#done{color:#137333;white-space:pre-wrap}
.buttons{margin:16px 0 4px}
button{font:14px Arial,sans-serif;padding:6px 14px;margin-right:8px}
`;

function settingInput(f: WizardSettingField): string {
  const name = `s:${f.key}`;
  const value = escapeHtml(f.value);
  if (f.kind === 'boolean') {
    const options = ['', 'Да', 'Нет'].map((v) => `<option value="${escapeHtml(v)}"${v === f.value ? ' selected' : ''}>${v === '' ? `по умолчанию (${escapeHtml(f.defaultText)})` : v}</option>`);
    return `<select name="${escapeHtml(name)}">${options.join('')}</select>`;
  }
  if (f.kind === 'time') return `<input type="text" name="${escapeHtml(name)}" value="${value}" placeholder="${escapeHtml(f.defaultText || 'ЧЧ:ММ')}" size="6">`;
  if (f.kind === 'number' || f.kind === 'text') return `<input type="text" name="${escapeHtml(name)}" value="${value}" placeholder="${escapeHtml(f.defaultText)}" size="8">`;
  return `<input type="text" class="wide" name="${escapeHtml(name)}" value="${value}" placeholder="${escapeHtml(f.defaultText || 'адреса через запятую')}">`;
}

function settingBlock(f: WizardSettingField): string {
  const required = f.required ? ' <span style="color:#b3261e">*</span>' : '';
  return `<label>${escapeHtml(f.name)}${required}</label>${settingInput(f)}<div class="hint">${escapeHtml(f.description)}</div>`;
}

const GROUPS: Array<{ title: string; kinds: WizardSettingField['kind'][] }> = [
  { title: 'Руководство и получатели писем', kinds: ['emails'] },
  { title: 'Время (по Москве)', kinds: ['time'] },
  { title: 'Валюта и сроки', kinds: ['text', 'number', 'boolean'] },
];

function managerCell(c: WizardManagerColumn, value: string, placeholder: string): string {
  const key = escapeHtml(c.key);
  if (c.kind === 'boolean') return `<input type="checkbox" data-key="${key}"${value === 'true' ? ' checked' : ''}>`;
  if (c.kind === 'choice') {
    const options = ['', ...(c.choices ?? [])].map((v) => `<option value="${escapeHtml(v)}"${v === value ? ' selected' : ''}>${escapeHtml(v)}</option>`);
    return `<select data-key="${key}">${options.join('')}</select>`;
  }
  return `<input type="text" data-key="${key}" value="${escapeHtml(value)}" placeholder="${escapeHtml(placeholder)}">`;
}

function managerRow(columns: WizardManagerColumn[], row: Record<string, string>, defaults: Record<string, string>): string {
  return `<tr>${columns.map((c) => `<td>${managerCell(c, row[c.key] ?? '', defaults[c.key] ?? '')}</td>`).join('')}</tr>`;
}

function managersBlock(form: WizardForm, defaults: Record<string, string>): string {
  const m = form.managers;
  if (!m) return '';
  const head = m.columns.map((c) => `<th title="${escapeHtml(c.note ?? '')}">${escapeHtml(c.header)}</th>`).join('');
  const rows = [...m.rows, {}].map((r) => managerRow(m.columns, r, defaults)).join('');
  const notes = m.columns.filter((c) => c.note).map((c) => `<div class="hint"><b>${escapeHtml(c.header)}</b>: ${escapeHtml(c.note!)}</div>`).join('');
  return `<h3>Лист «${escapeHtml(m.sheet)}»</h3>
<table id="managers"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
<template id="blank-row">${managerRow(m.columns, {}, defaults)}</template>
<button type="button" onclick="addManagerRow()">Добавить менеджера</button>
<div class="hint">Менеджер находится по имени: у существующего меняются только изменённые ячейки, новое имя добавляется строкой в конец листа. Отсюда никого не удаляют — уволившемуся поставьте «Нет» в колонке активности или удалите строку в самом листе.</div>
${notes}`;
}

// The client: plain ES5 so any browser runs it; the answers' shape is WizardAnswersInput.
const CLIENT = `
function collect() {
  var settings = {};
  var fields = document.querySelectorAll('[name^="s:"]');
  for (var i = 0; i < fields.length; i++) settings[fields[i].name.slice(2)] = fields[i].value;
  var managers = [];
  var rows = document.querySelectorAll('#managers tbody tr');
  for (var r = 0; r < rows.length; r++) {
    var row = {}, any = false, cells = rows[r].querySelectorAll('[data-key]');
    for (var c = 0; c < cells.length; c++) {
      var el = cells[c], v = el.type === 'checkbox' ? el.checked : el.value;
      row[el.getAttribute('data-key')] = v;
      if (el.type !== 'checkbox' && String(v).trim() !== '') any = true;
    }
    if (any) managers.push(row);
  }
  return { settings: settings, managers: managers };
}
function show(id, lines) {
  var box = document.getElementById(id);
  box.textContent = lines.join('\\n');
  if (lines.length) box.scrollIntoView();
}
function busy(on) {
  var b = document.getElementById('wizard-save');
  b.disabled = on;
  b.textContent = on ? 'Сохраняю…' : 'Сохранить';
}
// Not «save»: inside a <form>, an inline handler resolves names against the form's fields first.
function wizardSave() {
  busy(true);
  show('errors', []);
  show('done', []);
  google.script.run
    .withSuccessHandler(function (r) {
      busy(false);
      if (r && r.ok) show('done', [r.message]);
      else show('errors', [${JSON.stringify(wizardText.notSaved)}].concat((r && r.errors) || []));
    })
    .withFailureHandler(function (e) {
      busy(false);
      show('errors', ['Не получилось: ' + ((e && e.message) || e)]);
    })
    .wizardSubmit(collect());
}
function addManagerRow() {
  var t = document.getElementById('blank-row');
  document.querySelector('#managers tbody').appendChild(t.content.firstElementChild.cloneNode(true));
}
`;

export function renderWizardHtml(form: WizardForm, opts: WizardPageOptions): string {
  const groups = GROUPS.map((g) => {
    const fields = form.settings.filter((f) => g.kinds.includes(f.kind));
    return fields.length ? `<h3>${escapeHtml(g.title)}</h3>${fields.map(settingBlock).join('')}` : '';
  }).join('');
  return `<!DOCTYPE html><html><head><base target="_top"><meta charset="utf-8"><style>${CSS}</style></head><body>
<p>${escapeHtml(opts.intro)}</p>
<form id="wizard" onsubmit="return false">
${groups}
${managersBlock(form, opts.columnDefaults ?? {})}
<div id="errors"></div><div id="done"></div>
<div class="buttons"><button type="button" id="wizard-save" onclick="wizardSave()">Сохранить</button><button type="button" onclick="google.script.host.close()">Закрыть</button></div>
</form>
<script>${CLIENT}</script>
</body></html>`;
}
