/** What a counter answers for one request: allowed, or refused with the seconds until it would be allowed. */
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The sliding-window estimate from two fixed windows: the current one's count, plus the previous one's weighted by
 * how much of it still overlaps a window ending now. `current` excludes the request being decided.
 */
export function slidingWindowVerdict(limit: number, windowMs: number, elapsed: number, previous: number, current: number): Verdict {
  if (previous * (1 - elapsed) + current + 1 <= limit) return { allowed: true };
  const room = limit - 1 - current;
  // Within this window once enough of the previous one has slid out, else in the next once enough of this one has.
  const waitMs =
    room >= 0 && previous > 0
      ? (1 - room / previous - elapsed) * windowMs
      : (1 - elapsed + (current > 0 ? Math.max(0, 1 - (limit - 1) / current) : 0)) * windowMs;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/**
 * Requests per key in a sliding window (see slidingWindowVerdict): O(1) per request, memory bounded by the keys seen
 * in two windows. Refused requests are not counted, so a client that waits as told gets through.
 */
export class SlidingWindowCounter {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private windowIndex = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** A flood of distinct keys (spoofed addresses behind a trusted proxy) cannot grow memory past this. */
    private readonly maxKeys = 1_000_000,
  ) {}

  hit(key: string, now = Date.now()): Verdict {
    this.roll(now);
    const current = this.current.get(key) ?? 0;
    const verdict = slidingWindowVerdict(this.limit, this.windowMs, (now % this.windowMs) / this.windowMs, this.previous.get(key) ?? 0, current);
    if (verdict.allowed) {
      if (this.current.size >= this.maxKeys && current === 0) this.current.clear();
      this.current.set(key, current + 1);
    }
    return verdict;
  }

  private roll(now: number): void {
    const index = Math.floor(now / this.windowMs);
    if (index === this.windowIndex) return;
    this.previous = index === this.windowIndex + 1 ? this.current : new Map();
    this.current = new Map();
    this.windowIndex = index;
  }
}
