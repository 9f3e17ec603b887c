// PropertiesService: three string-only key/value stores with the documented size limits.
// Limits (9 KB per value, 500 KB per store): https://developers.google.com/apps-script/guides/services/quotas
import type { EmulatorContext } from '../context';

type PropertiesApi = Pick<GoogleAppsScript.Properties.Properties,
  'getProperty' | 'setProperty' | 'setProperties' | 'getProperties' | 'getKeys' | 'deleteProperty' | 'deleteAllProperties'>;

export type PropertyStoreKind = 'script' | 'document' | 'user';

export const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;
export const PROPERTY_STORE_MAX_BYTES = 500 * 1024;
export const PROPERTY_ERRORS = {
  valueTooLarge: 'Argument too large: value',
  storeFull: 'You have exceeded the property storage quota. Please remove some properties and try again.',
} as const;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export class EmulatedProperties implements PropertiesApi {
  /** Harness: the stored map (read it through `snapshot()` in assertions). */
  readonly data = new Map<string, string>();

  constructor(private readonly ctx: EmulatorContext, readonly kind: PropertyStoreKind) {}

  private get label(): string { return 'Properties'; }
  private self(): GoogleAppsScript.Properties.Properties { return this as unknown as GoogleAppsScript.Properties.Properties; }

  /** Values are stored as strings, as the service converts everything with String(). */
  private writeAll(entries: [string, unknown][], deleteAllOthers: boolean): void {
    const next = deleteAllOthers ? new Map<string, string>() : new Map(this.data);
    for (const [key, raw] of entries) {
      const value = String(raw);
      if (bytes(value) > PROPERTY_VALUE_MAX_BYTES) throw new Error(PROPERTY_ERRORS.valueTooLarge);
      next.set(String(key), value);
    }
    let total = 0;
    for (const [k, v] of next) total += bytes(k) + bytes(v);
    if (total > PROPERTY_STORE_MAX_BYTES) throw new Error(PROPERTY_ERRORS.storeFull);
    this.data.clear();
    for (const [k, v] of next) this.data.set(k, v);
  }

  getProperty(key: string): string | null {
    this.ctx.recorder.call(`${this.label}.getProperty`);
    return this.data.get(String(key)) ?? null;
  }

  setProperty(key: string, value: string): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call(`${this.label}.setProperty`);
    this.writeAll([[key, value]], false);
    return this.self();
  }

  setProperties(properties: { [key: string]: string }, deleteAllOthers = false): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call(`${this.label}.setProperties`);
    this.writeAll(Object.entries(properties), Boolean(deleteAllOthers));
    return this.self();
  }

  /** A copy, not a live view (as documented). */
  getProperties(): { [key: string]: string } {
    this.ctx.recorder.call(`${this.label}.getProperties`);
    return Object.fromEntries(this.data);
  }

  getKeys(): string[] {
    this.ctx.recorder.call(`${this.label}.getKeys`);
    return [...this.data.keys()];
  }

  deleteProperty(key: string): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call(`${this.label}.deleteProperty`);
    this.data.delete(String(key));
    return this.self();
  }

  deleteAllProperties(): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call(`${this.label}.deleteAllProperties`);
    this.data.clear();
    return this.self();
  }

  /** Harness: current contents without counting a call. */
  snapshot(): Record<string, string> { return Object.fromEntries(this.data); }
  /** Harness: replace contents without counting or limits. */
  restore(values: Record<string, string>): void {
    this.data.clear();
    for (const [k, v] of Object.entries(values)) this.data.set(k, String(v));
  }
}

type PropertiesServiceApi = Pick<GoogleAppsScript.Properties.PropertiesService,
  'getScriptProperties' | 'getDocumentProperties' | 'getUserProperties'>;

export class EmulatedPropertiesService implements PropertiesServiceApi {
  readonly stores: Record<PropertyStoreKind, EmulatedProperties>;

  constructor(private readonly ctx: EmulatorContext) {
    this.stores = {
      script: new EmulatedProperties(ctx, 'script'),
      document: new EmulatedProperties(ctx, 'document'),
      user: new EmulatedProperties(ctx, 'user'),
    };
  }

  getScriptProperties(): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call('PropertiesService.getScriptProperties');
    return this.stores.script as unknown as GoogleAppsScript.Properties.Properties;
  }

  getDocumentProperties(): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call('PropertiesService.getDocumentProperties');
    return this.stores.document as unknown as GoogleAppsScript.Properties.Properties;
  }

  getUserProperties(): GoogleAppsScript.Properties.Properties {
    this.ctx.recorder.call('PropertiesService.getUserProperties');
    return this.stores.user as unknown as GoogleAppsScript.Properties.Properties;
  }

  /** Harness. */
  serialize(): Record<PropertyStoreKind, Record<string, string>> {
    return { script: this.stores.script.snapshot(), document: this.stores.document.snapshot(), user: this.stores.user.snapshot() };
  }

  restore(data: Partial<Record<PropertyStoreKind, Record<string, string>>>): void {
    for (const kind of ['script', 'document', 'user'] as const) this.stores[kind].restore(data[kind] ?? {});
  }
}

export function createPropertiesService(ctx: EmulatorContext): EmulatedPropertiesService {
  return new EmulatedPropertiesService(ctx);
}
