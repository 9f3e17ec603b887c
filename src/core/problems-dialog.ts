// «Проверить данные»: the dialog listing every problem, each with a link that selects its cell.
import { escapeHtml } from './text';

export interface ProblemLine { row: number; cell: string; text: string }

const LIMIT = 500;

export function renderProblemsHtml(sheetName: string, rows: number, problems: ProblemLine[], sheetProblems: string[]): string {
  const head = `<div style="font:14px Arial,sans-serif">`;
  if (problems.length === 0 && sheetProblems.length === 0) {
    return `${head}<p>Лист «${escapeHtml(sheetName)}»: проверено строк — ${rows}. Проблем не найдено.</p></div>`;
  }
  const items = problems.slice(0, LIMIT).map((p) =>
    `<li><a href="#" onclick="google.script.run.selectProblemCell(${escapeHtml(JSON.stringify(p.cell))});return false;">строка ${p.row}</a>: ${escapeHtml(p.text)}</li>`);
  const more = problems.length > LIMIT ? `<p>… и ещё ${problems.length - LIMIT}. Исправьте эти и проверьте снова.</p>` : '';
  const general = sheetProblems.length ? `<p><b>Общие проблемы:</b></p><ul>${sheetProblems.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>` : '';
  return `${head}<p>Лист «${escapeHtml(sheetName)}»: проверено строк — ${rows}, проблем — ${problems.length}.</p>${general}<ul style="padding-left:18px">${items.join('')}</ul>${more}</div>`;
}

