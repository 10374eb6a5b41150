/**
 * meetergo's rate limit, as the stand-in enforces it when asked to: a token bucket per API key
 * that holds `burst` requests and refills at `perMinute` a minute, read at the injected "now".
 * Keys stay in memory only (never logged or answered); the least recently used go first once
 * `MAX_KEYS` are held.
 */

/** The most API keys whose buckets are kept. */
export const MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiter {
  /** Takes one request of `key` at `now` (epoch ms): 0 if allowed, else whole seconds to wait. */
  take(key: string, now: number): number;
  /** Forgets every key: all buckets full again. */
  clear(): void;
}

/** A limiter; `perMinute` 0 allows everything. RangeError for a negative or non-finite rate. */
export function rateLimiter(perMinute: number, burst = 2 * perMinute): RateLimiter {
  if (!(Number.isFinite(perMinute) && perMinute >= 0)) {
    throw new RangeError(`rateLimitPerMinute must be a number of 0 or more, not ${perMinute}`);
  }
  if (perMinute > 0 && !(Number.isFinite(burst) && burst >= 1)) {
    throw new RangeError(`rateLimitBurst must be a number of 1 or more, not ${burst}`);
  }
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  return {
    take(key, now) {
      if (perMinute === 0) return 0;
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      // A clock that steps back refills nothing; the bucket is re-inserted as most recent.
      bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
      bucket.at = Math.max(bucket.at, now);
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > MAX_KEYS) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    },
    clear() {
      buckets.clear();
    },
  };
}
