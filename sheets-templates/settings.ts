// «Настройки» (SPEC §3.2, §3.4, §5): one row per setting, generated from src/core/settings.ts so a
// setting's name, default and description live in one place.
import { SETTING_DEFS } from '../src/core/settings';
import type { SheetDefInput } from './schema';

export const settingsSheet = {
  key: 'settings',
  name: 'Настройки',
  protect: 'leadership',
  description: 'Параметры автоматизации; правит только руководство. Пустое значение — значение по умолчанию.',
  // New settings of a later version are appended to an existing sheet by their name.
  initialRowKey: 'name',
  columns: [
    { key: 'name', header: 'Параметр', aliases: ['Настройка', 'Название'], type: 'text', width: 300 },
    // Plain text keeps «11:00» and «5» exactly as typed; the parser also reads times Sheets converted.
    { key: 'value', header: 'Значение', type: 'text', width: 280 },
    { key: 'description', header: 'Описание', aliases: ['Комментарий'], type: 'text', width: 520 },
  ],
  initial: SETTING_DEFS.map((s) => ({ name: s.name, value: s.defaultText, description: s.description })),
  demo: SETTING_DEFS.map((s) => ({ name: s.name, value: s.demoText, description: s.description })),
} satisfies SheetDefInput;
