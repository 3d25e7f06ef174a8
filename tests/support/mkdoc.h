/* mkdoc.h: a small document built in memory with every field of the model: sections, a
 * figure and a table with references, a unit over two pages, an outline (one item
 * pointing nowhere), OCR and skipped pages, NULL and non-ASCII strings. For the pack
 * tests and the pack fuzzer, which need a document that exercises every branch. */
#ifndef WK_MKDOC_H
#define WK_MKDOC_H

#include "wukong.h"

/* A new document (4 pages, 8 units; the tables are units 4 and 7); free with wk_doc_free. */
wk_doc *mk_rich_doc(void);

/* Appends a unit with one box on `page`; the pointer is valid until the next unit. */
wk_unit *mk_doc_unit(wk_doc *d, wk_unit_type type, int page, int level, const char *text);

#endif
