// Who may do what: the spreadsheet owner and leadership («Настройки» → «Email руководства») set the
// table up, run the schedule and edit protected data; everyone else works in the open sheets. Pure:
// the addresses come in, decisions and the Russian wording go out.

export interface Authority {
  /** The person running this execution ('' when Google does not tell). */
  me: string;
  /** '' when Google names no owner (a file on a shared drive). */
  owner: string;
  leadership: string[];
}

const SETTING = '«Настройки» → «Email руководства»';

function norm(email: string): string {
  return email.trim().toLowerCase();
}

/** The owner and leadership, lower-cased, owner first, without repeats. */
export function authorityEmails(a: Pick<Authority, 'owner' | 'leadership'>): string[] {
  return [...new Set([a.owner, ...a.leadership].map(norm).filter(Boolean))];
}

/**
 * Whether `email` may set the table up and run the schedule. A file with no owner Google names and no
 * leadership yet has nobody to ask: whoever edits it may, until leadership is written down.
 */
export function isAuthority(a: Pick<Authority, 'owner' | 'leadership'>, email: string): boolean {
  const list = authorityEmails(a);
  if (list.length === 0) return true;
  return norm(email) !== '' && list.includes(norm(email));
}

/** «владелец таблицы (x) или руководство из … (a, b)»; the owner alone while leadership is not set. */
export function authorityPhrase(a: Pick<Authority, 'owner' | 'leadership'>): string {
  const owner = `владелец таблицы (${a.owner || 'Google не сообщает его адрес'})`;
  if (a.leadership.length === 0) return `${owner} — в ${SETTING} пока никто не указан`;
  return `${owner} или руководство из ${SETTING} (${a.leadership.join(', ')})`;
}

function you(a: Authority): string {
  return a.me ? `Вы вошли как ${a.me}.` : 'Google не сообщил ваш адрес.';
}

export function setupRefusal(a: Authority): string {
  return `«Настроить таблицу» может запускать только ${authorityPhrase(a)}. ${you(a)} `
    + 'Настройка меняет защиту листов, поэтому её запускает владелец или руководство. Ничего не изменено.';
}

/** Leadership named in «Настройки», but protections of an earlier setup still leave them out. */
export function setupNeedsOwnerFirst(a: Authority, sheets: string[]): string {
  const list = sheets.map((s) => `«${s}»`).join(', ');
  return `Вы указаны в ${SETTING}, но защиту ${sheets.length === 1 ? 'листа' : 'листов'} ${list} пока может менять только ${a.owner || 'владелец таблицы'}. `
    + 'Пусть владелец таблицы один раз запустит «Настроить таблицу»: он добавит руководство в защиту, после этого запускать настройку сможете и вы. Ничего не изменено.';
}

export function scheduleRefusal(a: Authority): string {
  return `Включить расписание может только ${authorityPhrase(a)}. ${you(a)} `
    + 'Расписание работает от имени того, кто его включил: с его адреса уходят письма, расходуется его квота, '
    + 'и ежедневные записи в защищённые листы («Партнёры», «% affiliate», «Журнал») идут с его правами. Ничего не изменено.';
}

/** «Статус»: the schedule runs as someone who is neither the owner nor leadership. */
export function scheduleOwnerWarning(triggerOwner: string, a: Pick<Authority, 'owner' | 'leadership'>): string {
  return `Расписание работает от имени ${triggerOwner}, а это не владелец таблицы и не руководство из ${SETTING}. `
    + 'Письма уходят с этого адреса и расходуют его квоту, а ежедневные записи в защищённые листы («Партнёры», «% affiliate», «Журнал») не проходят. '
    + `Пусть ${triggerOwner} отключит расписание (Автоматизация → Отключить расписание), и его снова включит ${authorityPhrase(a)}.`;
}

/** What setup protected, by who may edit it. */
export interface AccessSummary {
  /** Whole sheets only the owner and leadership may edit. */
  leadershipSheets: string[];
  /** «Колонка» (лист «…») only the owner and leadership may edit. */
  leadershipColumns: string[];
  /** Sheets only the script writes, in runs of the owner or leadership. */
  systemSheets: string[];
  /** «Лист»: «Колонка», … — computed by the script, also on a manager's edit: open to every editor, with Google's warning. */
  warnedColumns: string[];
}

export function emptyAccessSummary(): AccessSummary {
  return { leadershipSheets: [], leadershipColumns: [], systemSheets: [], warnedColumns: [] };
}

const quoted = (names: string[]) => names.map((n) => `«${n}»`).join(', ');

/** The «who can edit what» part of the setup message, naming the addresses. */
export function describeAccess(s: AccessSummary, a: Pick<Authority, 'owner' | 'leadership'>): string[] {
  const owner = a.owner || 'адрес Google не сообщает';
  const editors = a.leadership.length
    ? `владелец таблицы (${owner}) и руководство (${a.leadership.join(', ')})`
    : `владелец таблицы (${owner}); руководство в ${SETTING} не указано`;
  const lines = ['Кто что может менять:'];
  const guarded = [
    ...(s.leadershipSheets.length ? [`${s.leadershipSheets.length === 1 ? 'лист' : 'листы'} ${quoted(s.leadershipSheets)}`] : []),
    ...(s.leadershipColumns.length ? [`${s.leadershipColumns.length === 1 ? 'колонку' : 'колонки'} ${s.leadershipColumns.join(', ')}`] : []),
  ];
  if (guarded.length) lines.push(`• ${guarded.join(' и ')} — только ${editors}.`);
  if (s.systemSheets.length) {
    lines.push(`• ${quoted(s.systemSheets)} — пишет только скрипт, от имени владельца или руководства (расписание, их команды меню); вручную — только ${editors}. Правки менеджеров попадают туда при следующем запуске расписания.`);
  }
  if (s.warnedColumns.length) {
    lines.push(`• ${s.warnedColumns.join('; ')} — заполняет скрипт, в том числе при правке менеджера; вручную может любой редактор таблицы, Google переспросит.`);
  }
  lines.push('• Всё остальное — все редакторы таблицы.');
  return lines;
}
