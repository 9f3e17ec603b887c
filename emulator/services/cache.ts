// CacheService: string values with an expiry on the virtual clock and the documented limits.
// https://developers.google.com/apps-script/reference/cache/cache — keys up to 250 characters, values up
// to 100 KB, expiration 1 s … 21600 s (6 h), default 600 s, at most 1000 items per cache.
// Measured (https://justin.poehnelt.com/posts/exploring-apps-script-cacheservice-limits): value limit
// 102,400 bytes, strict; eviction FIFO by creation time, about 100 items (10%) at once when full.
import type { EmulatorContext } from '../context';
import { utf8Bytes } from '../support';

type CacheApi = Pick<GoogleAppsScript.Cache.Cache, 'get' | 'getAll' | 'put' | 'putAll' | 'remove' | 'removeAll'>;

export type CacheKind = 'script' | 'document' | 'user';
export const CACHE_LIMITS = {
  /** Documented as 250 characters; counted here in UTF-8 bytes (the memcache key limit), stricter for
   *  Cyrillic keys and the same for ASCII ones. https://developers.google.com/apps-script/reference/cache/cache#put(String,String) */
  keyBytes: 250,
  /** "100KB" in the docs, 102,400 bytes measured (Poehnelt, above); UTF-8 bytes, not characters. */
  valueBytes: 100 * 1024,
  defaultTtlSeconds: 600,
  maxTtlSeconds: 21600,
  /** https://developers.google.com/apps-script/reference/cache/cache#put(String,String) — "The cap for cached items is 1,000". */
  maxItems: 1000,
  /** Measured: a full cache drops ~10% of its items, oldest first (Poehnelt, above). */
  evictBatch: 100,
} as const;
export const CACHE_ERRORS = {
  keyTooLarge: 'Argument too large: key',
  valueTooLarge: 'Argument too large: value',
} as const;

interface Entry { value: string; expiresAt: number }

export class EmulatedCache implements CacheApi {
  /** Harness: raw entries (insertion order = eviction order). */
  readonly entries = new Map<string, Entry>();

  constructor(private readonly ctx: EmulatorContext, readonly kind: CacheKind) {}

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= this.ctx.clock.now()) { this.entries.delete(key); return undefined; }
    return e;
  }

  private validate(key: string, value: string): void {
    if (utf8Bytes(key) > CACHE_LIMITS.keyBytes) throw new Error(CACHE_ERRORS.keyTooLarge);
    if (utf8Bytes(value) > CACHE_LIMITS.valueBytes) throw new Error(CACHE_ERRORS.valueTooLarge);
  }

  private store(key: string, value: string, ttlSeconds: number): void {
    // Longer than 6 h is cut to 6 h; the cache may always drop entries earlier.
    const ttl = Math.min(Math.max(ttlSeconds, 1), CACHE_LIMITS.maxTtlSeconds);
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.ctx.clock.now() + ttl * 1000 });
    if (this.entries.size <= CACHE_LIMITS.maxItems) return;
    const now = this.ctx.clock.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    if (this.entries.size <= CACHE_LIMITS.maxItems) return;
    // Full: the oldest-created items go in one batch, however recently they were read.
    for (const k of [...this.entries.keys()].slice(0, CACHE_LIMITS.evictBatch)) this.entries.delete(k);
  }

  get(key: string): string | null {
    this.ctx.recorder.call('Cache.get');
    return this.live(String(key))?.value ?? null;
  }

  getAll(keys: string[]): { [key: string]: string } {
    this.ctx.recorder.call('Cache.getAll');
    const out: Record<string, string> = {};
    for (const k of keys) { const e = this.live(String(k)); if (e) out[String(k)] = e.value; }
    return out;
  }

  put(key: string, value: string, expirationInSeconds: number = CACHE_LIMITS.defaultTtlSeconds): void {
    this.ctx.recorder.call('Cache.put');
    const k = String(key), v = String(value);
    this.validate(k, v);
    this.store(k, v, expirationInSeconds);
  }

  putAll(values: { [key: string]: unknown }, expirationInSeconds: number = CACHE_LIMITS.defaultTtlSeconds): void {
    this.ctx.recorder.call('Cache.putAll');
    const pairs = Object.entries(values).map(([k, v]) => [k, String(v)] as const);
    for (const [k, v] of pairs) this.validate(k, v);
    for (const [k, v] of pairs) this.store(k, v, expirationInSeconds);
  }

  remove(key: string): void {
    this.ctx.recorder.call('Cache.remove');
    this.entries.delete(String(key));
  }

  removeAll(keys: string[]): void {
    this.ctx.recorder.call('Cache.removeAll');
    for (const k of keys) this.entries.delete(String(k));
  }

  /** Harness: drop everything (e.g. to model eviction). */
  clear(): void { this.entries.clear(); }
}

type CacheServiceApi = Pick<GoogleAppsScript.Cache.CacheService, 'getScriptCache' | 'getDocumentCache' | 'getUserCache'>;

export class EmulatedCacheService implements CacheServiceApi {
  readonly caches: Record<CacheKind, EmulatedCache>;

  constructor(private readonly ctx: EmulatorContext) {
    this.caches = { script: new EmulatedCache(ctx, 'script'), document: new EmulatedCache(ctx, 'document'), user: new EmulatedCache(ctx, 'user') };
  }

  getScriptCache(): GoogleAppsScript.Cache.Cache {
    this.ctx.recorder.call('CacheService.getScriptCache');
    return this.caches.script as unknown as GoogleAppsScript.Cache.Cache;
  }

  getDocumentCache(): GoogleAppsScript.Cache.Cache {
    this.ctx.recorder.call('CacheService.getDocumentCache');
    return this.caches.document as unknown as GoogleAppsScript.Cache.Cache;
  }

  getUserCache(): GoogleAppsScript.Cache.Cache {
    this.ctx.recorder.call('CacheService.getUserCache');
    return this.caches.user as unknown as GoogleAppsScript.Cache.Cache;
  }

  /** Harness: unexpired entries with absolute expiry times. */
  serialize(): Record<CacheKind, Record<string, Entry>> {
    const now = this.ctx.clock.now();
    const dump = (c: EmulatedCache) => Object.fromEntries([...c.entries].filter(([, e]) => e.expiresAt > now));
    return { script: dump(this.caches.script), document: dump(this.caches.document), user: dump(this.caches.user) };
  }

  restore(data: Partial<Record<CacheKind, Record<string, Entry>>>): void {
    for (const kind of ['script', 'document', 'user'] as const) {
      this.caches[kind].entries.clear();
      for (const [k, e] of Object.entries(data[kind] ?? {})) this.caches[kind].entries.set(k, { value: String(e.value), expiresAt: Number(e.expiresAt) });
    }
  }
}

export function createCacheService(ctx: EmulatorContext): EmulatedCacheService {
  return new EmulatedCacheService(ctx);
}
