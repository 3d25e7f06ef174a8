/* internal.h: what the SQLite store's files share. Internal to src/store/. */
#ifndef WK_STORE_INTERNAL_H
#define WK_STORE_INTERNAL_H

#include "db.h"

/* The columns wk_sqlite_info reads, in its order. */
#define INFO_COLUMNS "key, id, hash, name, path, title, npages, nunits, added, bytes"

/* Fills info (malloc'd strings) from a row of INFO_COLUMNS. */
void wk_sqlite_info(sqlite3_stmt *st, wk_doc_info *info);

/* Runs a query of INFO_COLUMNS with one text parameter; see sqlite.c. */
int wk_sqlite_one(wk_sqlite *s, const char *sql, const char *arg, wk_doc_info *info,
                  int *found, int *ambiguous, wk_error *err);

/* Runs `sql` (one text parameter, one integer column): *key is the first row's value,
 * -1 when there is none. */
int wk_sqlite_key(wk_sqlite *s, const char *sql, const char *arg, int64_t *key,
                  wk_error *err);

/* Deletes a document and its units, pages and search rows (inside a transaction). */
int wk_sqlite_delete(wk_sqlite *s, int64_t key, wk_error *err);

int wk_sqlite_put(wk_store *store, const wk_store_put *put, wk_doc_info *info, int *status,
                  wk_error *err);
extern const wk_vector_ops wk_sqlite_vectors; /* vectors.c */
int wk_sqlite_rank(wk_store *store, const char *const *terms, int nterms, wk_doc_hit *hits,
                   int cap, int *n, wk_error *err);

#endif /* WK_STORE_INTERNAL_H */
