import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleRelease } from '../../../src/server/idle-release.js';

describe('IdleRelease', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => vi.useRealTimers());

  it('releases once, after the given time without a request', () => {
    let releases = 0;
    const idle = new IdleRelease(() => releases++, 1_000);
    idle.touch();
    vi.advanceTimersByTime(999);
    expect(releases).toBe(0);
    vi.advanceTimersByTime(1);
    expect(releases).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(releases).toBe(1);
    idle.close();
  });

  it('waits while requests keep coming, and again after the next one', () => {
    let releases = 0;
    const idle = new IdleRelease(() => releases++, 1_000);
    for (let i = 0; i < 10; i++) {
      idle.touch();
      vi.advanceTimersByTime(600);
    }
    expect(releases).toBe(0);
    vi.advanceTimersByTime(400);
    expect(releases).toBe(1);
    idle.touch();
    vi.advanceTimersByTime(1_000);
    expect(releases).toBe(2);
    idle.close();
  });

  it('never releases once closed', () => {
    let releases = 0;
    const idle = new IdleRelease(() => releases++, 1_000);
    idle.touch();
    idle.close();
    vi.advanceTimersByTime(5_000);
    expect(releases).toBe(0);
  });
});
