/*
 * grove's directory scanner, as Node sees it (N-API): one call lists a directory and lstats every entry
 * (fstatat on the open directory, so the kernel resolves one name, not the whole path), in C. An unchanged re-run spends most
 * of its time listing and stat-ing; Node's calls cost about twice the syscalls (a Stats object and four
 * Dates per file) and run on one thread.
 *
 * A scanner also lists ahead of the walk on background threads. Every subdirectory a listing shows
 * becomes a job. The walk takes jobs in walk order (byte order of the path), scanning a job itself when no
 * thread has started it; a background thread always starts the queued job that comes LAST in walk order,
 * then that job's children, so the two work from opposite ends and meet in the middle. The walk drops the
 * jobs of directories it will not enter (ignored ones) with everything found below them. Entries listed
 * and not yet taken are bounded: past the limit the threads wait.
 */
#include <node_api.h>
#include <stdint.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "scanner.h"

#define CHECK(call)                                   \
  do {                                                \
    if ((call) != napi_ok) {                          \
      napi_throw_error(env, NULL, #call " failed"); \
      return NULL;                                    \
    }                                                 \
  } while (0)

static void finalize_scanner(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  scanner_destroy(data);
}

/* A string argument as a malloc'd UTF-8 path, or NULL with an error thrown. */
static char *path_arg(napi_env env, napi_value value, const char *usage) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  char *path = malloc(length + 1);
  if (path == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, value, path, length + 1, &length);
  return path;
}

/* The scanner in argv[0] and the int32 in argv[1] (-1 when absent). */
static scanner *scanner_args(napi_env env, napi_callback_info info, napi_value *second, int32_t *id) {
  size_t argc = 2;
  napi_value argv[2];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_external(env, argv[0], &data) != napi_ok) {
    napi_throw_type_error(env, NULL, "the first argument must be a scanner");
    return NULL;
  }
  if (second != NULL) *second = argc > 1 ? argv[1] : NULL;
  if (id != NULL) {
    *id = -1;
    if (argc > 1) napi_get_value_int32(env, argv[1], id);
  }
  return data;
}

/* createScanner(threads, heldEntryLimit) -> scanner */
static napi_value create_scanner(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t threads = 1;
  int64_t limit = 65536;
  if (argc > 0) napi_get_value_int32(env, argv[0], &threads);
  if (argc > 1) napi_get_value_int64(env, argv[1], &limit);
  scanner *s = scanner_create(threads < 0 ? 0 : threads, limit > 0 ? (size_t)limit : 1);
  if (s == NULL) {
    napi_throw_error(env, "ENOMEM", "createScanner: out of memory");
    return NULL;
  }
  napi_value result;
  CHECK(napi_create_external(env, s, finalize_scanner, NULL, &result));
  return result;
}

/* queue(scanner, path) -> id (-1 once closed): a directory the walk will take (its root). */
static napi_value queue_path(napi_env env, napi_callback_info info) {
  napi_value path_value;
  scanner *s = scanner_args(env, info, &path_value, NULL);
  char *path = s == NULL || path_value == NULL ? NULL : path_arg(env, path_value, "queue(scanner, path)");
  if (path == NULL) return NULL;
  int32_t id = scanner_queue(s, path);
  free(path);
  napi_value result;
  CHECK(napi_create_int32(env, id, &result));
  return result;
}

/* take(scanner, id) -> listing buffer | errno, listing the directory here if queued. */
static napi_value take(napi_env env, napi_callback_info info) {
  int32_t id;
  scanner *s = scanner_args(env, info, NULL, &id);
  if (s == NULL) return NULL;
  job *j = scanner_take(s, id);
  if (j == NULL) {
    napi_throw_error(env, NULL, "no such scan job (taken, dropped, or the scanner is closed)");
    return NULL;
  }
  napi_value result = listing_to_js(env, &j->result, j->children);
  job_free(j);
  return result;
}

/*
 * drop(scanner, id): the walk will not enter this directory; forget it and all found below it. A job
 * already taken or dropped is no error: ids are never reused.
 */
static napi_value drop(napi_env env, napi_callback_info info) {
  int32_t id;
  scanner *s = scanner_args(env, info, NULL, &id);
  if (s != NULL) scanner_drop(s, id);
  return NULL;
}

/* close(scanner): stops the threads and frees every job left. */
static napi_value close_scanner(napi_env env, napi_callback_info info) {
  scanner *s = scanner_args(env, info, NULL, NULL);
  if (s != NULL) scanner_close(s);
  return NULL;
}

/* scan(path) -> listing buffer (no job ids) | errno, on this thread. */
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char *path = path_arg(env, argv[0], "scan(path)");
  if (path == NULL) return NULL;
  listing result = {0};
  scan_directory(path, &result);
  free(path);
  napi_value value = listing_to_js(env, &result, NULL);
  listing_free(&result);
  return value;
}

/*
 * trimNativeHeap() -> whether memory went back to the system. glibc keeps what is freed (SQLite's pages,
 * message buffers, the isolates of replaced workers) in its arenas, fragmented and resident; malloc_trim
 * returns every whole free page of every arena. Elsewhere it does nothing and answers false.
 */
static napi_value trim_native_heap(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#ifdef __GLIBC__
  released = malloc_trim(0);
#endif
  napi_value result;
  CHECK(napi_get_boolean(env, released != 0, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"createScanner", NULL, create_scanner, NULL, NULL, NULL, napi_enumerable, NULL},
      {"queue", NULL, queue_path, NULL, NULL, NULL, napi_enumerable, NULL},
      {"take", NULL, take, NULL, NULL, NULL, napi_enumerable, NULL},
      {"drop", NULL, drop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"scan", NULL, scan, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, close_scanner, NULL, NULL, NULL, napi_enumerable, NULL},
      {"trimNativeHeap", NULL, trim_native_heap, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
