/* df.c: page counts of search terms, counted by FTS5 and kept by the connection. */
#include "df.h"

#include "bm25.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS 8192          /* power of two */
#define MAX_KEPT (SLOTS / 2) /* then the table starts afresh: a ceiling, and short probes */
#define POINTER_TYPE "wk_df"

typedef struct df_entry {
	char *term;    /* NULL: a free slot */
	double n;      /* pages counted */
	int64_t limit; /* counted up to it; n < limit or limit < 0: the exact count */
} df_entry;

/* The connection's counts, freed when it closes (the function's user data). */
typedef struct df_cache {
	sqlite3 *db;
	unsigned version; /* SQLITE_FCNTL_DATA_VERSION the counts hold for */
	df_entry *slot;
	int kept;
} df_cache;

typedef struct df_request {
	const char *const *terms;
	int n;
	int64_t limit;
	double *df;
} df_request;

static void cache_clear(df_cache *c)
{
	for (int i = 0; i < SLOTS; i++) {
		free(c->slot[i].term);
		c->slot[i].term = NULL;
	}
	c->kept = 0;
}

static void cache_free(void *p)
{
	df_cache *c = p;
	if (!c)
		return;
	cache_clear(c);
	free(c->slot);
	free(c);
}

static df_entry *find(df_cache *c, const char *term)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = term; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (uint32_t i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1))
		if (!c->slot[i].term || !strcmp(c->slot[i].term, term))
			return &c->slot[i];
}

/* A kept count answers when exact, or when counted up to a bound at least `limit`. */
static int answers(const df_entry *e, int64_t limit, double *n)
{
	if (!e->term)
		return 0;
	if (e->limit < 0 || e->n < e->limit) {
		*n = limit >= 0 && e->n > limit ? (double)limit : e->n;
		return 1;
	}
	if (limit < 0 || limit > e->limit)
		return 0;
	*n = (double)limit;
	return 1;
}

typedef struct counter {
	double n;
	int64_t limit;
} counter;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	(void)api;
	(void)fts;
	counter *k = user;
	return ++k->n >= k->limit && k->limit >= 0 ? SQLITE_DONE : SQLITE_OK;
}

/* The count of phrase i, from the cache or from FTS5 (then kept). */
static int phrase_count(const Fts5ExtensionApi *api, Fts5Context *fts, df_cache *c,
                        const df_request *r, int i)
{
	df_entry *e = find(c, r->terms[i]);
	if (answers(e, r->limit, &r->df[i]))
		return SQLITE_OK;
	counter k = {0, r->limit};
	int rc = k.limit == 0 ? SQLITE_OK : api->xQueryPhrase(fts, i, &k, count_row);
	if (rc != SQLITE_OK)
		return rc;
	r->df[i] = k.n;
	if (!e->term) {
		if (c->kept >= MAX_KEPT) {
			cache_clear(c);
			e = find(c, r->terms[i]);
		}
		e->term = wk_xstrdup(r->terms[i]);
		c->kept++;
	}
	e->n = k.n;
	e->limit = r->limit;
	return SQLITE_OK;
}

/* wk_df(page_fts, request) on any row of the OR of the request's terms: fills its df. */
static void phrase_counts(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                          int nval, sqlite3_value **val)
{
	df_request *r = nval == 1 ? sqlite3_value_pointer(val[0], POINTER_TYPE) : NULL;
	df_cache *c = api->xUserData(fts);
	if (!r || !c || api->xPhraseCount(fts) != r->n) {
		sqlite3_result_error(ctx, "wk_df: expects the request of its query", -1);
		return;
	}
	unsigned version = 0;
	sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION, &version);
	if (version != c->version) {
		cache_clear(c);
		c->version = version;
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < r->n && rc == SQLITE_OK; i++)
		rc = phrase_count(api, fts, c, r, i);
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else
		sqlite3_result_int(ctx, 1);
}

static int add_counter(sqlite3 *db, wk_error *err)
{
	df_cache *c = wk_xcalloc(1, sizeof *c);
	c->db = db;
	c->slot = wk_xcalloc(SLOTS, sizeof *c->slot);
	return wk_fts5_function(db, "wk_df", c, phrase_counts, cache_free, err);
}

/* The FTS5 query: every term quoted (so that none is read as an operator), OR'ed. */
char *wk_fts5_or(const char *const *terms, int n)
{
	wk_buf b;
	wk_buf_init(&b, 64 * 1024);
	for (int i = 0; i < n; i++) {
		if (i)
			wk_buf_puts(&b, " OR ");
		wk_buf_putc(&b, '"');
		for (const char *p = terms[i]; *p; p++)
			wk_buf_append(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		wk_buf_putc(&b, '"');
	}
	return wk_buf_steal(&b);
}

int wk_df_count(sqlite3 *db, const char *const *terms, int n, int64_t limit, double *df,
                wk_error *err)
{
	sqlite3_stmt *st = wk_fts5_prepare(db, "SELECT wk_df(page_fts, ?2) FROM page_fts WHERE "
	                                       "page_fts MATCH ?1 LIMIT 1",
	                                   add_counter, err);
	if (!st)
		return WK_EDB;
	df_request r = {terms, n, limit, df};
	for (int i = 0; i < n; i++)
		df[i] = 0; /* when no page holds any term, the query has no row */
	sqlite3_bind_text(st, 1, wk_fts5_or(terms, n), -1, free);
	sqlite3_bind_pointer(st, 2, &r, POINTER_TYPE, NULL);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return wk_db_error(db, err, "counting the pages of the question's words");
	return WK_OK;
}
