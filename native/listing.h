/* One directory's listing as the scanner returns it: names in walk order, each with its lstat. */
#ifndef GROVE_LISTING_H
#define GROVE_LISTING_H

#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/* Entry kinds, as the walk numbers them; UNKNOWN when the entry's lstat failed (it vanished, say). */
enum { KIND_UNKNOWN = 0, KIND_FILE = 1, KIND_DIR = 2, KIND_LINK = 3, KIND_OTHER = 4 };
/* Per entry: size, mtimeMs, ino, dev, as Node's fs.Stats computes them. */
#define STAT_FIELDS 4

typedef struct listing {
  int error;      /* errno of opening or reading the directory; 0 when listed */
  int in_walk_order; /* names well-formed UTF-8, sorted as the walk orders them (a directory as `name/`) */
  size_t count;
  char *names;    /* `count` names, each ended by a NUL */
  size_t names_length;
  uint8_t *kinds;
  double *stats;
} listing;

/* Lists `path` into `out` (out->error set when it cannot be listed). */
void scan_directory(const char *path, listing *out);
/* The listing as one ArrayBuffer (layout in listing.c), or the errno as a number. */
napi_value listing_to_js(napi_env env, const listing *listing, const int32_t *children);
void listing_free(listing *listing);

#endif
