/* util.h: small helpers every module shares: errors, growable buffers with ceilings,
 * arenas, UTF-8, time. Internal to libwukong (not installed). */
#ifndef WK_UTIL_H
#define WK_UTIL_H

#include "wukong.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define WK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define WK_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Fills err (when not NULL) with code and a printf-style message; returns code, so that
 * `return wk_set_error(err, WK_EINVAL, "...")` reads naturally. */
int wk_set_error(wk_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wk_clear_error(wk_error *err);

/* malloc family that never returns NULL for a non-zero size: out of memory aborts with a
 * message. Used for the small bookkeeping allocations whose failure we cannot recover
 * from sensibly; big, input-sized allocations use plain malloc and report WK_ENOMEM. */
void *wk_xmalloc(size_t size);
void *wk_xcalloc(size_t count, size_t size);
void *wk_xrealloc(void *ptr, size_t size);
char *wk_xstrdup(const char *s);
char *wk_xstrndup(const char *s, size_t n);

/* Grows an array of `elem` sized items so that it holds at least `need` items.
 * *cap is updated. Aborts on overflow or out of memory. */
void *wk_grow(void *array, int *cap, int need, size_t elem);

/* ---- arena: bump allocation, freed at once ---- */
typedef struct wk_arena wk_arena;
wk_arena *wk_arena_new(void);
void wk_arena_free(wk_arena *arena);
void *wk_arena_alloc(wk_arena *arena, size_t size); /* zeroed, 16-byte aligned */
char *wk_arena_strdup(wk_arena *arena, const char *s); /* NULL stays NULL */
char *wk_arena_strndup(wk_arena *arena, const char *s, size_t n);
size_t wk_arena_used(const wk_arena *arena);

/* ---- buf: a growable byte string with a ceiling ---- */
typedef struct wk_buf {
	char *data;   /* always NUL-terminated when len > 0 or after wk_buf_cstr */
	size_t len;
	size_t cap;
	size_t limit; /* 0 = no limit; appends past it fail and set `full` */
	bool full;
} wk_buf;

void wk_buf_init(wk_buf *b, size_t limit);
void wk_buf_free(wk_buf *b);
bool wk_buf_append(wk_buf *b, const char *data, size_t len);
bool wk_buf_puts(wk_buf *b, const char *s);
bool wk_buf_putc(wk_buf *b, char c);
bool wk_buf_printf(wk_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *wk_buf_cstr(wk_buf *b); /* "" for an empty buffer */
char *wk_buf_steal(wk_buf *b);      /* hands the string to the caller (free with free) */

/* ---- dl: shared libraries opened on first use (dl.c) ----
 * A library that only some commands need is not linked but described here and opened by
 * the first call that needs it; the module that uses it defines the library's functions,
 * each passing the call on through `slots`. Define one as a static with the state zero. */
typedef struct wk_dl_lib {
	const char *what;          /* the library, for messages: "libcurl" */
	const char *package;       /* the Debian package that installs it: "libcurl4" */
	const char *env;           /* a variable naming another file to open instead, or NULL */
	const char *const *files;  /* the files tried in turn, NULL-terminated */
	const char *const *names;  /* the symbols wanted, NULL-terminated */
	void **slots;              /* receives each symbol's address, in the order of names */
	int state;                 /* 0 not tried yet, 1 loaded, -1 failed (then see problem) */
	char problem[300];         /* why loading failed */
} wk_dl_lib;

/* For a module's list of functions, an X-macro FNS(X): `enum { FNS(WK_DL_INDEX) N };`,
 * `static const char *const names[] = {FNS(WK_DL_NAME) NULL};`, and a call passed on as
 * `WK_DL_REAL(slots, name)(args)`. */
#define WK_DL_INDEX(name) WK_DL_##name,
#define WK_DL_NAME(name) #name,
#define WK_DL_REAL(slots, name) ((__typeof__(name) *)(slots)[WK_DL_##name])

/* Opens lib once per process (thread-safe); true when it and every symbol were found. */
bool wk_dl_loaded(wk_dl_lib *lib);
/* WK_OK, or `code` with "PURPOSE needs WHAT: PROBLEM; install PACKAGE". */
int wk_dl_load(wk_dl_lib *lib, int code, const char *purpose, wk_error *err);

/* ---- files ---- */
/* Reads a whole file, at most `limit` bytes (0 = 1 GiB). The caller frees *data. */
int wk_read_file(const char *path, size_t limit, char **data, size_t *len, wk_error *err);
/* Writes atomically: a temporary file in the same folder, fsync, rename. */
int wk_write_file_atomic(const char *path, const void *data, size_t len, wk_error *err);
/* mkdir -p with mode 0755. */
int wk_mkdirs(const char *path, wk_error *err);

/* ---- UTF-8 ---- */
bool wk_utf8_valid(const char *s, size_t len);
/* NFC-normalises; returns a malloc'd string or NULL on invalid input. */
char *wk_utf8_nfc(const char *s);
/* Case-folds and NFKC-normalises (for matching, not for display). malloc'd, NULL on
 * invalid input. */
char *wk_utf8_fold(const char *s);

/* ---- SHA-256, lowercase hex (64 digits and a NUL) ---- */
void wk_sha256_hex(const void *data, size_t len, char out[65]);
/* Streams the file: hashing a large PDF costs little memory. */
int wk_sha256_file(const char *path, char out[65], wk_error *err);

/* ---- wire: fixed-width little-endian records (wire.c) ----
 * Writers append to a wk_buf and return false once it is full. A wk_wire reads from
 * memory it borrows; past the end, or on a count larger than what is left, it sets `bad`
 * and returns zeros and NULLs, so a reader checks `bad` once when done. Strings are a
 * u32 length and the bytes (no NUL); NULL is its own length. */
bool wk_put_u32(wk_buf *b, uint32_t v);
bool wk_put_i32(wk_buf *b, int32_t v);
bool wk_put_f32(wk_buf *b, float v);
bool wk_put_str(wk_buf *b, const char *s);
bool wk_put_i32s(wk_buf *b, const int32_t *v, size_t n);

typedef struct wk_wire {
	const unsigned char *p, *end;
	bool bad;
} wk_wire;

void wk_wire_init(wk_wire *w, const void *data, size_t len);
size_t wk_wire_left(const wk_wire *w);
const void *wk_wire_bytes(wk_wire *w, size_t n); /* into the data; NULL when short */
uint32_t wk_wire_u32(wk_wire *w);
int32_t wk_wire_i32(wk_wire *w);
float wk_wire_f32(wk_wire *w);
/* A count of records of at least min_bytes each: bad when negative or when that many
 * cannot fit in what is left, so that no reader allocates for a lie. */
int wk_wire_count(wk_wire *w, size_t min_bytes);
/* Points into the data (not NUL-terminated); NULL for a NULL string or when bad. */
const char *wk_wire_str(wk_wire *w, size_t *len);
bool wk_wire_i32s(wk_wire *w, int32_t *out, size_t n);

/* ---- time ---- */
double wk_now_ms(void); /* monotonic milliseconds */
/* Sleeps ms milliseconds, the whole of them even when a signal interrupts. */
void wk_sleep_ms(long ms);

/* ---- JSON output ---- */
/* The one way wukong prints JSON (CLI, HTTP API, files): jansson's json_dumps with
 * `flags`, numbers with a fraction in 6 significant digits ("%.6g": 72.2398, 0.0125),
 * whole numbers as integers. malloc'd; NULL when out of memory. docs/api.md. */
struct json_t;
char *wk_json_dumps(const struct json_t *value, size_t flags);

#endif /* WK_UTIL_H */
