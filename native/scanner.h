/* The scanner: scan jobs for directories, background threads that list them, and the walk's side. */
#ifndef GROVE_SCANNER_H
#define GROVE_SCANNER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "job-heap.h"

typedef struct scanner {
  pthread_mutex_t lock;
  pthread_cond_t work; /* a job was queued, room was made, or the scanner closes */
  pthread_cond_t done; /* a job finished */
  job_heap queue;      /* queued jobs, the last in walk order on top */
  job **jobs;          /* by id; NULL once taken or dropped */
  int32_t job_count, job_capacity;
  size_t held_entries; /* entries of listings done and not taken */
  size_t held_limit;
  int closing;
  int threads;
  pthread_t tids[8];
} scanner;

scanner *scanner_create(int threads, size_t held_limit);
/* Stops the threads and frees every job left; idempotent. */
void scanner_close(scanner *s);
void scanner_destroy(scanner *s);
/* Files `path` as a queued job; its id, or -1 when closed or out of memory. */
int32_t scanner_queue(scanner *s, const char *path);
/*
 * Job `id` listed (here when no thread has started it) and no longer the scanner's: the caller frees it.
 * NULL when there is no such job (taken, dropped, closed).
 */
job *scanner_take(scanner *s, int32_t id);
/* Forgets job `id` and every job listed below it; no such job is no error. */
void scanner_drop(scanner *s, int32_t id);

#endif
