/* Listing one directory: readdir, fstatat each entry on the open directory, sort in walk order. */
#define _GNU_SOURCE
#include "listing.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* An entry while its directory is listed. */
typedef struct entry {
  const char *name;
  size_t length;
  uint8_t kind;
  double stats[STAT_FIELDS];
} entry;

/* Byte `i` of the entry's walk key (its name, plus `/` for a directory), or -1 past its end. */
static int key_at(const entry *e, size_t i) {
  if (i < e->length) return (unsigned char)e->name[i];
  return i == e->length && e->kind == KIND_DIR ? '/' : -1;
}

/* Walk order: byte order of the keys, so `a.c` < `a/` (a directory) < `a0`, as full paths compare. */
static int by_walk_key(const void *a, const void *b) {
  const entry *x = a, *y = b;
  for (size_t i = 0;; i++) {
    int cx = key_at(x, i), cy = key_at(y, i);
    if (cx != cy) return cx - cy;
    if (cx < 0) return 0;
  }
}

/* Whether `text` is well-formed UTF-8: only then is byte order the order of the names JS decodes. */
static int valid_utf8(const unsigned char *text, size_t length) {
  for (size_t i = 0; i < length;) {
    unsigned char c = text[i];
    size_t extra;
    unsigned char low = 0x80, high = 0xBF;
    if (c < 0x80) extra = 0;
    else if (c >= 0xC2 && c <= 0xDF) extra = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      if (c == 0xE0) low = 0xA0;
      if (c == 0xED) high = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      if (c == 0xF0) low = 0x90;
      if (c == 0xF4) high = 0x8F;
    } else return 0;
    if (extra > 0 && i + extra >= length) return 0;
    for (size_t k = 1; k <= extra; k++) {
      unsigned char next = text[i + k];
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return 0;
    }
    i += extra + 1;
  }
  return 1;
}

static void stat_entry(int dir_fd, entry *e) {
  struct stat st;
  if (fstatat(dir_fd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    e->kind = KIND_UNKNOWN;
    memset(e->stats, 0, sizeof e->stats);
    return;
  }
  e->kind = kind_of(st.st_mode);
  e->stats[0] = (double)st.st_size;
  e->stats[1] = ms_of(st.st_mtim);
  e->stats[2] = (double)st.st_ino;
  e->stats[3] = (double)st.st_dev;
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
  entry *entries = error ? NULL : malloc((count ? count : 1) * sizeof *entries);
  if (!error && entries == NULL) error = ENOMEM;
  if (!error) {
    // Stat in the order the directory lists (its inode table's order), then sort with the kinds known.
    int valid = 1;
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
      entry *e = &entries[i];
      e->name = arena + at;
      e->length = strlen(e->name);
      at += e->length + 1;
      valid = valid && valid_utf8((const unsigned char *)e->name, e->length);
      stat_entry(dirfd(dir), e);
    }
    qsort(entries, count, sizeof *entries, by_walk_key);
    out->in_walk_order = valid;
    out->names = malloc(length ? length : 1);
    out->kinds = malloc(count ? count : 1);
    out->stats = malloc((count ? count : 1) * STAT_FIELDS * sizeof(double));
    if (out->names == NULL || out->kinds == NULL || out->stats == NULL) error = ENOMEM;
  }
  if (!error) {
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
      memcpy(out->names + at, entries[i].name, entries[i].length + 1);
      at += entries[i].length + 1;
      out->kinds[i] = entries[i].kind;
      memcpy(out->stats + i * STAT_FIELDS, entries[i].stats, sizeof entries[i].stats);
    }
    out->count = count;
    out->names_length = length;
  }
  free(entries);
  free(arena);
  closedir(dir);
  if (error) {
    listing_free(out);
    out->error = error;
  }
}

/*
 * One ArrayBuffer per listing, because creating buffers dominated handing listings over (three typed
 * arrays and a string per directory cost ~8 us): a header of two doubles (entry count; flags: 1 when
 * child job ids follow, 2 when the names are well-formed UTF-8 and so already in walk order), then the stats (STAT_FIELDS doubles per entry), the job ids (int32 per entry, when
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
  double header[2] = {(double)n, (children != NULL ? 1 : 0) + (l->in_walk_order ? 2 : 0)};
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
