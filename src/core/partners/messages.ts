// Russian wording of the partner sync: report lines, the withdrawn-row note, partner file labels.
// Kept together so the wording can be reviewed in one place.
import { countOf, WORDS } from '../plural';

const q = (s: string) => `«${s}»`;

export const PARTNER_FILE_PREFIX = 'Аффилейт — ';
export const PARTNER_FILE_SHEET = 'Клиенты';
export const TOTAL_LABEL = 'Итого';

/** First line of the note the sync puts on the key cell of a master row that left the partner's file. */
export const WITHDRAWN_MARK = '⚠ Не попадает в таблицу партнёра';

export const partnerMsg = {
  partnerFileName: (partner: string) => `${PARTNER_FILE_PREFIX}${partner}`,
  clientsCount: (n: number) => `Клиентов: ${n}`,

  withdrawnUnpaid: (date: string) => `${WITHDRAWN_MARK}: в «Аналитике» снята «Оплата» (синхронизация ${date}). Строка сохранена — удалите её сами, если клиент не платил.`,
  withdrawnNoPartner: (date: string) => `${WITHDRAWN_MARK}: в «Аналитике» у лида больше нет партнёра (синхронизация ${date}). Строка сохранена — удалите её сами, если она не нужна.`,

  // «Партнёры» and «Промокоды»
  ambiguousPartner: (names: string[]) =>
    `Партнёры ${names.map(q).join(', ')} в листе «Партнёры» совпадают (с точностью до пробелов, регистра и похожих русских/латинских букв): их таблицы не синхронизированы — оставьте одну строку`,
  badPartnerEmail: (partner: string, email: string) => `У партнёра ${q(partner)} неверный email ${q(email)} — доступ ему не выдан`,
  noEmails: (partner: string) => `У партнёра ${q(partner)} не указан email для просмотра — таблица ни с кем не поделена`,
  badDefaultPercent: (partner: string, value: string) => `У партнёра ${q(partner)} неверный «% по умолчанию»: ${q(value)}`,
  noDefaultPercent: (partner: string, rows: number) =>
    `У партнёра ${q(partner)} не задан «% по умолчанию», а в ${countOf(rows, WORDS.rowIn)} «Аффилейтов» пуст «% affiliate» — комиссия не посчитана`,
  ambiguousCode: (code: string, partners: string[], leads: number) =>
    `Промокод ${q(code)} записан за несколькими партнёрами (${partners.map(q).join(', ')})`
    + (leads > 0 ? `: ${countOf(leads, ['оплаченный лид с этим кодом не распределён', 'оплаченных лида с этим кодом не распределены', 'оплаченных лидов с этим кодом не распределены'])} — исправьте «Промокоды»` : ''),

  // «Аналитика»
  unknownCode: (row: number, code: string) => `«Аналитика», строка ${row}: промокод ${q(code)} не найден в «Промокоды» — лид не отнесён к партнёру`,
  unknownPartnerName: (row: number, name: string) =>
    `«Аналитика», строка ${row}: партнёр ${q(name)} не найден в «Партнёры» — лид не синхронизирован (проверьте написание)`,
  contradiction: (row: number, code: string, codePartner: string, chosen: string) =>
    `«Аналитика», строка ${row}: промокод ${q(code)} принадлежит партнёру ${q(codePartner)}, а в «Партнёр» указан ${q(chosen)} — лид не синхронизирован`,
  noIndividualNumber: (row: number) =>
    `«Аналитика», строка ${row}: оплаченный лид партнёра без «Индивидуального номера» — запустите «Пересчитать «Аналитику»», затем синхронизацию`,
  duplicateLeadNumber: (number: string, rows: number[]) =>
    `«Аналитика»: индивидуальный номер ${q(number)} стоит в строках ${rows.join(', ')} — эти лиды не синхронизированы`,
  badPaidDate: (row: number) => `«Аналитика», строка ${row}: дата в «Оплата» не распознана — «Дата приобретения акка» не заполнена`,
  badAmount: (row: number) => `«Аналитика», строка ${row}: «Оплаченная сумма» не число — сумма оплаты в «Аффилейтах» не обновлена`,

  // «Аффилейты»
  duplicateMasterNumber: (number: string, rows: number[]) =>
    `«Аффилейты»: номер ${q(number)} стоит в строках ${rows.join(', ')} — синхронизируется только первая, остальные не тронуты`,
  masterUnknownPartner: (row: number, name: string) =>
    `«Аффилейты», строка ${row}: партнёр ${q(name)} не найден в «Партнёры» — строка не попала ни в одну таблицу партнёра`,
  badAffiliatePercent: (row: number, value: string) => `«Аффилейты», строка ${row}: «% affiliate» ${q(value)} — не число от 0 до 100, комиссия не посчитана`,
  partnerChanged: (row: number, from: string, to: string) =>
    `«Аффилейты», строка ${row}: партнёр изменён ${q(from)} → ${q(to)}; «% affiliate» не менялся — проверьте его`,
  staleCells: (n: number) => `Ячеек, изменённых кем-то во время синхронизации, не тронуто: ${n} — запустите синхронизацию ещё раз`,

  // partner files
  // Google answers the same for a deleted file, a file in the trash and a file the account cannot open.
  fileMissing: (partner: string) =>
    `Таблица партнёра ${q(partner)} удалена, в корзине или недоступна — создана новая, ссылка в «Партнёры» обновлена`,
  fileBadLink: (partner: string, link: string) => `В «Таблица партнёра» у ${q(partner)} не ссылка на таблицу (${q(link)}) — создана новая`,
  fileIsMain: (partner: string) => `В «Таблица партнёра» у ${q(partner)} стоит ссылка на основную таблицу — создана отдельная таблица партнёра`,
  fileShared: (partner: string, other: string) => `У ${q(partner)} и ${q(other)} одна и та же таблица партнёра — для ${q(partner)} создана своя`,
  editorDowngraded: (partner: string, email: string) => `Таблица ${q(partner)}: у ${email} был доступ на редактирование — оставлен только просмотр`,
  extraViewers: (partner: string, emails: string[]) =>
    `Таблица ${q(partner)}: просматривать могут также ${emails.join(', ')} (их нет в «Партнёры») — уберите доступ вручную, если он не нужен`,
  unlinkedFile: (partner: string, title: string, url: string | null) =>
    `Партнёр ${q(partner)}: таблица ${q(title)} создана, но ссылку на неё не удалось сохранить — удалите её в Google Диске`
    + (url ? ` (${url})` : ' (найдите по названию)') + ', следующий запуск создаст новую',
  partnerFailed: (partner: string, error: string) => `Партнёр ${q(partner)}: синхронизация не удалась (${error}) — остальные партнёры синхронизированы`,
} as const;
