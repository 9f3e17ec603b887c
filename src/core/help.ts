// «Справка»: the in-sheet help. Every sheet and its column groups come from sheets-templates (a column
// added later is listed by itself); every time and day count comes from «Настройки» (the settings passed
// in), so the help never says 19:45 when the team moved the email to 20:00.
import { SHEET_TEMPLATES, STAGE_KEYS, type ColumnDef, type SheetDef } from '../../sheets-templates';
import { funnelText } from './funnel/messages';
import { MAIN_STAGE_KEYS, SIDE_STAGE_KEYS } from './funnel/lead';
import { menuEntries, type MenuEntry } from './menu';
import { PARTNER_FILE_KEYS } from './partners/block';
import { PARTNER_FILE_PREFIX } from './partners/messages';
import { countOf, WORDS } from './plural';
import { formatRate } from './reports/format';
import { CALLBACK_TARGET_MINUTES, TRANSFER_TARGET_MINUTES } from './reports/secretary';
import { FUNNEL_TIME, MAINTENANCE_TIME, ON_TIME_MINUTES, PAYMENTS_ENTRY_DEADLINE } from './schedule';
import { alertRecipients, formatTimeOfDay, reportRecipients, SETTING_NAMES, type Settings } from './settings';
import { escapeHtml, withCurrency } from './text';

const e = escapeHtml;
const q = (name: string) => `«${e(name)}»`;
const t = formatTimeOfDay;
const byKey = new Map<string, SheetDef>(SHEET_TEMPLATES.map((d) => [d.key, d]));
const sheetName = (key: string, fallback: string) => byKey.get(key)?.name ?? fallback;

function header(sheetKey: string, columnKey: string): string {
  return byKey.get(sheetKey)?.columns.find((c) => c.key === columnKey)?.header ?? columnKey;
}

/** «N рабочих дней» / «N дней»: how «Настройки» counts idle and stuck days. */
function dayCount(n: number, working: boolean): string {
  return working ? countOf(n, ['рабочий день', 'рабочих дня', 'рабочих дней']) : countOf(n, WORDS.day);
}

function recipients(list: string[]): string {
  return list.length ? list.map(e).join(', ') : `никому — адреса не заданы (${q(SETTING_NAMES.leadershipEmails)})`;
}


/** What each sheet is for, in words that take the times of «Настройки». A sheet not listed shows its template's description. */
function sheetPurpose(def: SheetDef, s: Settings): string {
  switch (def.key) {
    case 'analytics':
      return `Одна строка на лида. В колонку этапа поставьте <code>x</code>, <code>+</code>, <code>✓</code> или дату — встанет дата этапа; скрипт посчитает скидку, цены, текущий этап, выдаст индивидуальный номер после оплаты и напишет ошибки строки в ${q(header('analytics', 'problems'))}. ${q(header('analytics', 'manager'))} и ${q(header('analytics', 'trafficSource'))} заполняйте всегда. Введённое вами скрипт не удаляет.`;
    case 'funnel':
      return 'Воронка продаж по «Аналитике» (подробнее — ниже). Меняется только ячейка периода, остальное перерисовывает скрипт.';
    case 'secretaryLog':
      return `Секретарь записывает каждое обращение: звонок, заявку, письмо. Пустые дата и время ставятся сами. В ${q(header('secretaryLog', 'transferredAt'))} и ${q(header('secretaryLog', 'calledBackAt'))} впишите время или поставьте <code>x</code> — встанет текущее: по ним сводка считает, как быстро клиенту перезвонили (норма — ${CALLBACK_TARGET_MINUTES} минут) и перевели на менеджера (норма — ${TRANSFER_TARGET_MINUTES} минуты). «Перезвонить» с заполненным ${q(header('secretaryLog', 'calledBackAt'))} считается выполненным. В ${t(s.secretaryReportTime)} уходит сводка за вчерашний день.`;
    case 'calls':
      return `РОП: одна строка на менеджера за день — звонки и заявки. Заполнить до ${t(s.callsDeadline)}: кто не заполнен к этому времени, назван в отчёте РОП в ${t(s.headOfSalesReportTime)}.`;
    case 'invoices':
      return `Счета и КП, одна строка на счёт. ${q(header('invoices', 'status'))} ставит скрипт; неоплаченный счёт старше ${countOf(s.invoiceOverdueDays, WORDS.dayOf)} — «Просрочен». Оплаты по ранее выставленным счетам вносите до ${t(PAYMENTS_ENTRY_DEADLINE)} следующего дня; оплата, внесённая позже, попадает в вечерний отчёт с пометкой «внесено с опозданием».`;
    case 'affiliates':
      return `Клиенты партнёров: строки добавляет и обновляет синхронизация из «Аналитики» (оплаченные лиды с промокодом или партнёром). ${q(header('affiliates', 'affiliatePercent'))} ставит руководство (пусто — «% по умолчанию» партнёра); комиссия = оплата × %. Строки, добавленные вручную, остаются.`;
    case 'managers':
      return `Один менеджер — одна строка: имя (из него — все выпадающие списки «Менеджер»), email для утреннего письма «Кого дожать сегодня» в ${t(s.managersReportTime)}, своя комиссия (пусто — из «Настроек»: ${e(formatRate(s.managerCommissionPercent))} + ${e(String(s.managerCommissionFixed))} ${e(s.currency)} за оплату). Удобнее заполнять через «Продажи → Мастер настройки».`;
    case 'settings':
      return 'Параметры автоматизации: руководство, получатели и время писем, сроки в днях, валюта, комиссия. Правит только руководство; проще всего — через «Продажи → Мастер настройки». Пустое значение — значение по умолчанию.';
    default:
      return e(def.description ?? '');
  }
}

