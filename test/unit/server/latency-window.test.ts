import { describe, expect, it } from 'vitest';
import { LatencyWindow, WINDOW_SIZE } from '../../../src/server/latency-window.js';

describe('LatencyWindow', () => {
  it('answers zeros before the first request', () => {
    expect(new LatencyWindow().summary()).toEqual({ count: 0, p50Ms: 0, p99Ms: 0 });
  });

  it('gives nearest-rank p50 and p99 in milliseconds', () => {
    const window = new LatencyWindow();
    // 1..100 ms in a shuffled order: the window sorts, whatever the arrival order.
    for (let i = 0; i < 100; i++) window.record((((i * 37) % 100) + 1) / 1000);
    expect(window.summary()).toEqual({ count: 100, p50Ms: 50, p99Ms: 99 });
    expect(window.quantile(0)).toBeCloseTo(0.001);
    expect(window.quantile(1)).toBeCloseTo(0.1);
  });

  it('keeps only the most recent requests but counts them all', () => {
    const window = new LatencyWindow();
    for (let i = 0; i < WINDOW_SIZE; i++) window.record(1);
    // A full window of fast requests replaces the slow ones: the p99 reflects now, not the start.
    for (let i = 0; i < WINDOW_SIZE; i++) window.record(0.002);
    expect(window.summary()).toEqual({ count: 2 * WINDOW_SIZE, p50Ms: 2, p99Ms: 2 });
  });
});
