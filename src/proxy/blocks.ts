/**
 * Blocks and the store: upstream is asked for aligned blocks of UTC days, whatever the viewer's
 * zone or page, and every answer is cut from cached blocks, so upstream calls grow with hosts and
 * never with viewers, zones, pages or instances. Blocks are four weeks long and aligned on today
 * (UTC): block 0 starts three days back, so the first three weeks a viewer pages through, in any
 * zone, are one block, one upstream call per host. Just after midnight, while the new day's
 * blocks are fetched, the day before's (which cover nearly the same days) are served. A block past its freshness is served while one
 * refresh runs (one per block across the fleet: the store's lock); each upstream call takes a
 * token of the fleet's budget; a 429 from meetergo pauses the fleet (README "Deploying at scale").
 */
import { DAY_MS, formatDay } from '../protocol.js';
import { ByteCache, SingleFlight } from './cache.js';
import type { Config } from './options.js';
import type { Query } from './request.js';
import type { SharedStore } from './shared.js';
import {
  blockWindows,
  retryAfterSeconds,
  upstreamGet,
  UpstreamFault,
  type SharedLookups,
} from './upstream.js';

/** Days per block. */
export const BLOCK_DAYS = 28;
/**
 * Block 0 starts this many days before today (UTC): a viewer's first page, padded for its zone
 * (today's UTC day −1) and for the answer's cut (−1 more), starts no earlier, so any zone's first
 * three weeks (padded, up to today +23) fall in one block.
 */
const LEAD_DAYS = 3;
/** How far back a block's upstream call reaches: older days have no bookable times. */
const PAST_FETCH_DAYS = 2;
/** Seconds a client waits when the fleet's budget is spent. */
const BUDGET_RETRY_AFTER = 10;
/** How often an instance looks for the block another instance is refreshing. */
const LOCK_POLL_MS = 100;
/** How long the instances waiting for a block read the failure of the one that refreshed it. */
const FAILURE_MARKER_MS = 5000;
/** After a failed refresh of a stale block, how long it is served stale before the next try. */
const RETRY_REFRESH_MS = 10_000;

/** One block of one host as this process holds it. */
export interface Block {
  /** First UTC day of the block (days since 1970-01-01). */
  day: number;
  windows: string[];
  times: number[];
  /** When upstream answered (ms since the epoch). */
  fetchedAt: number;
}

/** Why no block could be had. */
export type Failure =
  | { kind: 'not-found'; upstream: string }
  | { kind: 'rate-limited'; retryAfter: number; upstream: string }
  | { kind: 'budget'; retryAfter: number; upstream: string }
  | { kind: 'timeout'; upstream: string }
  | { kind: 'bad-gateway'; upstream: string };

export type CacheState = 'HIT' | 'STALE' | 'MISS';

/** The blocks one request is cut from. */
export interface Served {
  kind: 'blocks';
  blocks: Block[];
  cache: CacheState;
  upstream: string | undefined;
}

type BlockResult = { kind: 'block'; block: Block; upstream: string } | Failure;

interface BlockSpec {
  userId: string;
  meetingTypeId: string | undefined;
  day: number;
  /** This process's key of the block. */
  key: string;
}

const FAILURE_KINDS = new Set(['not-found', 'rate-limited', 'budget', 'timeout', 'bad-gateway']);

/** A failure another instance left in the store since `since`, if any. */
function readFailure(
  stored: { body: string; fetchedAt: number } | undefined,
  since: number,
): Failure | undefined {
  if (stored === undefined || !(stored.fetchedAt >= since)) return undefined;
  try {
    const failure = JSON.parse(stored.body) as Failure;
    if (!FAILURE_KINDS.has(failure.kind) || typeof failure.upstream !== 'string') return undefined;
    if ('retryAfter' in failure && !(Number(failure.retryAfter) >= 1)) return undefined;
    return failure;
  } catch {
    return undefined;
  }
}

/**
 * The first days of the blocks a request needs on `today` (days since 1970-01-01, UTC): its days,
 * padded by one for every zone.
 */
export function blockDays(start: number, end: number, today: number): number[] {
  const anchor = today - LEAD_DAYS;
  const first = Math.floor((start - 1 - anchor) / BLOCK_DAYS);
  const last = Math.floor((end + 1 - anchor) / BLOCK_DAYS);
  const days: number[] = [];
  for (let index = first; index <= last; index += 1) days.push(anchor + index * BLOCK_DAYS);
  return days;
}

