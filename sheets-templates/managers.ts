// «Менеджеры» (SPEC §3.6): one row per manager — the one place for a manager's name (every «Менеджер»
// dropdown reads this column), the address of the morning «Кого дожать сегодня» email and an own
// commission (seed 003) overriding the default of «Настройки».
import { listValues } from './lists';
import type { SheetDefInput } from './schema';

/** Demo addresses and one own commission; Олег has no address, so the 19:45 email names him. */
const DEMO_DETAILS: Record<string, { email: string; commissionPercent: number | ''; commissionFixed: number | '' }> = {
  'Светлана': { email: 'svetlana@example.com', commissionPercent: '', commissionFixed: '' },
  'Марина': { email: 'marina@example.com', commissionPercent: 7, commissionFixed: 50 },
  'Олег': { email: '', commissionPercent: '', commissionFixed: '' },
};

export const managersSheet = {
  key: 'managers',
  name: 'Менеджеры',
  aliases: ['Менеджеры отдела продаж', 'Сотрудники'],
  protect: 'leadership',
  frozenColumns: 1,
  description: 'Менеджеры: имя для выпадающих списков всех листов, email для утреннего письма «Кого дожать сегодня», своя комиссия.',
  columns: [
    { key: 'name', header: 'Менеджер', aliases: ['Имя', 'ФИО'], type: 'text', width: 170, note: 'Имя так, как его выбирают в «Аналитике», «Звонках», «Счетах» и «Отчёте секретаря». После добавления имён снова запустите «Настроить таблицу»' },
    { key: 'email', header: 'Email', aliases: ['Почта', 'E-mail', 'Адрес'], type: 'email', width: 220, note: 'Сюда в 10:00 уходит письмо «Кого дожать сегодня». Пусто — менеджер назван в отчёте РОП' },
    { key: 'commissionPercent', header: 'Комиссия, %', aliases: ['Комиссия %', 'Процент'], type: 'percent', validation: { kind: 'number', min: 0, max: 100, strict: true }, width: 100, note: 'Процент от оплаченной суммы. Пусто — «Комиссия менеджера, %» из «Настроек»' },
    { key: 'commissionFixed', header: 'Комиссия, фикс.', aliases: ['Комиссия фикс', 'Фикс'], type: 'money', validation: { kind: 'number', min: 0, strict: false }, width: 120, note: 'За каждый оплаченный счёт и каждого оплатившего лида, в валюте из «Настроек». Пусто — значение из «Настроек»' },
    { key: 'active', header: 'Активен', aliases: ['Активный', 'Работает'], type: 'text', validation: { kind: 'values', values: ['Да', 'Нет'], strict: true }, width: 90, note: 'Пусто или «Да» — работает. «Нет» — писем и напоминаний ему больше нет, его строки в таблицах остаются' },
  ],
  demo: listValues('managers', true).map((name) => ({ name, ...(DEMO_DETAILS[name] ?? { email: '', commissionPercent: '', commissionFixed: '' }), active: 'Да' })),
} satisfies SheetDefInput;
