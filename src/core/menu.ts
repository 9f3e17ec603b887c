// The «Продажи» menu as data: the single list both onOpen and the bundle test read, so a menu item
// can never name a function that does not exist.

export interface MenuItem { caption: string; handler: string }
export interface SubMenu { caption: string; items: MenuItem[] }
export type MenuEntry = MenuItem | SubMenu | 'separator';

export const MENU_TITLE = 'Продажи';

export const MENU: MenuEntry[] = [
  { caption: 'Проверить данные', handler: 'menuCheck' },
  { caption: 'Пересчитать «Аналитику»', handler: 'menuRecalc' },
  { caption: 'Обновить воронку', handler: 'menuFunnel' },
  { caption: 'Отметить «Ожидание» сейчас', handler: 'menuSweep' },
  { caption: 'Синхронизировать партнёров', handler: 'menuPartners' },
  'separator',
  {
    caption: 'Отчёты',
    items: [
      { caption: 'Предпросмотр: отчёт секретаря (11:00)', handler: 'menuPreviewSecretary' },
      { caption: 'Отправить отчёт секретаря сейчас', handler: 'menuSendSecretary' },
      { caption: 'Предпросмотр: отчёт РОП (19:45)', handler: 'menuPreviewHeadOfSales' },
      { caption: 'Отправить отчёт РОП сейчас', handler: 'menuSendHeadOfSales' },
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
  { caption: 'Справка', handler: 'menuHelp' },
];

export function menuHandlers(entries: MenuEntry[] = MENU): string[] {
  return entries.flatMap((e) => (e === 'separator' ? [] : 'items' in e ? e.items.map((i) => i.handler) : [e.handler]));
}
