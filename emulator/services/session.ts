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

export class EmulatedSession implements SessionApi {
  /**
   * Harness: the active user's email as the script sees it; null follows ctx.userEmail. Set '' to model a
   * simple trigger run by someone other than the owner in a consumer account, where getActiveUser()
   * returns an empty email: https://developers.google.com/apps-script/reference/base/session#getActiveUser()
   */
  activeUserEmail: string | null = null;
  /** Harness: what getActiveUserLocale returns. */
  locale = 'ru';

  constructor(private readonly ctx: EmulatorContext) {}

  getActiveUser(): GoogleAppsScript.Base.User {
    this.ctx.recorder.call('Session.getActiveUser');
    return new EmulatedUser(this.ctx, this.activeUserEmail ?? this.ctx.userEmail) as unknown as GoogleAppsScript.Base.User;
  }

  getEffectiveUser(): GoogleAppsScript.Base.User {
    this.ctx.recorder.call('Session.getEffectiveUser');
    return new EmulatedUser(this.ctx, this.ctx.userEmail) as unknown as GoogleAppsScript.Base.User;
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
    const email = this.activeUserEmail ?? this.ctx.userEmail;
    let h = 2166136261;
    for (const ch of email) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return 'tmp' + h.toString(36).padStart(8, '0');
  }
}

export function createSession(ctx: EmulatorContext): EmulatedSession {
  return new EmulatedSession(ctx);
}
