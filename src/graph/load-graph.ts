/**
 * Loads the file dependency graph into typed arrays (about 16 bytes per edge) for PageRank. File ids
 * become dense node numbers.
 */
import type { GraphStore } from '../store/graph-store.js';
import type { WeightedGraph } from './pagerank.js';

export interface LoadedGraph extends WeightedGraph {
  /** File id of each node. */
  fileIds: Int32Array;
  nodeOf: Map<number, number>;
}

export function loadGraph(graph: GraphStore): LoadedGraph {
  const ids: number[] = [];
  for (const file of graph.files()) ids.push(file.id);
  const fileIds = Int32Array.from(ids);
  const nodeOf = new Map<number, number>();
  for (let node = 0; node < fileIds.length; node++) nodeOf.set(fileIds[node] ?? -1, node);
  let capacity = 1024;
  let src = new Int32Array(capacity);
  let dst = new Int32Array(capacity);
  let weight = new Float64Array(capacity);
  let edges = 0;
  for (const [from, to, edgeWeight] of graph.deps()) {
    const s = nodeOf.get(from);
    const d = nodeOf.get(to);
    if (s === undefined || d === undefined) continue;
    if (edges === capacity) {
      capacity *= 2;
      src = grow(src, capacity);
      dst = grow(dst, capacity);
      const w = new Float64Array(capacity);
      w.set(weight);
      weight = w;
    }
    src[edges] = s;
    dst[edges] = d;
    weight[edges] = edgeWeight;
    edges++;
  }
  return { n: fileIds.length, src, dst, weight, edges, fileIds, nodeOf };
}

function grow(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
