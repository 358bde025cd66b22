/* Scan jobs and the queue of those not started: a max-heap in walk order (the job needed last on top). */
#ifndef GROVE_JOB_HEAP_H
#define GROVE_JOB_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "listing.h"

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE };

typedef struct job {
  char *path;
  char *key;        /* path + "/": byte order of keys is the walk's order of directories */
  int32_t id;
  enum job_state state;
  int dropped;      /* dropped while running; its thread frees it */
  size_t heap_at;   /* index in the queue while queued */
  listing result;
  int32_t *children; /* per entry of the listing: the job id of a subdirectory, else -1 */
} job;

typedef struct job_heap {
  job **items;
  size_t size, capacity;
} job_heap;

/* A queued job for `dir`/`name`, or for `dir` itself when `name` is NULL. */
job *job_create(const char *dir, size_t dir_length, const char *name);
void job_free(job *j);

int job_heap_push(job_heap *heap, job *j);
job *job_heap_pop(job_heap *heap);
void job_heap_remove(job_heap *heap, job *j);
void job_heap_free(job_heap *heap);

#endif
