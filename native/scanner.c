/*
 * The scanner's jobs and threads. A background thread always starts the queued job that comes last in
 * walk order; the walk takes jobs in walk order, listing a job itself when no thread has started it.
 */
#include "scanner.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Queues a job made by job_create (freed on failure). Called with the lock held; returns its id or -1. */
static int32_t add_job(scanner *s, job *j) {
  if (j != NULL && s->job_count == s->job_capacity) {
    int32_t next = s->job_capacity ? s->job_capacity * 2 : 256;
    job **grown = realloc(s->jobs, (size_t)next * sizeof *grown);
    if (grown == NULL) {
      job_free(j);
      return -1;
    }
    s->jobs = grown;
    s->job_capacity = next;
  }
  if (j == NULL || job_heap_push(&s->queue, j) != 0) {
    job_free(j);
    return -1;
  }
  j->id = s->job_count;
  s->jobs[s->job_count++] = j;
  return j->id;
}

/* Lists the job's directory (lock not held), then files its subdirectories as jobs (lock held). */
static void run_job(scanner *s, job *j) {
  pthread_mutex_unlock(&s->lock);
  scan_directory(j->path, &j->result);
  pthread_mutex_lock(&s->lock);
  const listing *l = &j->result;
  if (l->error || j->dropped) return;
  j->children = malloc((l->count ? l->count : 1) * sizeof *j->children);
  if (j->children == NULL) {
    listing_free(&j->result);
    j->result.error = ENOMEM;
    return;
  }
  size_t dir_length = strlen(j->path);
  const char *name = l->names;
  for (size_t i = 0; i < l->count; name += strlen(name) + 1, i++) {
    int is_subdirectory = l->kinds[i] == KIND_DIR && strcmp(name, ".git") != 0;
    j->children[i] = is_subdirectory ? add_job(s, job_create(j->path, dir_length, name)) : -1;
  }
  pthread_cond_broadcast(&s->work);
}

/* Frees a job and, recursively, the jobs of its subdirectories not taken yet. Lock held. */
static void drop_job(scanner *s, job *j) {
  s->jobs[j->id] = NULL;
  if (j->state == JOB_RUNNING) {
    j->dropped = 1; /* its thread frees it */
    return;
  }
  if (j->state == JOB_QUEUED) job_heap_remove(&s->queue, j);
  if (j->state == JOB_DONE) s->held_entries -= j->result.count;
  if (j->children != NULL) {
    for (size_t i = 0; i < j->result.count; i++) {
      int32_t id = j->children[i];
      if (id >= 0 && s->jobs[id] != NULL) drop_job(s, s->jobs[id]);
    }
  }
  job_free(j);
}

static void *run_background(void *arg) {
  scanner *s = arg;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->closing && (s->queue.size == 0 || s->held_entries >= s->held_limit)) {
      pthread_cond_wait(&s->work, &s->lock);
    }
    if (s->closing) break;
    job *j = job_heap_pop(&s->queue);
    j->state = JOB_RUNNING;
    run_job(s, j);
    if (j->dropped) {
      /* Dropped while listed: its subdirectories were never filed. */
      job_free(j);
    } else {
      j->state = JOB_DONE;
      s->held_entries += j->result.count;
    }
    pthread_cond_broadcast(&s->done);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

void scanner_close(scanner *s) {
  pthread_mutex_lock(&s->lock);
  int was_closing = s->closing;
  s->closing = 1;
  pthread_cond_broadcast(&s->work);
  pthread_mutex_unlock(&s->lock);
  if (was_closing) return;
  for (int i = 0; i < s->threads; i++) pthread_join(s->tids[i], NULL);
  for (int32_t id = 0; id < s->job_count; id++) {
    if (s->jobs[id] != NULL) job_free(s->jobs[id]);
    s->jobs[id] = NULL;
  }
  s->queue.size = 0;
}

scanner *scanner_create(int threads, size_t held_limit) {
  scanner *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->work, NULL);
  pthread_cond_init(&s->done, NULL);
  s->held_limit = held_limit > 0 ? held_limit : 1;
  for (int i = 0; i < threads && i < 8; i++) {
    if (pthread_create(&s->tids[s->threads], NULL, run_background, s) == 0) s->threads++;
  }
  return s;
}

void scanner_destroy(scanner *s) {
  scanner_close(s);
  job_heap_free(&s->queue);
  free(s->jobs);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->work);
  pthread_cond_destroy(&s->done);
  free(s);
}

int32_t scanner_queue(scanner *s, const char *path) {
  pthread_mutex_lock(&s->lock);
  int32_t id = s->closing ? -1 : add_job(s, job_create(path, strlen(path), NULL));
  pthread_cond_signal(&s->work);
  pthread_mutex_unlock(&s->lock);
  return id;
}

job *scanner_take(scanner *s, int32_t id) {
  pthread_mutex_lock(&s->lock);
  job *j = !s->closing && id >= 0 && id < s->job_count ? s->jobs[id] : NULL;
  if (j == NULL) {
    pthread_mutex_unlock(&s->lock);
    return NULL;
  }
  if (j->state == JOB_QUEUED) {
    job_heap_remove(&s->queue, j);
    j->state = JOB_RUNNING;
    run_job(s, j);
  } else {
    while (j->state == JOB_RUNNING) pthread_cond_wait(&s->done, &s->lock);
    s->held_entries -= j->result.count;
    pthread_cond_broadcast(&s->work);
  }
  s->jobs[j->id] = NULL;
  pthread_mutex_unlock(&s->lock);
  return j;
}

void scanner_drop(scanner *s, int32_t id) {
  pthread_mutex_lock(&s->lock);
  if (!s->closing && id >= 0 && id < s->job_count && s->jobs[id] != NULL) drop_job(s, s->jobs[id]);
  pthread_cond_broadcast(&s->work);
  pthread_mutex_unlock(&s->lock);
}
