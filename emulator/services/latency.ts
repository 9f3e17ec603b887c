// Modelled Apps Script time of one service call, by kind, so an execution can run out of its 6 minutes
// (30 s for simple triggers) and the owner's triggers out of their daily runtime, as on Google. Where
// measurements differ, the slower figure is taken (the stricter reading for a limit).

/** A call that measurement does not single out: ~7 ms round trip (the project's SPEC §6 model). */
export const DEFAULT_CALL_MS = 7;
/** Per cell a call reads or writes: ~31 µs (SPEC §6 model, from published getValues/setValues timings). */
export const MS_PER_CELL = 0.031;

/**
 * Kinds measured slower than the default. Sources:
 * - Properties and Cache: 100-sample averages in https://ziritione.org/post/apps_script_performance
 *   (setProperty 62 ms, getProperty 30 ms, Cache put 93 ms, Cache get 3 ms). Consistent with
 *   https://justin.poehnelt.com/posts/apps-script-key-value-stores (100 sequential write + read pairs of a
 *   100-byte value: ≈ 80 ms for Properties, ≈ 63 ms for Cache), so the slower figures above stay.
 * - flush: "adding a call to flush() increased that to 610ms" (timings quoted in the "What is faster:
 *   ScriptDb or SpreadsheetApp?" answer, citing https://developers.google.com/apps-script/guides/support/best-practices).
 * - Opening or creating another file, sharing changes, mail and protection reads go to other Google
 *   services (Drive ACLs, Gmail); the emulator charges them hundreds of milliseconds, the order of
 *   magnitude reported for them, as an upper-side estimate.
 */
const BY_METHOD: Record<string, number> = {
  'Properties.getProperty': 30,
  'Properties.getProperties': 30,
  'Properties.getKeys': 30,
  'Properties.setProperty': 62,
  'Properties.setProperties': 62,
  'Properties.deleteProperty': 62,
  'Properties.deleteAllProperties': 62,
  'Cache.put': 93,
  'Cache.putAll': 93,
  'Cache.get': 3,
  'Cache.getAll': 3,
  'SpreadsheetApp.flush': 610,
  'SpreadsheetApp.openById': 800,
  'SpreadsheetApp.openByUrl': 800,
  'SpreadsheetApp.open': 800,
  'SpreadsheetApp.create': 1500,
  'MailApp.sendEmail': 1000,
  'Spreadsheet.addViewer': 400,
  'Spreadsheet.addViewers': 400,
  'Spreadsheet.addEditor': 400,
  'Spreadsheet.addEditors': 400,
  'Spreadsheet.removeEditor': 400,
  'Spreadsheet.removeViewer': 400,
  'Spreadsheet.getEditors': 200,
  'Spreadsheet.getViewers': 200,
  'Spreadsheet.getProtections': 150,
  'Sheet.getProtections': 150,
  'Protection.getEditors': 150,
  'Protection.addEditors': 300,
  'Protection.removeEditors': 300,
  'DriveApp.getFileById': 400,
};

/** Modelled milliseconds of one call of `method` (cells are charged separately). */
export function callLatencyMs(method: string): number {
  const known = BY_METHOD[method];
  if (known !== undefined) return known;
  // Per-file ACL reads and changes on Drive files cost like the spreadsheet's own sharing calls.
  if (method.startsWith('File.')) return 300;
  return DEFAULT_CALL_MS;
}
