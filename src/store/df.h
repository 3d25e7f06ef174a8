/* df.h: how many pages hold each search term, for stage 1. Internal to src/store/.
 *
 * FTS5 counts them (one query for all terms), each only up to a bound: a common term's
 * count is not needed, only that it is common, and counting it to the end is most of the
 * cost. The connection remembers the counts until the library changes: the same words
 * come back from question to question on a long-lived handle (the server). */
#ifndef WK_STORE_DF_H
#define WK_STORE_DF_H

#include "db.h"

/* The FTS5 query of the terms: every one quoted (so that none is read as an operator),
 * OR'ed. Malloc'd. */
char *wk_fts5_or(const char *const *terms, int n);

/* df[i] = pages holding terms[i] (a phrase, as in an FTS5 query), counted up to `limit`
 * (the count is min(pages, limit)); limit < 0 counts all. */
int wk_df_count(sqlite3 *db, const char *const *terms, int n, int64_t limit, double *df,
                wk_error *err);

#endif /* WK_STORE_DF_H */
