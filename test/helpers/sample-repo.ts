/** A small multi-language repository written at test time (nothing binary or ignored is committed). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SAMPLE_FILES: Record<string, string> = {
  'src/server/http_server.c': `#include <stdio.h>
#include "router.h"

#define MAX_CONNECTIONS 128

struct connection {
  int fd;
  char *peer;
};

static int accept_connection(int listen_fd, struct connection *out) {
  out->fd = listen_fd;
  return route_request(out->fd);
}

int start_http_server(int port) {
  struct connection conn;
  printf("listening on %d\\n", port);
  return accept_connection(port, &conn);
}
`,
  'src/server/router.h': `#ifndef ROUTER_H
#define ROUTER_H
int route_request(int fd);
#endif
`,
  'tools/report.py': `import os
from pathlib import Path


class ReportWriter:
    """Writes the weekly usage report."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def write_summary(self, rows):
        total = sum(row.count for row in rows)
        return os.path.join(self.folder, f"summary-{total}.txt")


def main():
    ReportWriter("/tmp").write_summary([])
`,
  'web/userProfile.ts': `import { fetchJson } from './http';

export interface UserProfile {
  id: string;
  displayName: string;
}

export class ProfileCache {
  private readonly entries = new Map<string, UserProfile>();

  async getUserProfile(id: string): Promise<UserProfile> {
    const cached = this.entries.get(id);
    if (cached) return cached;
    const profile = await fetchJson<UserProfile>(\`/users/\${id}\`);
    this.entries.set(id, profile);
    return profile;
  }
}
`,
  'web/http.ts': `export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  return (await response.json()) as T;
}
`,
  'cmd/main.go': `package main

import "fmt"

type Greeter struct{ name string }

func (g Greeter) Greet() string { return "hello " + g.name }

func main() { fmt.Println(Greeter{name: "grove"}.Greet()) }
`,
  'README.md': '# Sample\n\nA repository used by grove tests. It explains the token bucket rate limiter.\n',
  'config/settings.json': '{ "retries": 3, "timeoutMs": 2500 }\n',
  '.gitignore': 'build/\n*.log\n',
  'build/output.c': 'int ignored_build_output(void) { return 0; }\n',
  'debug.log': 'this log is ignored\n',
};

/** Writes the sample repository under `dir` and returns the paths that should be indexed. */
export function writeSampleRepo(dir: string): string[] {
  // .gitignore rules apply inside a git work tree only (as in git and ripgrep).
  execFileSync('git', ['init', '-q', dir]);
  for (const [path, text] of Object.entries(SAMPLE_FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return Object.keys(SAMPLE_FILES).filter((path) => !path.startsWith('build/') && !path.endsWith('.log'));
}
