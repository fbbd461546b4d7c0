import { SlidingWindowCounter } from './sliding-window-counter';

const MINUTE = 60_000;
const start = 1_000 * MINUTE;

describe('SlidingWindowCounter', () => {
  it('allows the limit within a window, refuses the next with the wait until the window slides', () => {
    const counter = new SlidingWindowCounter(3, MINUTE);
    expect([1, 2, 3].map(() => counter.hit('a', start).allowed)).toEqual([true, true, true]);
    // 50 s to the next window, then 20 s more until this one's 3 weigh only 2.
    expect(counter.hit('a', start + 10_000)).toEqual({ allowed: false, retryAfterSeconds: 70 });
    expect(counter.hit('b', start + 10_000).allowed).toBe(true);
  });

  it('weighs the previous window by how much of it still overlaps', () => {
    const counter = new SlidingWindowCounter(4, MINUTE);
    for (let i = 0; i < 4; i++) counter.hit('a', start + 59_000);
    // A quarter into the next window, 3 of the previous 4 still count: one more fits, not two.
    expect(counter.hit('a', start + MINUTE + 15_000).allowed).toBe(true);
    const refused = counter.hit('a', start + MINUTE + 15_000);
    expect(refused.allowed).toBe(false);
    // Room again once the previous window's weight drops to 2: half-way through this one.
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(counter.hit('a', start + MINUTE + 30_001).allowed).toBe(true);
  });

  it('does not count refused requests, and forgets a key after two quiet windows', () => {
    const counter = new SlidingWindowCounter(1, MINUTE);
    expect(counter.hit('a', start).allowed).toBe(true);
    for (let i = 0; i < 100; i++) counter.hit('a', start + 1_000);
    expect(counter.hit('a', start + 2 * MINUTE).allowed).toBe(true);
  });

  it('keeps at most maxKeys keys, starting over rather than growing', () => {
    const counter = new SlidingWindowCounter(1, MINUTE, 2);
    counter.hit('a', start);
    counter.hit('b', start);
    counter.hit('c', start);
    expect(counter.hit('a', start).allowed).toBe(true);
  });
});
