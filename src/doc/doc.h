/* doc.h: building wk_doc values (the parser, the JSON reader and tests use it).
 *
 * A wk_doc owns an arena; every string and array reachable from it lives there, except
 * the growable arrays below (units, boxes of the unit being built), which the builder
 * keeps in malloc'd memory until wk_doc_finish. Internal to libwukong. */
#ifndef WK_DOC_H
#define WK_DOC_H

#include "../util/util.h"

/* A new, empty document that owns a fresh arena. Never NULL. */
wk_doc *wk_doc_new(void);

/* Copies a string into the document's arena. NULL stays NULL. */
const char *wk_doc_str(wk_doc *doc, const char *s);
const char *wk_doc_strn(wk_doc *doc, const char *s, size_t n);

/* Sets npages and allocates `pages` (all zero, status WK_OK, label ""). Call once. */
void wk_doc_set_pages(wk_doc *doc, int npages);

/* Appends a unit with idx set, section -1, everything else zero. The pointer is valid
 * until the next call of wk_doc_add_unit. */
wk_unit *wk_doc_add_unit(wk_doc *doc, wk_unit_type type);

/* Appends a box to a unit (the unit's page is set from its first box). */
void wk_doc_add_box(wk_doc *doc, wk_unit *unit, wk_box box);

/* Sets a unit's refs (copied). */
void wk_doc_set_refs(wk_doc *doc, wk_unit *unit, const int *refs, int n);

/* Gives a table unit its grid: copies `table` and its cells (texts included) into the
 * document's arena. `table->continues` is copied as is. */
void wk_doc_set_table(wk_doc *doc, wk_unit *unit, const wk_table *table);

/* Sets the `continues` of a unit's grid (the parser links parts once all units exist);
 * nothing when the unit has no grid. */
void wk_doc_set_continues(wk_doc *doc, wk_unit *unit, int continues);

/* Whether a grid read from outside (JSON, a pack) is whole: every cell and span inside
 * nrows x ncols, spans >= 1, a known kind, header_rows/stub_cols within the grid, and
 * `continues` -1 or an earlier unit than `idx`. The readers refuse the document otherwise,
 * so that consumers may index by row and col without checking. */
bool wk_table_valid(const wk_table *table, int idx);

/* Appends an outline entry. */
void wk_doc_add_outline(wk_doc *doc, int level, int page, const char *title);

/* Builds doc->sections and every unit's `section` from the heading units and their
 * levels, and trims the growable arrays. Call after the last unit is added. */
void wk_doc_finish(wk_doc *doc);

/* The cache folder, $XDG_CACHE_HOME/wukong or ~/.cache/wukong (cache.c); malloc'd, NULL
 * when neither is set. Nothing is created. */
char *wk_cache_dir(void);

/* ---- packs (pack.c): a document in binary, for the library ----
 * Bump WK_DOC_PACK_VERSION whenever the layout changes: a pack of another version is
 * refused (WK_EPROTO) and its document parsed again. */
#define WK_DOC_PACK_VERSION 2

/* Appends the pack of doc to out; WK_ELIMIT when out's ceiling is reached. */
int wk_doc_pack(const wk_doc *doc, wk_buf *out, wk_error *err);

/* Reads a pack (borrowed) into a new document the caller frees with wk_doc_free.
 * WK_EPROTO for a damaged pack or one of another version. */
int wk_doc_unpack(const void *data, size_t len, wk_doc **out, wk_error *err);

#endif /* WK_DOC_H */