/** Hex SHA-256 of a text, shortened: what names the key in the store. */
async function shortHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 8)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

export class Blocks {
  readonly #config: Config;
  readonly #shared: SharedStore;
  readonly #local: ByteCache<Block>;
  readonly #flights = new SingleFlight<BlockResult>();
  /** Hosts meetergo answered 404 for, until when: asked again only after `freshSeconds`. */
  readonly #missing = new ByteCache<number>(1 << 20);
  /** Stale blocks whose refresh failed, until when no other is tried (meetergo is down). */
  readonly #backoff = new ByteCache<number>(1 << 20);
  /** Names the API key in store keys and the budget's bucket without holding it. */
  readonly #tag: Promise<string>;

  constructor(config: Config, shared: SharedStore, maxBytes = 32 << 20) {
    this.#config = config;
    this.#shared = shared;
    this.#local = new ByteCache(maxBytes);
    this.#tag = shortHash(`meetergo-slots:${config.apiKey}`);
    this.#tag.catch(() => undefined);
  }

  /** The store as booking URL lookups share it: names of their own, the same budget. */
  lookups(): SharedLookups {
    const name = async (key: string) => `${await this.#tag}:mt:${key}`;
    return {
      get: async (key) => this.#shared.getBlock(await name(key)),
      set: async (key, block, ttlMs) => this.#shared.setBlock(await name(key), block, ttlMs),
      lock: async (key, ttlMs) => this.#shared.acquireLock(await name(key), ttlMs),
      unlock: async (key, token) => this.#shared.releaseLock(await name(key), token),
      admit: () => this.admitUpstream(),
    };
  }

  /** One token of the fleet's budget for another upstream call (none while paused). */
  async admitUpstream(): Promise<boolean> {
    const now = this.#config.now();
    if ((await this.#shared.pausedUntil()) > now) return false;
    const bucket = `${await this.#tag}:upstream`;
    return this.#shared.takeToken(bucket, this.#config.upstreamPerMinute, now);
  }

  get #freshMs(): number {
    return this.#config.freshSeconds * 1000;
  }

  get #usableMs(): number {
    return (this.#config.freshSeconds + this.#config.staleSeconds) * 1000;
  }

  #specs(query: Query, today: number): BlockSpec[] {
    const type = query.meetingTypeId ?? '-';
    return blockDays(query.start, query.end, today).map((day) => ({
      userId: query.userId,
      meetingTypeId: query.meetingTypeId,
      day,
      key: `${query.userId}:${type}:${day}`,
    }));
  }