/** Columns of a sheet by who fills them; «Аналитика» also splits the lead card from the stage dates. */
function columnGroups(def: SheetDef): Array<[string, ColumnDef[]]> {
  const stages = new Set<string>(STAGE_KEYS);
  const byScript = def.columns.filter((c) => c.edit === 'script' || c.edit === 'system');
  const byLeadership = def.columns.filter((c) => c.edit === 'leadership');
  const byPeople = def.columns.filter((c) => c.edit === 'everyone');
  const groups: Array<[string, ColumnDef[]]> = def.key === 'analytics'
    ? [['о лиде', byPeople.filter((c) => !stages.has(c.key) && def.columns.indexOf(c) < def.columns.findIndex((x) => stages.has(x.key)))],
      ['этапы (даты)', byPeople.filter((c) => stages.has(c.key))],
      ['оплата, отказ, проект', byPeople.filter((c) => !stages.has(c.key) && def.columns.indexOf(c) > def.columns.findIndex((x) => stages.has(x.key)))]]
    : [[def.protect === 'system' ? 'пишет скрипт' : def.protect === 'everyone' ? 'заполняете вы' : 'заполняет руководство', byPeople]];
  groups.push(['только руководство', byLeadership], ['заполняет скрипт', byScript]);
  return groups.filter(([, cols]) => cols.length > 0);
}

function sheetsSection(s: Settings): string {
  const items = SHEET_TEMPLATES.map((def) => {
    const groups = columnGroups(def).map(([label, cols]) => `<i>${e(label)}</i>: ${cols.map((c) => q(c.header)).join(', ')}`).join('; ');
    const hidden = def.hidden ? ' Лист скрыт.' : '';
    return `<li><b>${q(def.name)}</b><br>${sheetPurpose(def, s)}${hidden}${groups ? `<br><span style="color:#5f6368">Колонки — ${groups}.</span>` : ''}</li>`;
  });
  return `<h4>Листы</h4><ul>${items.join('')}</ul>`;
}

function daySection(s: Settings): string {
  const secretary = recipients(reportRecipients(s, 'secretary'));
  const rop = recipients(reportRecipients(s, 'headOfSales'));
  return `<h4>Распорядок дня (время московское, из «Настроек»)</h4><ul>
<li><b>${t(MAINTENANCE_TIME)}</b> — скрипт ставит «Ожидание» и «Подвисла», обновляет таблицы партнёров; в ${t(FUNNEL_TIME)} — статусы счетов и «Воронку».</li>
<li><b>до ${t(PAYMENTS_ENTRY_DEADLINE)}</b> — менеджеры вносят в ${q(sheetName('invoices', 'Счета'))} оплаты по ранее выставленным счетам.</li>
<li><b>${t(s.managersReportTime)}</b> — каждому менеджеру с адресом на листе ${q(sheetName('managers', 'Менеджеры'))} письмо «Кого дожать сегодня» с его лидами; менеджер без адреса назван в отчёте РОП.</li>
<li><b>${t(s.secretaryReportTime)}</b> — письмо «Отчёт секретаря» за вчера: ${secretary}.</li>
<li><b>до ${t(s.callsDeadline)}</b> — РОП заполняет ${q(sheetName('calls', 'Звонки'))} (строка на каждого менеджера) и ${q(sheetName('invoices', 'Счета'))} за день.</li>
<li><b>${t(s.headOfSalesReportTime)}</b> — письмо «Отчёт РОП» за сегодня: ${rop}. В нём — кто не заполнил «Звонки» к ${t(s.callsDeadline)}, счета и оплаты, комиссия, Telegram-воронка.</li>
<li>Каждое письмо уходит один раз в день, не раньше своего времени и в пределах ${countOf(ON_TIME_MINUTES, WORDS.minuteOf)} после него; пропущенное уходит позже с пометкой «с опозданием». О сбоях и ошибках в «Настройках» пишем: ${recipients(alertRecipients(s))}.</li>
</ul>`;
}

