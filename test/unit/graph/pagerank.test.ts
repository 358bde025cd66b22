import { describe, expect, it } from 'vitest';
import { pageRank, type WeightedGraph } from '../../../src/graph/pagerank.js';

function graph(n: number, edges: [number, number, number?][]): WeightedGraph {
  return {
    n,
    src: Int32Array.from(edges.map((e) => e[0])),
    dst: Int32Array.from(edges.map((e) => e[1])),
    weight: Float64Array.from(edges.map((e) => e[2] ?? 1)),
    edges: edges.length,
  };
}

const sum = (ranks: Float64Array) => ranks.reduce((a, b) => a + b, 0);

describe('pageRank', () => {
  // 0..3 all use 4 (a shared header); 4 uses 5; 6 is isolated.
  const hub = graph(7, [
    [0, 4],
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 5],
  ]);

  it('ranks what everything depends on highest, and ranks sum to 1', () => {
    const ranks = pageRank(hub);
    expect(sum(ranks)).toBeCloseTo(1, 9);
    const order = [...ranks.keys()].sort((a, b) => (ranks[b] ?? 0) - (ranks[a] ?? 0));
    expect(order.slice(0, 2).sort()).toEqual([4, 5]);
    expect(ranks[0]).toBeCloseTo(ranks[6] ?? 0, 12);
  });

  it('follows edge weights', () => {
    const ranks = pageRank(
      graph(3, [
        [0, 1, 9],
        [0, 2, 1],
      ]),
    );
    expect(ranks[1] ?? 0).toBeGreaterThan(ranks[2] ?? 0);
  });

  it('personalises towards the focus nodes', () => {
    const focused = pageRank(hub, new Map([[6, 1]]));
    expect(sum(focused)).toBeCloseTo(1, 9);
    const best = [...focused.keys()].sort((a, b) => (focused[b] ?? 0) - (focused[a] ?? 0))[0];
    expect(best).toBe(6);
    expect(focused[0]).toBe(0);
  });

  it('is deterministic', () => {
    expect(pageRank(hub)).toEqual(pageRank(hub));
  });
});
