// Who runs this execution, who owns the file, who leadership is («Настройки»): the inputs of every
// permission decision (src/core/access.ts).
import type { Authority } from '../core/access';
import { loadSettings } from './settings';
import { withRetry } from './retry';

export function readAuthority(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): Authority {
  const me = withRetry(() => Session.getEffectiveUser().getEmail()) ?? '';
  const owner = withRetry(() => ss.getOwner())?.getEmail() ?? '';
  return { me, owner, leadership: loadSettings(ss).settings.leadershipEmails };
}
