// PropertiesService: three string-only key/value stores with the documented size limits.
// Documented (https://developers.google.com/apps-script/guides/services/quotas): "Properties value size
// 9 KB / val", "Properties total storage 500 KB / property store".
// Measured (https://tanaikech.github.io/2023/05/22/report-specification-of-properties-service-for-google-apps-script/):
// no 9 KB value check in practice (a 524,287-byte value fits with a 1-byte key), a store holds 524,288
// bytes of keys plus values, a key at most 8,066 bytes, and an empty key is refused. The emulator takes
// the stricter of the two everywhere, counting UTF-8 bytes of key + value as the measurement does.
import type { EmulatorContext } from '../context';
import { utf8Bytes } from '../support';

type PropertiesApi = Pick<GoogleAppsScript.Properties.Properties,
  'getProperty' | 'setProperty' | 'setProperties' | 'getProperties' | 'getKeys' | 'deleteProperty' | 'deleteAllProperties'>;

export type PropertyStoreKind = 'script' | 'document' | 'user';

/** 9 KB per property (documented; stricter than the measured ~512 KB), key + value in UTF-8 bytes. */
export const PROPERTY_VALUE_MAX_BYTES = 9 * 1024;
/** Measured key limit (no documented one): 8,066 bytes, then "Data storage error". */
export const PROPERTY_KEY_MAX_BYTES = 8066;
/** 500 KB per store (documented; stricter than the measured 524,288 bytes), keys + values in UTF-8 bytes. */
export const PROPERTY_STORE_MAX_BYTES = 500 * 1024;
export const PROPERTY_ERRORS = {
  valueTooLarge: 'Argument too large: value',
  keyTooLarge: 'Data storage error',
  emptyKey: 'When setting or getting a property value, the property name must not be null or empty.',
  storeFull: 'You have exceeded the property storage quota. Please remove some properties and try again.',
} as const;

/** A key as the service sees it; null, undefined and '' are refused (measured, see above). */
function keyOf(key: unknown): string {
  if (key === null || key === undefined || String(key) === '') throw new Error(PROPERTY_ERRORS.emptyKey);
  return String(key);
}

export class EmulatedProperties implements PropertiesApi {
  /** Harness: the stored map (read it through `snapshot()` in assertions). */
  readonly data = new Map<string, string>();

  constructor(private readonly ctx: EmulatorContext, readonly kind: PropertyStoreKind) {}

  private get label(): string { return 'Properties'; }
  private self(): GoogleAppsScript.Properties.Properties { return this as unknown as GoogleAppsScript.Properties.Properties; }

  /** Values are stored as strings, as the service converts everything with String(). */
  private writeAll(entries: [string, unknown][], deleteAllOthers: boolean): void {
    const next = deleteAllOthers ? new Map<string, string>() : new Map(this.data);
    for (const [rawKey, raw] of entries) {
      const key = keyOf(rawKey);
      const value = String(raw);
      const keyBytes = utf8Bytes(key);
      if (keyBytes > PROPERTY_KEY_MAX_BYTES) throw new Error(PROPERTY_ERRORS.keyTooLarge);
      if (keyBytes + utf8Bytes(value) > PROPERTY_VALUE_MAX_BYTES) throw new Error(PROPERTY_ERRORS.valueTooLarge);
      next.set(key, value);
    }
    let total = 0;
    for (const [k, v] of next) total += utf8Bytes(k) + utf8Bytes(v);
    if (total > PROPERTY_STORE_MAX_BYTES) throw new Error(PROPERTY_ERRORS.storeFull);
    this.data.clear();
    for (const [k, v] of next) this.data.set(k, v);
  }

  getProperty(key: string): string | null {
    this.ctx.recorder.call(`${this.label}.getProperty`);
    return this.data.get(keyOf(key)) ?? null;
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
