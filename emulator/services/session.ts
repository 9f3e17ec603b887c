// Session: who runs the script and in which zone.
import type { EmulatorContext } from '../context';

type SessionApi = Pick<GoogleAppsScript.Base.Session,
  'getActiveUser' | 'getEffectiveUser' | 'getScriptTimeZone' | 'getTemporaryActiveUserKey' | 'getActiveUserLocale'>;

class EmulatedUser implements Pick<GoogleAppsScript.Base.User, 'getEmail'> {
  constructor(private readonly ctx: EmulatorContext, private readonly email: string) {}
  getEmail(): string {
    this.ctx.recorder.call('User.getEmail');
    return this.email;
  }
}

/**
 * The email a script may see for `user` in the running execution. In LIMITED mode (simple triggers) "the
 * user's email address is not available … However, these restrictions generally do not apply if the
 * developer runs the script themselves or belongs to the same Google Workspace domain as the user"
 * (https://developers.google.com/apps-script/reference/base/session#getActiveUser()). The stricter
 * reading: visible only to the script's owner, or within the owner's Workspace domain.
 */
export function visibleEmail(ctx: EmulatorContext, user: string, mode: string = ctx.authMode): string {
  if (mode === 'FULL') return user;
  const owner = ctx.ownerEmail.toLowerCase();
  const u = user.toLowerCase();
  if (u === owner) return user;
  if (ctx.account === 'workspace' && u.split('@')[1] === owner.split('@')[1]) return user;
  return '';
}

export class EmulatedSession implements SessionApi {
  /** Harness override of the active user's email as the script sees it; null: the execution's rules. */
  activeUserEmail: string | null = null;
  /** The person of the running execution (set by the environment). */
  currentUser: () => string = () => this.ctx.userEmail;
  /** Harness: what getActiveUserLocale returns. */
  locale = 'ru';

  constructor(private readonly ctx: EmulatorContext) {}

  getActiveUser(): GoogleAppsScript.Base.User {
    this.ctx.recorder.call('Session.getActiveUser');
    const email = this.activeUserEmail ?? visibleEmail(this.ctx, this.currentUser());
    return new EmulatedUser(this.ctx, email) as unknown as GoogleAppsScript.Base.User;
  }

  /** The user whose authority the script runs with: the person, or an installable trigger's creator. */
  getEffectiveUser(): GoogleAppsScript.Base.User {
    this.ctx.recorder.call('Session.getEffectiveUser');
    return new EmulatedUser(this.ctx, visibleEmail(this.ctx, this.ctx.userEmail)) as unknown as GoogleAppsScript.Base.User;
  }

  getScriptTimeZone(): string {
    this.ctx.recorder.call('Session.getScriptTimeZone');
    return this.ctx.scriptTimeZone;
  }

  getActiveUserLocale(): string {
    this.ctx.recorder.call('Session.getActiveUserLocale');
    return this.locale;
  }

  /** Stable per user and script, opaque, never the email itself. */
  getTemporaryActiveUserKey(): string {
    this.ctx.recorder.call('Session.getTemporaryActiveUserKey');
    const email = this.currentUser();
    let h = 2166136261;
    for (const ch of email) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return 'tmp' + h.toString(36).padStart(8, '0');
  }
}

export function createSession(ctx: EmulatorContext): EmulatedSession {
  return new EmulatedSession(ctx);
}
