import { describe, expect, it } from 'vitest';
import { forEachLimited, Semaphore } from './semaphore.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('Semaphore', () => {
  it.each([1, 3, 8])('never runs more than %i tasks at once, and runs them all', async (limit) => {
    const sem = new Semaphore(limit);
    let running = 0;
    let peak = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 40 }, () =>
        sem.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await tick();
          running--;
          done++;
        }),
      ),
    );
    expect(peak).toBe(limit);
    expect(done).toBe(40);
    expect(sem.inUse).toBe(0);
  });

  it('releases the permit when a task throws', async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await sem.run(async () => 'next')).toBe('next');
  });

  it('rejects a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('forEachLimited', () => {
  it('visits every item once with at most `limit` in flight', async () => {
    const seen: number[] = [];
    let running = 0;
    let peak = 0;
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(2);
  });
});
