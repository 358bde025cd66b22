/* Listing one directory: readdir, sort by name in byte order, fstatat each entry on the open directory. */
#define _GNU_SOURCE
#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint8_t kind_of(mode_t mode) {
  if (S_ISREG(mode)) return KIND_FILE;
  if (S_ISDIR(mode)) return KIND_DIR;
  if (S_ISLNK(mode)) return KIND_LINK;
  return KIND_OTHER;
}

/* Node's fs.Stats: milliseconds as sec * 1e3 + nsec / 1e6 in doubles (built with -ffp-contract=off). */
static double ms_of(struct timespec t) {
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int grow(void **buffer, size_t *capacity, size_t needed, size_t item) {
  if (needed <= *capacity) return 0;
  size_t next = *capacity ? *capacity * 2 : 64;
  while (next < needed) next *= 2;
  void *grown = realloc(*buffer, next * item);
  if (grown == NULL) return ENOMEM;
  *buffer = grown;
  *capacity = next;
  return 0;
}

/* The raw names of a directory (`.` and `..` left out), NUL-ended in one arena, in readdir order. */
static int read_names(DIR *dir, char **arena, size_t *length, size_t *count) {
  size_t capacity = 0;
  for (;;) {
    errno = 0;
    struct dirent *entry = readdir(dir);
    if (entry == NULL) return errno;
    const char *name = entry->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    size_t size = strlen(name) + 1;
    int error = grow((void **)arena, &capacity, *length + size, 1);
    if (error) return error;
    memcpy(*arena + *length, name, size);
    *length += size;
    (*count)++;
  }
}

void scan_directory(const char *path, listing *out) {
  memset(out, 0, sizeof *out);
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    out->error = errno;
    return;
  }
  DIR *dir = fdopendir(fd);
  if (dir == NULL) {
    out->error = errno;
    close(fd);
    return;
  }
  char *arena = NULL;
  size_t length = 0, count = 0;
  int error = read_names(dir, &arena, &length, &count);
  const char **order = error ? NULL : malloc((count ? count : 1) * sizeof *order);
  if (!error && order == NULL) error = ENOMEM;
  if (!error) {
    size_t at = 0;
    for (size_t i = 0; i < count; i++, at += strlen(arena + at) + 1) order[i] = arena + at;
    qsort(order, count, sizeof *order, by_name);
    out->names = malloc(length ? length : 1);
    out->kinds = malloc(count ? count : 1);
    out->stats = malloc((count ? count : 1) * STAT_FIELDS * sizeof(double));
    if (out->names == NULL || out->kinds == NULL || out->stats == NULL) error = ENOMEM;
  }
  if (!error) {
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
      size_t size = strlen(order[i]) + 1;
      memcpy(out->names + at, order[i], size);
      at += size;
      struct stat st;
      double *stats = out->stats + i * STAT_FIELDS;
      if (fstatat(dirfd(dir), order[i], &st, AT_SYMLINK_NOFOLLOW) != 0) {
        out->kinds[i] = KIND_UNKNOWN;
        stats[0] = stats[1] = stats[2] = stats[3] = 0;
        continue;
      }
      out->kinds[i] = kind_of(st.st_mode);
      stats[0] = (double)st.st_size;
      stats[1] = ms_of(st.st_mtim);
      stats[2] = (double)st.st_ino;
      stats[3] = (double)st.st_dev;
    }
    out->count = count;
    out->names_length = length;
  }
  free(order);
  free(arena);
  closedir(dir);
  if (error) {
    listing_free(out);
    out->error = error;
  }
}

/*
 * One ArrayBuffer per listing, because creating buffers dominated handing listings over (three typed
 * arrays and a string per directory cost ~8 us): a header of two doubles (entry count, 1 when child
 * job ids follow), then the stats (STAT_FIELDS doubles per entry), the job ids (int32 per entry, when
 * there are any), the kinds (a byte per entry) and the names (UTF-8, each ended by a NUL).
 */
napi_value listing_to_js(napi_env env, const listing *l, const int32_t *children) {
  napi_value result;
  if (l->error) {
    napi_create_int32(env, l->error, &result);
    return result;
  }
  size_t n = l->count;
  size_t stats_bytes = n * STAT_FIELDS * sizeof(double);
  size_t jobs_bytes = children != NULL ? n * sizeof(int32_t) : 0;
  size_t total = 2 * sizeof(double) + stats_bytes + jobs_bytes + n + l->names_length;
  uint8_t *bytes = NULL;
  if (napi_create_arraybuffer(env, total, (void **)&bytes, &result) != napi_ok) return NULL;
  double header[2] = {(double)n, children != NULL ? 1 : 0};
  memcpy(bytes, header, sizeof header);
  uint8_t *at = bytes + sizeof header;
  if (stats_bytes) memcpy(at, l->stats, stats_bytes);
  at += stats_bytes;
  if (jobs_bytes) memcpy(at, children, jobs_bytes);
  at += jobs_bytes;
  if (n) memcpy(at, l->kinds, n);
  at += n;
  if (l->names_length) memcpy(at, l->names, l->names_length);
  return result;
}

void listing_free(listing *l) {
  free(l->names);
  free(l->kinds);
  free(l->stats);
  l->names = NULL;
  l->kinds = NULL;
  l->stats = NULL;
  l->count = 0;
  l->names_length = 0;
}