function stagesSection(s: Settings): string {
  const waiting = header('analytics', 'stageWaiting');
  const stuck = header('analytics', 'stuckSince');
  return `<h4>Этапы, «Ожидание» и «Подвисла»</h4><ul>
<li>${q(waiting)} ставится сам, если у лида нет ни оплаты, ни отказа и нет движения ${dayCount(s.idleDays, s.idleWorkingDays)} и больше (движение — ${q(header('analytics', 'lastContact'))} или дата любого этапа). Следующий контакт снова делает лид активным, дата «Ожидания» остаётся как история.</li>
<li>${q(stuck)} ставится, если этап лида не менялся дольше ${countOf(s.stuckDays, s.idleWorkingDays ? ['рабочего дня', 'рабочих дней', 'рабочих дней'] : WORDS.dayOf)}, и снимается, когда этап сдвинулся; введённое не трогает. Лид может быть одновременно в «Ожидании» и «Подвисла».</li>
<li>Менеджер, который не обновлял «Аналитику» ${countOf(s.staleAnalyticsDays, WORDS.day)} и дольше, назван в отчёте РОП.</li>
<li>Дни считаются ${s.idleWorkingDays ? 'только по будням (пн–пт)' : 'календарные'} — ${q(SETTING_NAMES.idleWorkingDays)}.</li>
</ul>`;
}

function funnelSection(): string {
  const stage = (k: string) => q(header('analytics', k));
  const path = MAIN_STAGE_KEYS.map(stage).join(' → ');
  const side = SIDE_STAGE_KEYS.map(stage).join(', ');
  return `<h4>${q(sheetName('funnel', 'Воронка'))}</h4><ul>
<li><b>${e(funnelText.reached)}</b> — лиды, у которых отмечен этот этап.</li>
<li><b>${e(funnelText.reachedCumulative)}</b> — дошли до этапа или дальше по основному пути ${path}: пропущенный этап считается пройденным. Поэтому число не растёт к концу воронки.</li>
<li><b>${e(funnelText.currentlyIn)}</b> — лиды, чей текущий этап сейчас этот. <b>${e(funnelText.fromFirst)}</b> и <b>${e(funnelText.fromPrevious)}</b> — по накопительным числам.</li>
<li><b>${e(funnelText.sideTitle)}</b> — ${side}: не шаг основного пути, поэтому для них только «${e(funnelText.reached)}» и «${e(funnelText.currentlyIn)}».</li>
<li>Разбивки по источникам, планам, менеджерам (конверсия = оплачено ÷ взято в работу), партнёрам и промокодам; причины отказа.</li>
<li>Период — ячейка рядом с «Период»: лиды отбираются по дате первого взаимодействия. Воронка обновляется каждое утро, из меню «Обновить воронку», при смене периода и не позже чем через час после правок этапов (чаще — нет: пересчёт большой таблицы расходует дневную квоту расписания).</li>
</ul>`;
}

function partnersSection(s: Settings): string {
  const affiliates = byKey.get('affiliates');
  const columns = PARTNER_FILE_KEYS.map((k) => {
    const c = affiliates?.columns.find((x) => x.key === k);
    if (!c) return q(k);
    return q(c.type === 'money' ? withCurrency(c.header, s.currency) : c.header);
  });
  return `<h4>Таблицы партнёров</h4><ul>
<li>Каждый активный партнёр листа ${q(sheetName('partners', 'Партнёры'))} получает отдельную таблицу «${e(PARTNER_FILE_PREFIX)}имя партнёра» — только свои клиенты и итоги, доступ только на просмотр для адресов из «Email для просмотра». Колонки: ${columns.join(', ')}; проценты — со знаком %, суммы — в ${e(s.currency)}.</li>
<li>Обновляются каждое утро в ${t(MAINTENANCE_TIME)} и по «Продажи → Синхронизировать партнёров». Править файл партнёра бесполезно — он перезаписывается; правьте «Аналитику», ${q(sheetName('affiliates', 'Аффилейты'))} или ${q(sheetName('partners', 'Партнёры'))}. Лист внутри основной таблицы партнёру не показывают: защита и скрытие листов данные не прячут.</li>
</ul>`;
}

