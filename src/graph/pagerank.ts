/**
 * PageRank over the weighted file dependency graph: a file ranks high when important files depend on
 * it. Edges point from the user to the definer. Personalisation (`focus`) makes the random walk restart
 * at the focus files only, ranking what matters to them.
 */

const DAMPING = 0.85;
const MAX_ITERATIONS = 50;
/** Stop when the total change of one iteration falls below this (ranks sum to 1). */
const TOLERANCE = 1e-7;

export interface WeightedGraph {
  /** Node count; nodes are 0..n-1. */
  n: number;
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
  /** Edge count (the arrays may be longer). */
  edges: number;
}

/** Ranks summing to 1. `restart` (node -> weight) personalises; the default restarts uniformly. */
export function pageRank(graph: WeightedGraph, restart?: ReadonlyMap<number, number>): Float64Array {
  const { n, src, dst, weight, edges } = graph;
  const out = new Float64Array(n);
  for (let e = 0; e < edges; e++) out[src[e] ?? 0] = (out[src[e] ?? 0] ?? 0) + (weight[e] ?? 0);
  const jump = new Float64Array(n);
  if (restart && restart.size > 0) {
    let total = 0;
    for (const w of restart.values()) total += w;
    for (const [node, w] of restart) if (node >= 0 && node < n) jump[node] = w / total;
  } else jump.fill(1 / Math.max(1, n));
  let rank = Float64Array.from(jump);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Rank of files that use nothing (sinks) is spread like a restart, so ranks keep summing to 1.
    let sink = 0;
    for (let i = 0; i < n; i++) if ((out[i] ?? 0) === 0) sink += rank[i] ?? 0;
    for (let i = 0; i < n; i++) next[i] = (1 - DAMPING + DAMPING * sink) * (jump[i] ?? 0);
    for (let e = 0; e < edges; e++) {
      const s = src[e] ?? 0;
      const d = dst[e] ?? 0;
      next[d] = (next[d] ?? 0) + (DAMPING * (rank[s] ?? 0) * (weight[e] ?? 0)) / (out[s] ?? 1);
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs((next[i] ?? 0) - (rank[i] ?? 0));
    [rank, next] = [next, rank];
    if (delta < TOLERANCE) break;
  }
  return rank;
}
