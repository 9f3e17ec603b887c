// The preview page's styles and script, and the shim every dialog of the product gets: served as
// files, so the page itself carries no inline script (its Content-Security-Policy allows none).

export const APP_CSS = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font:13px/1.4 Arial,"Helvetica Neue",sans-serif;color:#202124;background:#fff;display:flex;flex-direction:column}
#app{display:flex;flex-direction:column;flex:1;min-height:0}
button,select,input{font:inherit}
a{color:#1a73e8}
.top{display:flex;align-items:center;justify-content:space-between;gap:16px;padding:8px 16px 4px}
.brand{display:flex;align-items:center;gap:10px;min-width:0}
.logo{width:26px;height:34px;border-radius:3px;background:#0f9d58;position:relative;flex:none}
.logo::after{content:"";position:absolute;left:6px;right:6px;top:12px;bottom:8px;border:2px solid #fff;border-radius:1px;background:linear-gradient(#fff,#fff) 50% 0/2px 100% no-repeat,linear-gradient(#fff,#fff) 0 50%/100% 2px no-repeat}
.doc{font-size:18px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.doc-sub{color:#5f6368;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:60vw}
.who{display:flex;align-items:center;gap:14px;color:#5f6368;white-space:nowrap}
.who select{padding:4px 6px;border:1px solid #dadce0;border-radius:4px;background:#fff;max-width:320px}
.menubar{display:flex;align-items:center;justify-content:space-between;padding:0 10px 4px;border-bottom:1px solid #e0e0e0}
.menu{position:relative;display:inline-block}
.menu-top{border:0;background:none;padding:4px 8px;border-radius:4px;cursor:pointer;font-size:14px}
.menu-top:hover,.menu.open .menu-top{background:#e8eaed}
.menu-pop{display:none;position:absolute;left:0;top:100%;z-index:50;min-width:260px;margin:2px 0 0;padding:6px 0;list-style:none;background:#fff;border-radius:4px;box-shadow:0 2px 6px 2px rgba(60,64,67,.15),0 1px 2px rgba(60,64,67,.3)}
.menu.open>.menu-pop{display:block}
.menu-pop li{position:relative;padding:6px 36px 6px 24px;cursor:pointer;white-space:nowrap;outline:none}
.menu-pop li:hover,.menu-pop li:focus{background:#f1f3f4}
.menu-pop li.sep{padding:0;margin:6px 0;border-top:1px solid #e0e0e0;cursor:default}
.menu-pop li.sep:hover{background:none}
.menu-pop .arrow{position:absolute;right:12px;color:#5f6368}
.sub-pop{left:100%;top:-6px;margin:0}
.menu-pop li.sub:hover>.sub-pop,.menu-pop li.sub:focus-within>.sub-pop,.menu-pop li.sub.open>.sub-pop{display:block}
.menu-error{color:#b3261e;padding:4px 8px}
.views{display:flex;gap:4px}
.view{padding:4px 12px;border-radius:16px;color:#3c4043;text-decoration:none}
.view:hover{background:#f1f3f4}
.view.on{background:#e6f4ea;color:#137333;font-weight:700}
.count{display:inline-block;min-width:18px;padding:0 5px;border-radius:9px;background:#dadce0;color:#3c4043;font-size:11px;text-align:center;font-weight:400}
.view.on .count{background:#ceead6}
.fbar{display:flex;align-items:center;gap:0;border-bottom:1px solid #e0e0e0;height:28px;font-size:13px}
.fbar .ref{width:96px;padding:0 10px;border-right:1px solid #e0e0e0;height:100%;line-height:28px;color:#3c4043}
.fbar .fx{padding:0 10px;color:#9aa0a6;font-style:italic;border-right:1px solid #e0e0e0;height:100%;line-height:28px}
.fbar .fxv{padding:0 10px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:1}
.main{flex:1;min-height:0;overflow:auto;position:relative}
.notes{position:sticky;left:0;display:flex;flex-wrap:wrap;gap:6px;padding:6px 10px;background:#fff}
.chip{display:inline-block;padding:2px 10px;border-radius:12px;background:#f1f3f4;color:#3c4043;font-size:12px}
.problem-chip{background:#fce8e6;color:#a50e0e}
.ok-chip{background:#e6f4ea;color:#137333}
.grid{border-collapse:separate;border-spacing:0;table-layout:fixed;font:13px Arial,sans-serif}
.grid th,.grid td{height:${21}px;max-height:21px;padding:0 4px;border-right:1px solid #e2e3e3;border-bottom:1px solid #e2e3e3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;background:#fff;vertical-align:bottom;line-height:20px}
.grid thead th{position:sticky;top:0;z-index:3;height:20px;background:#f8f9fa;color:#5f6368;font-weight:400;font-size:11px;text-align:center;border-color:#c0c0c0}
.grid th.corner{left:0;z-index:5}
.grid th.rn{position:sticky;left:0;z-index:2;background:#f8f9fa;color:#5f6368;font-weight:400;font-size:11px;text-align:center;border-color:#c0c0c0}
.grid td.fz{position:sticky;z-index:1}
.grid thead th.fz{z-index:4}
.grid tr.frozen>*{position:sticky;top:var(--top);z-index:2}
.grid tr.frozen>th.rn,.grid tr.frozen>td.fz{z-index:3}
.grid tr.frozen>:last-child,.grid tr.frozen>*{border-bottom-color:#e2e3e3}
.grid td.num{text-align:right}
.grid td.ctr,.grid td.cb{text-align:center}
.grid td.hdr{font-weight:700}
.grid td.problem{background:#fce8e6!important;color:#a50e0e}
.grid td.dd{position:relative;padding-right:16px}
.grid td.dd.fz{position:sticky}
.grid td.dd .dd-mark{position:absolute;right:4px;top:0;color:#80868b;font-size:10px}
.grid td .box{display:inline-block;width:13px;height:13px;border:2px solid #5f6368;border-radius:2px;vertical-align:-2px;font-size:11px;line-height:9px;color:#fff;text-align:center}
.grid td .box.on{background:#1a73e8;border-color:#1a73e8;font-weight:700}
.grid td.note{background-image:linear-gradient(225deg,#f29900 5px,transparent 5px)}
.grid td.active{outline:2px solid #1a73e8;outline-offset:-2px}
.grid td.sel{box-shadow:inset 0 0 0 2px #1a73e8}
.more{color:#5f6368;padding:6px 10px;margin:0}
.grid-wrap{position:relative;width:max-content}
.chart{position:absolute;z-index:1;margin:0;background:#fff;border:1px solid #dadce0;border-radius:2px;box-shadow:0 1px 3px rgba(60,64,67,.15);padding:4px}
.chart figcaption{font-weight:700;padding:8px 12px 0}
.chart-note{color:#5f6368;padding:0 12px 8px;margin:6px 0 0}
.chart svg{display:block;font:12px Arial,sans-serif;fill:#3c4043}
.chart .title{font-size:14px;fill:#202124}
.chart .val{fill:#5f6368;font-size:11px}
.tabs{display:flex;gap:2px;overflow-x:auto;padding:0 8px;background:#f8f9fa;border-top:1px solid #e0e0e0;min-height:36px;align-items:stretch;flex:none}
.tab{padding:9px 14px;color:#3c4043;text-decoration:none;white-space:nowrap;border-radius:0 0 4px 4px}
.tab:hover{background:#e8eaed}
.tab.on{background:#fff;color:#188038;font-weight:700;box-shadow:0 1px 3px rgba(60,64,67,.2)}
.tab.hid{color:#80868b;font-style:italic}
.hidden-mark{font-size:11px}
.tabs-top{border-top:0;border-bottom:1px solid #e0e0e0;background:#fff}
.status{display:flex;justify-content:space-between;gap:16px;padding:4px 12px;border-top:1px solid #e0e0e0;color:#5f6368;font-size:12px;flex:none;min-height:24px}
.status .err{color:#b3261e}
.split{display:flex;overflow:hidden}
.list{width:320px;flex:none;overflow:auto;border-right:1px solid #e0e0e0}
.list .item{display:block;padding:10px 14px;border-bottom:1px solid #f1f3f4;color:inherit;text-decoration:none}
.list .item:hover{background:#f8f9fa}
.list .item.on{background:#e8f0fe}
.list .subj{display:block;font-weight:700;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.list .meta{display:block;color:#5f6368;font-size:12px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.reader{flex:1;min-width:0;overflow:auto;padding:12px 20px}
.sheet-reader{padding:0;display:flex;flex-direction:column}
.partner-grid{flex:1;overflow:auto}
.mail-subject{font-size:20px;font-weight:400;margin:4px 0 10px}
.mail-head{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 12px;color:#3c4043}
.mail-head dt{color:#5f6368}
.mail-head dd{margin:0;word-break:break-all}
.mail-frame{width:100%;max-width:760px;height:62vh;border:1px solid #e0e0e0;border-radius:8px;background:#fff}
.mail-text pre{white-space:pre-wrap;background:#f8f9fa;padding:10px;border-radius:6px;max-width:760px}
.pane-empty{display:flex;align-items:center;justify-content:center}
.empty{max-width:460px;text-align:center;color:#5f6368}
.empty h2{font-weight:400;color:#202124}
.overlay{position:fixed;inset:0;z-index:100;background:rgba(32,33,36,.45);display:flex;align-items:center;justify-content:center}
.overlay[hidden],.busy[hidden],.sidebar[hidden]{display:none}
.modal{position:absolute;background:#fff;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.3);max-width:calc(100vw - 40px);max-height:calc(100vh - 40px);display:flex;flex-direction:column}
.dlg-head{display:flex;align-items:center;justify-content:space-between;padding:14px 16px 8px 24px}
.dlg-title{font-size:18px}
.x{border:0;background:none;font-size:22px;line-height:1;color:#5f6368;cursor:pointer;padding:4px 8px;border-radius:50%}
.x:hover{background:#f1f3f4}
.gas-frame{border:0;width:100%;flex:1 1 auto;min-height:60px;padding:0 8px 8px}
.alert{width:480px;padding:22px 24px 16px}
.alert-title{font-size:18px;margin-bottom:12px}
.alert-text{white-space:pre-wrap;line-height:1.5;max-height:55vh;overflow:auto}
.alert.error .alert-title{color:#b3261e}
.alert input{width:100%;margin-top:12px;padding:6px 8px;border:1px solid #dadce0;border-radius:4px}
.btns{display:flex;justify-content:flex-end;gap:8px;margin-top:18px}
.btn{padding:7px 18px;border-radius:4px;border:1px solid #dadce0;background:#fff;color:#1a73e8;cursor:pointer;font-weight:700}
.btn.primary{background:#1a73e8;border-color:#1a73e8;color:#fff}
.btn:hover{box-shadow:0 1px 2px rgba(60,64,67,.3)}
.busy{position:fixed;inset:0;z-index:200;display:flex;justify-content:center;align-items:flex-start;padding-top:70px;background:transparent}
.busy-box{display:flex;align-items:center;gap:10px;background:#202124;color:#fff;padding:10px 16px;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.busy.quiet .busy-box{visibility:hidden}
.spinner{width:16px;height:16px;border:2px solid rgba(255,255,255,.3);border-top-color:#fff;border-radius:50%;animation:spin .8s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.sidebar{position:fixed;top:0;right:0;bottom:0;width:320px;z-index:90;background:#fff;box-shadow:-2px 0 8px rgba(0,0,0,.2);display:flex;flex-direction:column}
.toasts{position:fixed;left:24px;bottom:40px;z-index:150;display:flex;flex-direction:column;gap:8px;max-width:420px}
.toast{background:#323232;color:#fff;padding:12px 16px;border-radius:4px;box-shadow:0 2px 6px rgba(0,0,0,.3);white-space:pre-wrap;cursor:pointer}
.toast b{display:block;margin-bottom:2px}
.toast.note{background:#1e3a5f}
.tools{display:flex;flex-wrap:wrap;align-items:center;gap:6px 28px;padding:6px 12px;border-bottom:1px solid #e0e0e0;background:#f8f9fa;flex:none}
.tool{display:flex;align-items:center;gap:6px;margin:0}
.tool-title{color:#3c4043;font-weight:700;white-space:nowrap}
.tool input{padding:4px 6px;border:1px solid #dadce0;border-radius:4px;background:#fff}
.btn.small{padding:4px 12px;margin:0}
`;

/** The page's script: the menu, running items and dialog calls, alerts, dialogs, toasts and refreshes. */
export const APP_JS = String.raw`(function () {
  'use strict';
  var LABELS = { OK: 'ОК', CANCEL: 'Отмена', YES: 'Да', NO: 'Нет', CLOSE: 'Закрыть' };
  var SETS = { OK: ['OK'], OK_CANCEL: ['CANCEL', 'OK'], YES_NO: ['NO', 'YES'], YES_NO_CANCEL: ['CANCEL', 'NO', 'YES'] };
  var overlay = document.getElementById('overlay');
  var sidebar = document.getElementById('sidebar');
  var busy = document.getElementById('busy');
  var me = document.body.getAttribute('data-as') || '';

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  async function post(url, body) {
    var r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    var data = await r.json().catch(function () { return { error: 'Сервер предпросмотра ответил ' + r.status }; });
    if (!r.ok) throw new Error(data.error || ('Ошибка ' + r.status));
    return data;
  }

  // ---- refreshing the page under the modals ----
  /** What the person has typed into the tools bar, kept across a refresh. */
  function toolValues() {
    var out = {};
    Array.prototype.slice.call(document.querySelectorAll('.tools input[name]')).forEach(function (i) { out[i.form.id + ':' + i.name] = i.value; });
    return out;
  }

  async function refresh() {
    var r = await fetch('/fragment' + location.search);
    if (!r.ok) return;
    var kept = toolValues();
    document.getElementById('app').innerHTML = await r.text();
    Array.prototype.slice.call(document.querySelectorAll('.tools input[name]')).forEach(function (i) {
      var k = i.form.id + ':' + i.name;
      if (Object.prototype.hasOwnProperty.call(kept, k)) i.value = kept[k];
    });
    var active = document.querySelector('.grid td.active');
    if (active) {
      active.scrollIntoView({ block: 'center', inline: 'nearest' });
      var fxv = document.getElementById('fxv');
      if (fxv) fxv.textContent = active.getAttribute('title') || '';
    }
  }

  var polling = null;
  function pollSave() {
    if (polling) return;
    polling = setInterval(async function () {
      try {
        var s = await (await fetch('/api/status')).json();
        var box = document.getElementById('save-status');
        if (box) { box.innerHTML = s.html; box.setAttribute('data-saving', s.saving ? '1' : ''); }
        if (!s.saving) { clearInterval(polling); polling = null; }
      } catch (e) { clearInterval(polling); polling = null; }
    }, 600);
  }

  function showSheet(name) {
    var q = new URLSearchParams(location.search);
    q.delete('view'); q.delete('mail'); q.delete('file');
    q.set('sheet', name);
    history.replaceState(null, '', '/?' + q.toString());
  }

  // ---- modals ----
  function openModal(box) {
    overlay.hidden = false;
    overlay.appendChild(box);
    return box;
  }
  function closeModal(box) {
    if (box && box.parentNode) box.parentNode.removeChild(box);
    if (!overlay.children.length) overlay.hidden = true;
  }

  /** An alert or prompt; resolves with the button pressed (and the text typed). */
  function alertBox(a, opts) {
    return new Promise(function (resolve) {
      var box = el('div', 'modal alert' + (opts && opts.error ? ' error' : ''));
      box.setAttribute('role', 'alertdialog');
      box.setAttribute('aria-modal', 'true');
      if (a.title) box.appendChild(el('div', 'alert-title', a.title));
      box.appendChild(el('div', 'alert-text', a.prompt));
      var input = null;
      if (a.kind === 'prompt') { input = el('input'); input.type = 'text'; box.appendChild(input); }
      var btns = el('div', 'btns');
      var set = (opts && opts.ask) ? (SETS[a.buttons] || ['OK']) : ['OK'];
      set.forEach(function (b, i) {
        var btn = el('button', 'btn' + (i === set.length - 1 ? ' primary' : ''), LABELS[b] || b);
        btn.type = 'button';
        btn.setAttribute('data-button', b);
        btn.onclick = function () { closeModal(box); resolve({ button: b, text: input ? input.value : undefined }); };
        btns.appendChild(btn);
      });
      box.appendChild(btns);
      openModal(box);
      (input || btns.lastChild).focus();
    });
  }

  function frameFor(d) {
    var f = el('iframe', 'gas-frame');
    f.setAttribute('sandbox', 'allow-scripts allow-forms allow-modals allow-popups allow-downloads');
    f.setAttribute('title', d.title || 'Окно');
    f.src = '/dialog/' + d.id;
    return f;
  }

  function closeDialogs() {
    Array.prototype.slice.call(overlay.querySelectorAll('.dlg')).forEach(closeModal);
  }

  function showDialog(d) {
    if (d.kind === 'sidebar') {
      sidebar.innerHTML = '';
      var head = el('div', 'dlg-head');
      head.appendChild(el('span', 'dlg-title', d.title));
      var x = el('button', 'x', '×'); x.type = 'button'; x.setAttribute('aria-label', 'Закрыть');
      x.onclick = function () { sidebar.hidden = true; sidebar.innerHTML = ''; };
      head.appendChild(x);
      sidebar.appendChild(head);
      sidebar.appendChild(frameFor(d));
      sidebar.hidden = false;
      return;
    }
    // One dialog at a time, as in Sheets: a new one replaces the open one.
    closeDialogs();
    var box = el('div', 'modal dlg');
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-label', d.title || 'Окно');
    box.style.width = (d.width || 600) + 'px';
    var head2 = el('div', 'dlg-head');
    head2.appendChild(el('span', 'dlg-title', d.title));
    var x2 = el('button', 'x', '×'); x2.type = 'button'; x2.setAttribute('aria-label', 'Закрыть');
    x2.onclick = function () { closeModal(box); };
    head2.appendChild(x2);
    box.appendChild(head2);
    var f = frameFor(d);
    f.style.height = (d.height || 400) + 'px';
    box.appendChild(f);
    openModal(box);
  }

  function toast(title, message, seconds, cls) {
    var t = el('div', 'toast' + (cls ? ' ' + cls : ''));
    if (title) t.appendChild(el('b', '', title));
    t.appendChild(document.createTextNode(message));
    t.onclick = function () { t.remove(); };
    document.getElementById('toasts').appendChild(t);
    var s = seconds === null || seconds === undefined ? 5 : seconds;
    if (s > 0) setTimeout(function () { t.remove(); }, s * 1000);
  }

  function plural(n, one, few, many) {
    var d = n % 10, dd = n % 100;
    return d === 1 && dd !== 11 ? one : d >= 2 && d <= 4 && (dd < 12 || dd > 14) ? few : many;
  }

  /** Shows what the script showed, in order, after refreshing the grid under it. */
  async function present(res, title) {
    if (res.active) showSheet(res.active.sheet);
    await refresh();
    var last = document.getElementById('last-action');
    if (last) last.textContent = '▶ ' + title + ' — ' + (me || 'владелец') + ', ' + (res.ms / 1000).toFixed(1).replace('.', ',') + ' с, ' + res.calls + ' ' + plural(res.calls, 'обращение', 'обращения', 'обращений') + ' к сервисам' + (res.mails ? ', писем: ' + res.mails : '');
    pollSave();
    (res.notes || []).forEach(function (n) { toast('', n, 8, 'note'); });
    for (var i = 0; i < res.shown.length; i++) {
      var s = res.shown[i];
      if (s.type === 'toast') toast(s.title, s.message, s.seconds);
      else if (s.type === 'dialog') showDialog(s);
      else if (!s.asked) await alertBox(s);
    }
    if (res.error) await alertBox({ title: 'Скрипт завершился с ошибкой', prompt: res.error }, { error: true });
  }

  var busyTimer = null;
  function setBusy(text) {
    if (text === null) { clearTimeout(busyTimer); busy.hidden = true; return; }
    document.getElementById('busy-text').textContent = text;
    busy.className = 'busy quiet';
    busy.hidden = false;
    busyTimer = setTimeout(function () { busy.className = 'busy'; }, 200);
  }

  /** One run; a question stops it, the person answers, and it runs again with every answer so far. */
  async function execute(url, body, title) {
    var answers = [];
    for (;;) {
      setBusy('Выполняется «' + title + '»…');
      var res;
      try {
        res = await post(url, Object.assign({ as: me, answers: answers }, body));
      } finally {
        setBusy(null);
      }
      if (!res.question) return res;
      answers.push(await alertBox(res.question, { ask: true }));
    }
  }

  async function runMenu(handler, caption) {
    try {
      await present(await execute('/api/menu', { handler: handler }, caption), caption);
    } catch (e) {
      await alertBox({ title: 'Предпросмотр', prompt: 'Не удалось выполнить «' + caption + '»: ' + e.message }, { error: true });
    }
  }

  // ---- google.script.run from the dialogs ----
  window.addEventListener('message', async function (e) {
    var frames = Array.prototype.slice.call(document.querySelectorAll('iframe.gas-frame'));
    var frame = frames.filter(function (f) { return f.contentWindow === e.source; })[0];
    var m = e.data;
    if (!frame || !m || typeof m !== 'object') return;
    if (m.gas === 'close') {
      var box = frame.closest('.modal');
      if (box) closeModal(box); else { sidebar.hidden = true; sidebar.innerHTML = ''; }
    } else if (m.gas === 'height' && typeof m.value === 'number') {
      frame.style.height = Math.max(40, m.value) + 'px';
    } else if (m.gas === 'width' && typeof m.value === 'number') {
      var b = frame.closest('.modal'); if (b) b.style.width = m.value + 'px';
    } else if (m.gas === 'run' && typeof m.fn === 'string') {
      var reply = { gas: 'result', id: m.id, ok: false };
      var res = null;
      try {
        res = await execute('/api/run', { fn: m.fn, args: m.args || [] }, m.fn);
        if (res.error !== undefined) reply.error = res.error; else { reply.ok = true; reply.value = res.value === undefined ? null : res.value; }
      } catch (err) {
        reply.error = err.message;
      }
      if (frame.contentWindow) frame.contentWindow.postMessage(reply, '*');
      if (res) {
        // The error went to the dialog's failure handler, not to a page alert.
        var shown = Object.assign({}, res); delete shown.error;
        await present(shown, 'окно → ' + m.fn);
      }
    }
  });

  // ---- clicks ----
  function closeMenus() {
    Array.prototype.slice.call(document.querySelectorAll('.menu.open')).forEach(function (m) {
      m.classList.remove('open');
      var b = m.querySelector('[data-menu-toggle]'); if (b) b.setAttribute('aria-expanded', 'false');
    });
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    var toggle = t.closest('[data-menu-toggle]');
    if (toggle) {
      var menu = toggle.closest('[data-menu]');
      var open = !menu.classList.contains('open');
      closeMenus();
      if (open) { menu.classList.add('open'); toggle.setAttribute('aria-expanded', 'true'); }
      return;
    }
    var item = t.closest('[data-handler]');
    if (item) { closeMenus(); runMenu(item.getAttribute('data-handler'), item.getAttribute('data-caption')); return; }
    if (t.closest('.menu-pop li.sub')) return;
    closeMenus();
    var cell = t.closest('.grid td[data-a1]');
    if (cell) {
      Array.prototype.slice.call(document.querySelectorAll('.grid td.sel')).forEach(function (c) { c.classList.remove('sel'); });
      cell.classList.add('sel');
      var ref = document.getElementById('ref'), fxv = document.getElementById('fxv');
      if (ref) ref.textContent = cell.getAttribute('data-a1');
      if (fxv) fxv.textContent = cell.getAttribute('title') || '';
      var grid = cell.closest('.grid[data-sheet]');
      var target = document.querySelector('#edit-as [name="cell"]');
      if (grid && target && !cell.closest('.partner-grid')) target.value = grid.getAttribute('data-sheet') + '!' + cell.getAttribute('data-a1');
    }
  });

  // ---- «Ввести как…» and «Запустить расписание на …» ----
  async function typeAs(form) {
    var who = form.elements.person.value.trim().toLowerCase();
    var body = { as: who, cell: form.elements.cell.value.trim(), value: form.elements.value.value };
    var res;
    setBusy('Вводит ' + (who || 'владелец') + '…');
    try {
      res = await post('/api/edit', body);
    } catch (err) {
      setBusy(null);
      await alertBox({ title: 'Ввести как…', prompt: err.message }, { error: true });
      return;
    }
    setBusy(null);
    showSheet(res.sheet);
    await refresh();
    var td = document.querySelector('.grid td[data-a1="' + res.cell + '"]');
    if (td) {
      td.classList.add('sel');
      td.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      var ref = document.getElementById('ref'), fxv = document.getElementById('fxv');
      if (ref) ref.textContent = res.cell;
      if (fxv) fxv.textContent = td.getAttribute('title') || '';
    }
    var last = document.getElementById('last-action');
    if (last) last.textContent = '✎ ' + (who || 'владелец') + ': ' + res.sheet + '!' + res.cell;
    pollSave();
    (res.notes || []).forEach(function (n) { toast('', n, 8, 'note'); });
    if (res.ok) {
      var kept = document.querySelector('#edit-as [name="value"]');
      if (kept) kept.value = '';
      // The latest edit's lines replace the previous ones: typing a row cell by cell stacks no toasts.
      Array.prototype.slice.call(document.querySelectorAll('.toast.edit')).forEach(function (t) { t.remove(); });
      toast('Введено', res.lines.join('\n'), 8, 'edit');
    } else {
      await alertBox({ title: 'Правка не применена', prompt: res.lines.join('\n') }, { error: true });
    }
  }

  async function runSchedule(form) {
    var until = form.elements.until.value.trim();
    var res;
    setBusy('Расписание идёт до ' + until + '…');
    try {
      res = await post('/api/schedule', { until: until });
    } catch (err) {
      setBusy(null);
      await alertBox({ title: 'Запустить расписание', prompt: err.message }, { error: true });
      return;
    }
    setBusy(null);
    await refresh();
    var last = document.getElementById('last-action');
    if (last) last.textContent = '▶ расписание до ' + until + ' — запусков: ' + res.runs + ', писем: ' + res.mails;
    pollSave();
    await alertBox({ title: 'Расписание', prompt: res.lines.join('\n') }, res.errors ? { error: true } : undefined);
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (form.id === 'edit-as') { e.preventDefault(); typeAs(form); }
    else if (form.id === 'schedule-run') { e.preventDefault(); runSchedule(form); }
  });

  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') closeMenus();
    if ((e.key === 'Enter' || e.key === ' ') && e.target.matches && e.target.matches('[data-handler]')) { e.preventDefault(); e.target.click(); }
  });

  document.addEventListener('change', function (e) {
    if (e.target.id !== 'as') return;
    var value = e.target.value;
    if (value === '?') {
      value = (prompt('Email человека, от чьего имени работать (например, manager@example.com):') || '').trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) { e.target.value = me; return; }
    }
    var q = new URLSearchParams(location.search);
    if (value) q.set('as', value); else q.delete('as');
    location.href = '/?' + q.toString();
  });

  if (document.getElementById('save-status') && document.getElementById('save-status').getAttribute('data-saving')) pollSave();
})();
`;

/**
 * google.script.run and google.script.host inside a dialog. The dialog runs in a sandboxed frame of its
 * own (as in Sheets), so calls go to the page by postMessage and the page runs them on the server.
 */
export const DIALOG_SHIM = String.raw`<script>(function () {
  var seq = 0, pending = {};
  function illegal(v, depth) {
    if (depth > 50) return true;
    if (v === null || v === undefined) return false;
    var t = typeof v;
    if (t === 'function' || t === 'symbol' || t === 'bigint') return true;
    if (t !== 'object') return false;
    if (v instanceof Date || (typeof Node !== 'undefined' && v instanceof Node)) return true;
    for (var k in v) if (Object.prototype.hasOwnProperty.call(v, k) && illegal(v[k], depth + 1)) return true;
    return false;
  }
  function formObject(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!f.name || f.disabled || f.type === 'file' || f.type === 'submit' || f.type === 'button') return;
      if ((f.type === 'checkbox' || f.type === 'radio') && !f.checked) return;
      var v = f.type === 'select-multiple' ? Array.prototype.filter.call(f.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) : f.value;
      if (Object.prototype.hasOwnProperty.call(out, f.name)) out[f.name] = [].concat(out[f.name], v); else out[f.name] = v;
    });
    return out;
  }
  function runner(success, failure, user) {
    return new Proxy({}, {
      get: function (_t, name) {
        if (name === 'withSuccessHandler') return function (f) { return runner(f, failure, user); };
        if (name === 'withFailureHandler') return function (f) { return runner(success, f, user); };
        if (name === 'withUserObject') return function (o) { return runner(success, failure, o); };
        if (typeof name !== 'string' || name === 'then' || name === 'toJSON') return undefined;
        return function () {
          var args = Array.prototype.map.call(arguments, function (a) { return a && a.tagName === 'FORM' ? formObject(a) : a; });
          if (illegal(args, 0)) {
            var err = new Error('Failed due to illegal value in property: 0');
            setTimeout(function () { if (failure) failure(err, user); else console.error(err); }, 0);
            return;
          }
          var id = ++seq;
          pending[id] = { success: success, failure: failure, user: user };
          parent.postMessage({ gas: 'run', id: id, fn: name, args: JSON.parse(JSON.stringify(args)) }, '*');
        };
      },
    });
  }
  window.addEventListener('message', function (e) {
    var m = e.data;
    if (e.source !== parent || !m || m.gas !== 'result') return;
    var p = pending[m.id];
    delete pending[m.id];
    if (!p) return;
    if (m.ok) { if (p.success) p.success(m.value, p.user); }
    else { var err = new Error(m.error); if (p.failure) p.failure(err, p.user); else console.error(err); }
  });
  window.google = window.google || {};
  window.google.script = {
    run: runner(null, null, undefined),
    host: {
      close: function () { parent.postMessage({ gas: 'close' }, '*'); },
      setHeight: function (h) { parent.postMessage({ gas: 'height', value: Number(h) }, '*'); },
      setWidth: function (w) { parent.postMessage({ gas: 'width', value: Number(w) }, '*'); },
      editor: { focus: function () {} },
      origin: location.origin,
    },
  };
})();</script>`;

/** The dialog's HTML with the shim first, so the product's own scripts find google.script ready. */
export function withShim(html: string): string {
  const head = /<head[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + '<meta charset="utf-8">' + DIALOG_SHIM + html.slice(head.index + head[0].length);
  const doc = /<html[^>]*>/i.exec(html);
  if (doc) return html.slice(0, doc.index + doc[0].length) + '<head><meta charset="utf-8">' + DIALOG_SHIM + '</head>' + html.slice(doc.index + doc[0].length);
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8">${DIALOG_SHIM}</head><body>${html}</body></html>`;
}
