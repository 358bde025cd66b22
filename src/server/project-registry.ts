/**
 * The daemon's loaded projects, least recently used first. A project loads on its first request and
 * is evicted when idle longer than the configured time or, least recently used first, when the
 * daemon's RSS nears its memory limit; an evicted project reloads transparently on its next request.
 * Idle eviction uses one timer set for the next expiry (never a polling interval).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type DaemonConfig, EVICT_AT_MEMORY_SHARE } from '../config/daemon-config.js';
import { GroveError } from '../errors.js';
import { openIndex } from '../query/open-index.js';
import { IdleRelease } from './idle-release.js';
import { Project, type ProjectDeps } from './project.js';

/** What a request names: the repository root, or its index directory, or both. */
export interface ProjectTarget {
  root?: string | undefined;
  index?: string | undefined;
}

export class ProjectRegistry {
  readonly #deps: ProjectDeps;
  readonly #config: DaemonConfig;
  readonly #projects = new Map<string, Project>();
  readonly #loading = new Map<string, Promise<Project>>();
  #idleTimer: NodeJS.Timeout | null = null;
  readonly #idleRelease = new IdleRelease(() => {
    for (const project of this.#projects.values()) project.releaseMemory();
  });
  readonly stats = { loads: 0, evictions: 0 };

  constructor(deps: ProjectDeps) {
    this.#deps = deps;
    this.#config = deps.config;
  }

  list(): Project[] {
    return [...this.#projects.values()];
  }

  /**
   * The loaded project for `target`, loading it if needed, marked as just used.
   * @throws GroveError REQUEST_INVALID (no or relative root), ROOT_NOT_FOUND, INDEX_NOT_FOUND.
   */
  async get(target: ProjectTarget, options: { create: boolean }): Promise<Project> {
    const { root, indexDir } = this.#resolve(target);
    let project = this.#projects.get(indexDir);
    if (project === undefined) {
      let loading = this.#loading.get(indexDir);
      if (loading === undefined) {
        loading = Project.load(root, indexDir, this.#deps, options.create).finally(() =>
          this.#loading.delete(indexDir),
        );
        this.#loading.set(indexDir, loading);
      }
      project = await loading;
      if (!this.#projects.has(indexDir)) {
        this.#projects.set(indexDir, project);
        this.stats.loads++;
      }
      await this.relieveMemory(project);
    }
    this.#touch(indexDir, project);
    return project;
  }

  /** Evicts least recently used projects (never `keep`, never one indexing) while RSS is near the limit. */
  async relieveMemory(keep: Project | null): Promise<void> {
    const limit = this.#config.maxMemory * EVICT_AT_MEMORY_SHARE;
    for (const [key, project] of this.#projects) {
      if (process.memoryUsage.rss() <= limit) return;
      if (project === keep || project.busy) continue;
      await this.#evict(key, project);
    }
  }

  async closeAll(): Promise<void> {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
    this.#idleRelease.close();
    await Promise.allSettled([...this.#loading.values()]);
    const projects = [...this.#projects.values()];
    this.#projects.clear();
    await Promise.all(projects.map((project) => project.close()));
  }

  #resolve(target: ProjectTarget): { root: string; indexDir: string } {
    for (const [name, value] of [
      ['root', target.root],
      ['index', target.index],
    ] as const) {
      if (value !== undefined && !isAbsolute(value)) {
        throw new GroveError('REQUEST_INVALID', `"${name}" must be an absolute path, got "${value}"`);
      }
    }
    if (target.index !== undefined) {
      const indexDir = resolve(target.index);
      return { root: target.root !== undefined ? resolve(target.root) : this.#rootOf(indexDir), indexDir };
    }
    if (target.root === undefined) throw new GroveError('REQUEST_INVALID', 'params need "root" (or "index")');
    const root = resolve(target.root);
    const indexDir = this.#config.indexDirs[root] ?? join(root, '.grove');
    // A loaded project's root was checked when it loaded (its watcher reports it going away).
    if (!this.#projects.has(indexDir) && !statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
      throw new GroveError('ROOT_NOT_FOUND', `${root} is not a directory`, { root });
    }
    return { root, indexDir };
  }

  /** The root an index records (a loaded project knows it; otherwise its metadata says). */
  #rootOf(indexDir: string): string {
    const loaded = this.#projects.get(indexDir);
    if (loaded) return loaded.root;
    if (!existsSync(join(indexDir, 'index.db'))) {
      throw new GroveError('INDEX_NOT_FOUND', `no grove index in ${indexDir}`, { indexDir });
    }
    const index = openIndex(indexDir, { dirtyFiles: () => 0 });
    try {
      // An index whose first run never completed has no root recorded yet: it is usually `<root>/.grove`.
      return index.root ?? dirname(indexDir);
    } finally {
      index.close();
    }
  }

  #touch(key: string, project: Project): void {
    project.lastUsed = Date.now();
    // Map order is the LRU order: re-inserting moves the project to the most recent end.
    this.#projects.delete(key);
    this.#projects.set(key, project);
    if (this.#idleTimer === null) this.#armIdle(this.#config.idleEvictMs);
    this.#idleRelease.touch();
  }

  #armIdle(delayMs: number): void {
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      void this.#evictIdle();
    }, delayMs);
    // Eviction is housekeeping: it must not keep a daemon that is otherwise done alive.
    this.#idleTimer.unref();
  }

  async #evictIdle(): Promise<void> {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [key, project] of this.#projects) {
      const idleFor = now - project.lastUsed;
      if (idleFor >= this.#config.idleEvictMs && !project.busy) await this.#evict(key, project);
      else next = Math.min(next, this.#config.idleEvictMs - idleFor);
    }
    if (Number.isFinite(next) && this.#idleTimer === null) this.#armIdle(Math.max(next, 1_000));
  }

  async #evict(key: string, project: Project): Promise<void> {
    this.#projects.delete(key);
    this.stats.evictions++;
    this.#deps.log(`evicted ${project.root}`);
    await project.close();
  }
}
