/* mkraw.h: hand-made PDF files, object by object, for inputs MuPDF's writer refuses to
 * produce: page tree loops, deep nesting, huge declared images, JavaScript actions,
 * broken cross-reference tables.
 *
 * Objects are numbered from 1 in the order they are reserved; bodies are given as text
 * (printf style) or as a dictionary plus stream bytes. mk_raw_save writes the header, the
 * objects, a correct xref table and a trailer naming `root`. Fixture code: failures abort. */
#ifndef WK_MKRAW_H
#define WK_MKRAW_H

#include <stddef.h>

typedef struct mk_raw mk_raw;

mk_raw *mk_raw_new(void);
/* Reserves the next object number (to refer to it before it is written). */
int mk_raw_reserve(mk_raw *raw);
/* Sets the body of object `num` ("<< /Type /Page ... >>"); returns num. */
int mk_raw_obj(mk_raw *raw, int num, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets object `num` to a stream: `dict` without /Length (added), then the bytes. */
int mk_raw_stream(mk_raw *raw, int num, const char *dict, const void *data, size_t len);
/* Writes the file with a valid xref table; extra text goes into the trailer dictionary
 * (e.g. "/Encrypt 9 0 R"), may be NULL. Frees raw. */
void mk_raw_save(mk_raw *raw, const char *path, int root, const char *trailer_extra);

/* Reads a whole file (malloc'd, *len set); aborts when it cannot. */
unsigned char *mk_read(const char *path, size_t *len);
/* Writes bytes to a file; aborts when it cannot. */
void mk_write(const char *path, const void *data, size_t len);

#endif
