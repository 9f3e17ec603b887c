// The «Продажи» menu as data: the single list both onOpen and the bundle test read, so a menu item
// can never name a function that does not exist. Captions carry the report times of «Настройки».
import { DEFAULT_SETTINGS, formatTimeOfDay, type Settings } from './settings';

export interface MenuItem { caption: string; handler: string }
export interface SubMenu { caption: string; items: MenuItem[] }
export type MenuEntry = MenuItem | SubMenu | 'separator';

export const MENU_TITLE = 'Продажи';

export type MenuTimes = Pick<Settings, 'secretaryReportTime' | 'headOfSalesReportTime'> & Partial<Pick<Settings, 'managersReportTime'>>;

/** The menu with the report times of `times` (what «Настройки» says, or the defaults). */
export function menuEntries(times: MenuTimes = DEFAULT_SETTINGS): MenuEntry[] {
  return [
    { caption: 'Проверить данные', handler: 'menuCheck' },
    { caption: 'Пересчитать «Аналитику»', handler: 'menuRecalc' },
    { caption: 'Обновить воронку', handler: 'menuFunnel' },
    { caption: 'Отметить «Ожидание» сейчас', handler: 'menuSweep' },
    { caption: 'Синхронизировать партнёров', handler: 'menuPartners' },
    'separator',
    {
      caption: 'Отчёты',
      items: [
        { caption: `Предпросмотр: отчёт секретаря (${formatTimeOfDay(times.secretaryReportTime)})`, handler: 'menuPreviewSecretary' },
        { caption: 'Отправить отчёт секретаря сейчас', handler: 'menuSendSecretary' },
        { caption: `Предпросмотр: отчёт РОП (${formatTimeOfDay(times.headOfSalesReportTime)})`, handler: 'menuPreviewHeadOfSales' },
        { caption: 'Отправить отчёт РОП сейчас', handler: 'menuSendHeadOfSales' },
        { caption: `Предпросмотр: письма менеджерам «Кого дожать» (${formatTimeOfDay(times.managersReportTime ?? DEFAULT_SETTINGS.managersReportTime)})`, handler: 'menuPreviewManagers' },
        { caption: 'Отправить письма менеджерам сейчас', handler: 'menuSendManagers' },
      ],
    },
    {
      caption: 'Автоматизация',
      items: [
        { caption: 'Включить расписание', handler: 'menuScheduleOn' },
        { caption: 'Отключить расписание', handler: 'menuScheduleOff' },
        { caption: 'Статус', handler: 'menuScheduleStatus' },
      ],
    },
    { caption: 'Настроить таблицу', handler: 'menuSetup' },
    { caption: 'Мастер настройки', handler: 'menuWizard' },
    { caption: 'Справка', handler: 'menuHelp' },
  ];
}

/** The menu at the default times: its handlers are the same whatever the times. */
export const MENU: MenuEntry[] = menuEntries();

export function menuHandlers(entries: MenuEntry[] = MENU): string[] {
  return entries.flatMap((e) => (e === 'separator' ? [] : 'items' in e ? e.items.map((i) => i.handler) : [e.handler]));
}
