import { escapeHtml } from './text';

/** The «Справка» dialog: what the sheet does for each role. */
export function renderHelpHtml(spreadsheetName: string): string {
  return `<div style="font-family:Arial,sans-serif;font-size:14px;line-height:1.45">
<h3 style="margin:0 0 8px">${escapeHtml(spreadsheetName)}: как работает таблица</h3>
<ul>
<li><b>Аналитика</b> — одна строка на лида. Ставьте в колонку этапа <code>x</code>, <code>+</code> или дату: скрипт подставит сегодняшнюю дату, посчитает скидку, цену и текущий этап, а ошибки покажет в колонке «Проблемы». Введённое вами значение никогда не удаляется.</li>
<li><b>Ожидание</b> ставится автоматически, если клиент не выходил на связь 3 дня и больше.</li>
<li><b>Промокоды, Тарифы, Партнёры, Настройки</b> — справочники; редактирует руководство.</li>
<li><b>Отчёт секретаря, Звонки, Счета</b> — ежедневные журналы; сводки уходят руководству в 11:00 и 19:45.</li>
</ul>
</div>`;
}
