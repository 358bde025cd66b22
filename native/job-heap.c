#include "job-heap.h"

#include <stdlib.h>
#include <string.h>

job *job_create(const char *dir, size_t dir_length, const char *name) {
  size_t name_length = name != NULL ? strlen(name) : 0;
  size_t length = dir_length + (name != NULL ? 1 + name_length : 0);
  job *j = calloc(1, sizeof *j);
  if (j == NULL) return NULL;
  j->path = malloc(length + 1);
  j->key = malloc(length + 2);
  if (j->path == NULL || j->key == NULL) {
    job_free(j);
    return NULL;
  }
  memcpy(j->path, dir, dir_length);
  if (name != NULL) {
    j->path[dir_length] = '/';
    memcpy(j->path + dir_length + 1, name, name_length);
  }
  j->path[length] = 0;
  memcpy(j->key, j->path, length);
  j->key[length] = '/';
  j->key[length + 1] = 0;
  j->state = JOB_QUEUED;
  return j;
}

void job_free(job *j) {
  if (j == NULL) return;
  listing_free(&j->result);
  free(j->children);
  free(j->path);
  free(j->key);
  free(j);
}

/* strcmp compares bytes as unsigned char: UTF-8 byte order. */
static int later(const job *a, const job *b) { return strcmp(a->key, b->key) > 0; }

static void place(job_heap *heap, size_t at, job *j) {
  heap->items[at] = j;
  j->heap_at = at;
}

static void sift_up(job_heap *heap, size_t at) {
  job *j = heap->items[at];
  while (at > 0) {
    size_t parent = (at - 1) / 2;
    if (!later(j, heap->items[parent])) break;
    place(heap, at, heap->items[parent]);
    at = parent;
  }
  place(heap, at, j);
}

static void sift_down(job_heap *heap, size_t at) {
  job *j = heap->items[at];
  for (;;) {
    size_t child = 2 * at + 1;
    if (child >= heap->size) break;
    if (child + 1 < heap->size && later(heap->items[child + 1], heap->items[child])) child++;
    if (!later(heap->items[child], j)) break;
    place(heap, at, heap->items[child]);
    at = child;
  }
  place(heap, at, j);
}

int job_heap_push(job_heap *heap, job *j) {
  if (heap->size == heap->capacity) {
    size_t next = heap->capacity ? heap->capacity * 2 : 256;
    job **grown = realloc(heap->items, next * sizeof *grown);
    if (grown == NULL) return -1;
    heap->items = grown;
    heap->capacity = next;
  }
  place(heap, heap->size++, j);
  sift_up(heap, heap->size - 1);
  return 0;
}

job *job_heap_pop(job_heap *heap) {
  job *top = heap->items[0];
  job_heap_remove(heap, top);
  return top;
}

void job_heap_remove(job_heap *heap, job *j) {
  size_t at = j->heap_at;
  job *last = heap->items[--heap->size];
  if (at == heap->size) return;
  place(heap, at, last);
  sift_down(heap, at);
  sift_up(heap, last->heap_at);
}

void job_heap_free(job_heap *heap) {
  free(heap->items);
  heap->items = NULL;
  heap->size = heap->capacity = 0;
}
