/** What a counter answers for one request: allowed, or refused with the seconds until it would be allowed. */
export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Requests per key in a sliding window, approximated from two fixed windows (the current one, and the previous
 * one weighted by how much of it still overlaps): O(1) per request, memory bounded by the keys seen in two windows.
 * Refused requests are not counted, so a client that waits as told gets through.
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
    const elapsed = (now % this.windowMs) / this.windowMs;
    const current = this.current.get(key) ?? 0;
    const previous = this.previous.get(key) ?? 0;
    if (previous * (1 - elapsed) + current + 1 <= this.limit) {
      if (this.current.size >= this.maxKeys && current === 0) this.current.clear();
      this.current.set(key, current + 1);
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(this.waitMs(elapsed, previous, current) / 1000)) };
  }

  private roll(now: number): void {
    const index = Math.floor(now / this.windowMs);
    if (index === this.windowIndex) return;
    this.previous = index === this.windowIndex + 1 ? this.current : new Map();
    this.current = new Map();
    this.windowIndex = index;
  }

  /** When the weighted count first leaves room for one more request. */
  private waitMs(elapsed: number, previous: number, current: number): number {
    const room = this.limit - 1 - current;
    // Still within this window, once enough of the previous one has slid out.
    if (room >= 0 && previous > 0) return (1 - room / previous - elapsed) * this.windowMs;
    // Otherwise in the next window, once enough of this one has slid out.
    const share = current > 0 ? Math.max(0, 1 - (this.limit - 1) / current) : 0;
    return (1 - elapsed + share) * this.windowMs;
  }
}