function problemsSection(): string {
  const problems = header('analytics', 'problems');
  return `<h4>Если в колонке ${q(problems)} что-то написано</h4><ul>
<li>Текст называет колонку и что не так. Исправьте ячейку — после правки текст исчезнет сам. Ваше значение скрипт не удаляет, даже если оно неверное.</li>
<li>«Промокод … не найден» — проверьте написание; если код новый, попросите руководство добавить его в «Промокоды».</li>
<li>«Оплата отмечена, но не указана …» — заполните ${q(header('analytics', 'paidAmount'))} и ${q(header('analytics', 'questionnaireFilled'))}. «Отказ отмечен…» — выберите причину отказа. Заполнены и «Оплата», и «Отказ» — оставьте один этап.</li>
<li>Дата в будущем или раньше первого взаимодействия — исправьте дату. Ник — <code>@nick</code>, 5–32 латинских букв, цифр или _.</li>
<li>«Продажи → Проверить данные» показывает все проблемы списком со ссылкой на ячейку и общие: ошибки в «Настройках», пустые справочники, часовой пояс. Если правило ошиблось — напишите руководству, удалять ничего не нужно.</li>
</ul>`;
}

const MENU_HELP: Record<string, string> = {
  menuCheck: 'все проблемы «Аналитики» со ссылками на ячейки',
  menuRecalc: 'правила по всем строкам (после импорта или вставки)',
  menuFunnel: 'перерисовать «Воронку»',
  menuSweep: 'поставить «Ожидание» и «Подвисла» сейчас, не дожидаясь утра',
  menuPartners: 'обновить «Аффилейты» и таблицы партнёров',
  menuPreviewSecretary: 'письмо, каким оно уйдёт',
  menuSendSecretary: 'отправить сейчас (спросит, если уже ушло)',
  menuPreviewHeadOfSales: 'письмо, каким оно уйдёт',
  menuSendHeadOfSales: 'отправить сейчас (спросит, если уже ушло)',
  menuPreviewManagers: 'письмо каждому менеджеру: его ссылки без оплаты, «Ожидание», подвисшие, перезвоны, проблемы',
  menuSendManagers: 'отправить тем, кому сегодня ещё не ушло (спросит, если ушло всем)',
  menuScheduleOn: 'письма и утренние задания по расписанию',
  menuScheduleOff: 'остановить расписание',
  menuScheduleStatus: 'когда что запускалось, от чьего имени, сколько писем осталось',
  menuSetup: 'создать и починить листы, колонки, проверки, защиту; ничего не удаляет',
  menuWizard: 'руководство, менеджеры, получатели, время, валюта — одним окном',
  menuHelp: 'эта страница',
};

function menuSection(s: Settings): string {
  const item = (caption: string, handler: string) => `<li><b>${e(caption)}</b>${MENU_HELP[handler] ? ` — ${e(MENU_HELP[handler])}` : ''}</li>`;
  const lines = menuEntries(s).map((entry: MenuEntry) => {
    if (entry === 'separator') return '';
    if ('items' in entry) return `<li><b>${e(entry.caption)} ▸</b><ul>${entry.items.map((i) => item(i.caption, i.handler)).join('')}</ul></li>`;
    return item(entry.caption, entry.handler);
  });
  const leaders = s.leadershipEmails.length ? s.leadershipEmails.map(e).join(', ') : 'пока не указано';
  return `<h4>Меню «Продажи»</h4><ul>${lines.join('')}</ul>
<p>«Настроить таблицу», «Мастер настройки» и «Включить расписание» запускают только владелец таблицы и руководство (${q(SETTING_NAMES.leadershipEmails)}: ${leaders}).</p>`;
}

/** The «Справка» dialog: what the spreadsheet does, for each role, with the times of `settings`. */
export function renderHelpHtml(spreadsheetName: string, settings: Settings): string {
  return `<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.45">
<h3 style="margin:0 0 8px">${e(spreadsheetName)}: как работает таблица</h3>
${daySection(settings)}
${sheetsSection(settings)}
${stagesSection(settings)}
${funnelSection()}
${partnersSection(settings)}
${problemsSection()}
${menuSection(settings)}
</div>`;
}