  /** The blocks of `query` when this process holds all of them fresh (no await: the hot path). */
  fresh(query: Query, now: number): Block[] | undefined {
    if (this.#freshMs === 0) return undefined;
    const prefix = `${query.userId}:${query.meetingTypeId ?? '-'}:`;
    const blocks: Block[] = [];
    for (const day of blockDays(query.start, query.end, Math.floor(now / DAY_MS))) {
      const block = this.#local.get(prefix + day);
      if (block === undefined || now - block.fetchedAt >= this.#freshMs) return undefined;
      blocks.push(block);
    }
    return blocks;
  }

  /**
   * The blocks of `query`: fresh ones, stale ones (each starting one refresh in the background),
   * or refreshed now. `admit` is asked once, before this request leads an upstream call (the
   * per-client limit): it answers the ms to wait, or 0.
   */
  async serve(
    query: Query,
    admit: () => number,
  ): Promise<Served | Failure | { kind: 'limited'; retryAfter: number }> {
    const now = this.#config.now();
    const today = Math.floor(now / DAY_MS);
    const specs = this.#specs(query, today);
    const found = await Promise.all(specs.map((spec) => this.#held(spec, now)));
    const usable = (block: Block | undefined) =>
      block !== undefined && now - block.fetchedAt < this.#usableMs;
    if (this.#freshMs > 0 && !found.every(usable)) {
      // Just after midnight: the day before's blocks, while today's are fetched.
      const earlier = await Promise.all(
        this.#specs(query, today - 1).map((spec) => this.#held(spec, now)),
      );
      if (earlier.every(usable)) {
        const held = earlier as Block[];
        const fresh = held.every((block) => now - block.fetchedAt < this.#freshMs);
        if (!fresh) for (const spec of specs) this.#refreshBehind(spec, now);
        return {
          kind: 'blocks',
          blocks: held,
          cache: fresh ? 'HIT' : 'STALE',
          upstream: undefined,
        };
      }
    }
    const blocks: Block[] = [];
    const waits: Promise<BlockResult>[] = [];
    let cache: CacheState = 'HIT';
    let admitted = false;
    for (const [i, spec] of specs.entries()) {
      const block = found[i];
      const age = block === undefined ? Infinity : now - block.fetchedAt;
      if (age < this.#freshMs) {
        blocks.push(block as Block);
        continue;
      }
      if (age < this.#usableMs && this.#freshMs > 0) {
        blocks.push(block as Block);
        if (cache === 'HIT') cache = 'STALE';
        this.#refreshBehind(spec, now);
        continue;
      }
      if ((this.#missing.get(spec.key) ?? 0) > now) {
        return { kind: 'not-found', upstream: 'remembered' };
      }
      let flight = this.#flights.joined(spec.key);
      if (flight === undefined) {
        if (!admitted) {
          const wait = admit();
          if (wait > 0) return { kind: 'limited', retryAfter: Math.ceil(wait / 1000) };
          admitted = true;
        }
        flight = this.#refresh(spec);
      }
      waits.push(flight);
    }
    let upstream: string | undefined;
    for (const result of await Promise.all(waits)) {
      if (result.kind !== 'block') return result;
      blocks.push(result.block);
      upstream = result.upstream;
      cache = 'MISS';
    }
    blocks.sort((a, b) => a.day - b.day);
    return { kind: 'blocks', blocks, cache, upstream };
  }

  /** Refreshes a block in the background, unless its last refresh failed a moment ago. */
  #refreshBehind(spec: BlockSpec, now: number): void {
    if ((this.#backoff.get(spec.key) ?? 0) > now) return;
    this.#refresh(spec).then(
      (result) => {
        if (result.kind !== 'block') {
          this.#backoff.set(spec.key, this.#config.now() + RETRY_REFRESH_MS, 16);
        }
      },
      () => undefined,
    );
  }

  /** The newest copy of a block this process can see: its own, or the store's. */
  async #held(spec: BlockSpec, now: number): Promise<Block | undefined> {
    const local = this.#local.get(spec.key);
    if (this.#freshMs === 0) return undefined;
    if (local !== undefined && now - local.fetchedAt < this.#freshMs) return local;
    const stored = await this.#shared.getBlock(await this.#sharedKey(spec));
    return this.#adopt(spec, stored) ?? local;
  }

  /** Takes a stored block into this process when it is newer than the one held. */
  #adopt(spec: BlockSpec, stored: { body: string; fetchedAt: number } | undefined) {
    if (stored === undefined || typeof stored.body !== 'string') return undefined;
    const local = this.#local.get(spec.key);
    if (local !== undefined && local.fetchedAt >= stored.fetchedAt) return local;
    let data: unknown;
    try {
      data = JSON.parse(stored.body);
    } catch {
      return undefined;
    }
    const kept = blockWindows(data, spec.day * DAY_MS, (spec.day + BLOCK_DAYS) * DAY_MS, Infinity);
    if (kept === undefined || !Number.isFinite(stored.fetchedAt)) return undefined;
    const block: Block = { day: spec.day, ...kept, fetchedAt: stored.fetchedAt };
    this.#local.set(spec.key, block, stored.body.length * 2);
    return block;
  }

  async #sharedKey(spec: BlockSpec): Promise<string> {
    return `${await this.#tag}:w:${spec.userId}:${spec.meetingTypeId ?? '-'}:${formatDay(spec.day)}`;
  }

  #refresh(spec: BlockSpec): Promise<BlockResult> {
    return this.#flights.run(spec.key, () => this.#leadRefresh(spec));
  }

  /**
   * Refreshes a block unless another instance does: then waits (bounded) for its answer in the
   * store, or for its failure (a short marker it leaves there), or for the lock to come free.
   */
  async #leadRefresh(spec: BlockSpec): Promise<BlockResult> {
    const config = this.#config;
    const shared = this.#shared;
    const key = await this.#sharedKey(spec);
    const before = this.#local.get(spec.key)?.fetchedAt ?? -Infinity;
    const waitStart = config.now();
    const polls = Math.ceil((config.timeoutMs + 1000) / LOCK_POLL_MS);
    for (let poll = 0; ; poll += 1) {
      const now = config.now();
      const paused = await shared.pausedUntil();
      if (paused > now) {
        const retryAfter = Math.max(1, Math.ceil((paused - now) / 1000));
        return { kind: 'rate-limited', retryAfter, upstream: 'paused' };
      }
      const token = await shared.acquireLock(key, config.timeoutMs + 5000);
      if (token !== null) return this.#refreshHolding(spec, key, token, before);
      if (poll >= polls) return { kind: 'timeout', upstream: 'lock-wait' };
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const block = this.#adopt(spec, await shared.getBlock(key));
      if (block !== undefined && block.fetchedAt > before) {
        return { kind: 'block', block, upstream: 'shared' };
      }
      const failure = readFailure(await shared.getBlock(`${key}:failed`), waitStart);
      if (failure !== undefined) return failure;
    }
  }

  async #refreshHolding(
    spec: BlockSpec,
    key: string,
    token: string,
    before: number,
  ): Promise<BlockResult> {
    const config = this.#config;
    const shared = this.#shared;
    try {
      // Another instance may have refreshed it between our look and our lock.
      const stored = this.#adopt(spec, await shared.getBlock(key));
      if (stored !== undefined && stored.fetchedAt > before) {
        if (config.now() - stored.fetchedAt < this.#freshMs) {
          return { kind: 'block', block: stored, upstream: 'shared' };
        }
      }
      const bucket = `${await this.#tag}:upstream`;
      let result: BlockResult;
      if (!(await shared.takeToken(bucket, config.upstreamPerMinute, config.now()))) {
        result = { kind: 'budget', retryAfter: BUDGET_RETRY_AFTER, upstream: 'budget' };
      } else {
        result = await this.#fetch(spec);
      }
      if (result.kind === 'block') {
        if (this.#freshMs > 0) {
          const body = JSON.stringify({ windows: result.block.windows });
          this.#local.set(spec.key, result.block, body.length * 2);
          await shared.setBlock(key, { body, fetchedAt: result.block.fetchedAt }, this.#usableMs);
        }
        return result;
      }
      if (result.kind === 'rate-limited') {
        await shared.pauseUntil(config.now() + result.retryAfter * 1000);
      }
      if (result.kind === 'not-found' && this.#freshMs > 0) {
        this.#missing.set(spec.key, config.now() + this.#freshMs, 16);
      }
      // What the instances waiting for this block answer instead of waiting on.
      const marker = { body: JSON.stringify(result), fetchedAt: config.now() };
      await shared.setBlock(`${key}:failed`, marker, FAILURE_MARKER_MS);
      return result;
    } finally {
      await shared.releaseLock(key, token);
    }
  }

  /**
   * One upstream call for one block: its days padded by one, in no zone (meetergo's default),
   * from no earlier than the day before yesterday (so another proxy, as upstream, accepts it).
   */
  async #fetch(spec: BlockSpec): Promise<BlockResult> {
    const config = this.#config;
    const today = Math.floor(config.now() / DAY_MS);
    const params = new URLSearchParams({
      startDate: formatDay(Math.max(spec.day - 1, today - PAST_FETCH_DAYS)),
      endDate: formatDay(spec.day + BLOCK_DAYS),
    });
    if (spec.meetingTypeId !== undefined) params.set('meetingTypeId', spec.meetingTypeId);
    const path = `/v4/user/${spec.userId}/bookable-windows?${params}`;
    let answer;
    try {
      answer = await upstreamGet(config, path, spec.userId);
    } catch (fault) {
      const reason = fault instanceof UpstreamFault ? fault.reason : 'error';
      return reason === 'timeout'
        ? { kind: 'timeout', upstream: 'timeout' }
        : { kind: 'bad-gateway', upstream: reason };
    }
    const upstream = String(answer.status);
    if (answer.status === 404) return { kind: 'not-found', upstream };
    if (answer.status === 429) {
      const retryAfter = retryAfterSeconds(answer.retryAfter, config.now());
      return { kind: 'rate-limited', retryAfter, upstream };
    }
    if (answer.status !== 200) return { kind: 'bad-gateway', upstream };
    const from = spec.day * DAY_MS;
    const kept = blockWindows(answer.data, from, from + BLOCK_DAYS * DAY_MS, config.maxWindows);
    if (kept === undefined) return { kind: 'bad-gateway', upstream: 'unexpected-shape' };
    const block: Block = { day: spec.day, ...kept, fetchedAt: config.now() };
    return { kind: 'block', block, upstream: kept.capped > 0 ? `${upstream} capped` : upstream };
  }
}
