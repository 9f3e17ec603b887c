// «Справочники» (SPEC §3.2): every dropdown list, one column per list, generated from lists.ts.
import { LISTS, type ListDef } from './lists';
import type { SheetDefInput } from './schema';

/** The lists kept here: not those living on a sheet of their own (the managers: «Менеджеры»). */
const OWN_LISTS: readonly ListDef[] = LISTS.filter((l: ListDef) => l.source === undefined);

/** Lists side by side: row i holds the i-th value of every list ('' where a list is shorter). */
function transpose(pick: (l: ListDef) => readonly string[]): Array<Record<string, string>> {
  const height = Math.max(0, ...OWN_LISTS.map((l) => pick(l).length));
  return Array.from({ length: height }, (_, i) => Object.fromEntries(OWN_LISTS.map((l) => [l.key, pick(l)[i] ?? ''])));
}

export const referenceListsSheet = {
  key: 'lists',
  name: 'Справочники',
  aliases: ['Справочник', 'Списки'],
  protect: 'leadership',
  description: 'Списки для выпадающих меню всех листов; добавляйте значения в конец столбца.',
  columns: OWN_LISTS.map((l: ListDef) => ({ key: l.key, header: l.header, type: 'text' as const, width: l.key === 'refusalReasons' ? 260 : 170, note: l.note })),
  initial: transpose((l) => l.values),
  demo: transpose((l) => l.demoValues ?? l.values),
} satisfies SheetDefInput;
