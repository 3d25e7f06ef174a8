/* pg.h: the PostgreSQL backend's connection and schema. Internal to src/store/.
 *
 * A library named by a postgresql:// (or postgres://) URI lives in the tables of the
 * URI's database, in its current schema (search_path: one database may hold several
 * libraries, one per schema). Schema (version WK_PG_SCHEMA in wk_meta):
 *   wk_meta(name, value)                   'app' = WK_DB_APP_ID, 'schema' = the version
 *   docs(key, id, hash, name, path, title, npages, nunits, tokens, added, bytes, pack, ix,
 *        spages, stokens)                  spages, stokens: the document's search pages
 *                                          (npages + 1: page 0 is its head) and tokens,
 *                                          summed for BM25's row count and mean length
 *   postings(term, doc, part, n, pl)       one row per stemmed term of a document (part:
 *                                          per WK_PG_PART pages it is on): pl holds n
 *                                          entries (page, tf, page length), int4send'ed;
 *                                          the key includes n and pl (index-only reads)
 *   files(hash, data)                      an uploaded PDF, which serve renders pages from
 *   vectors(doc, model, dim, vec)          unit vectors of one embedding model (schema 4)
 * Every write takes the library's advisory write lock (one writer at a time, as SQLite)
 * and is one transaction, so a killed writer leaves a document whole or absent.
 *
 * Connection settings come from the URI alone (and libpq's usual environment and
 * PGPASSFILE); messages name the library by its URI without the password. */
#ifndef WK_STORE_PG_H
#define WK_STORE_PG_H

#include "docrank.h"
#include "store.h"

#include <libpq-fe.h>

#define WK_PG_SCHEMA 4

/* A postings row holds at most WK_PG_PART entries of WK_PG_ENTRY_INTS int32s, and a term
 * at most WK_PG_MAX_TERM bytes, so that a key (with its included pl) stays under
 * PostgreSQL's limit of a third of an index page (2,704 bytes): 512 + 64 x 12 + headers. */
#define WK_PG_PART 64
#define WK_PG_ENTRY_INTS 3
#define WK_PG_MAX_TERM 512
#define WK_PG_PREPARED 48 /* statements a connection prepares (the rest are planned each time) */

typedef struct wk_pg {
	wk_store base;
	PGconn *conn;
	char *uri;     /* as given: clones connect with it */
	char *display; /* the URI without its password, for messages */
	void *tokenizer; /* the FTS5 tokenizer stage 1 stems with (pg_terms.c) */
	char *prepared[WK_PG_PREPARED]; /* statement i is "wk<i>" on this connection */
	int nprepared;
} wk_pg;

/* Loads libpq (pq_load.c) unless it is loaded: WK_EDB with a one-line message saying what
 * to install when it cannot be. */
int wk_pq_load(wk_error *err);

/* 1 when `path` names a library by URI (any scheme://). */
int wk_pg_is_uri(const char *path);

/* Connects, checks and migrates the schema. Unreachable server: WK_EDB with one line. */
int wk_pg_store_open(const char *uri, wk_store **out, wk_error *err);
/* The same into s (pg_db.c); on failure s holds what close must free. */
int wk_pg_connect(const char *uri, wk_pg *s, wk_error *err);

/* Fills err with WK_EDB, the library's name and PostgreSQL's message (first line);
 * returns WK_EDB. */
int wk_pg_error(wk_pg *s, wk_error *err, const char *what, const PGresult *res);

/* Makes sure the connection is up, reconnecting once when the server went away
 * (restarted, or reachable again): a long-lived handle (the server's) recovers. */
int wk_pg_alive(wk_pg *s, wk_error *err);

/* Runs `sql` with text parameters (NULL = SQL NULL); binary = 1 returns binary columns.
 * Returns the result when it is tuples or command-ok, else NULL with err filled. */
PGresult *wk_pg_query(wk_pg *s, const char *sql, int n, const char *const *params,
                      int binary, wk_error *err);

/* The name of sql prepared on this connection ("wk<i>"), preparing it the first time; 0
 * when it cannot be (the table is full, or the transaction failed: the caller runs it
 * unprepared, which reports the error). */
int wk_pg_prepared(wk_pg *s, const char *sql, int n, char name[16]);
/* Frees the table of prepared statements (the session ended). */
void wk_pg_forget_prepared(wk_pg *s);

/* Runs statements without parameters or results. */
int wk_pg_exec(wk_pg *s, const char *sql, wk_error *err);

/* Begins a write transaction holding the library's write lock. */
int wk_pg_begin_write(wk_pg *s, wk_error *err);
/* Commits when rc is WK_OK, else rolls back; returns rc or the commit's error. */
int wk_pg_end(wk_pg *s, int rc, wk_error *err);

/* ---- pg_store.c ---- */
int wk_pg_put(wk_store *store, const wk_store_put *put, wk_doc_info *info, int *status,
              wk_error *err);
int wk_pg_by_hash(wk_store *store, const char *hash, wk_doc_info *info, wk_error *err);

/* ---- pg_terms.c: the search terms of pages, stemmed as SQLite's FTS5 stems them ---- */

/* Creates the tokenizer (an in-memory SQLite connection lends FTS5's porter). */
int wk_pg_terms_open(wk_pg *s, wk_error *err);
void wk_pg_terms_close(wk_pg *s);
/* One document's search terms, counted before its transaction. */
typedef struct wk_pg_terms wk_pg_terms;
int wk_pg_terms_count(wk_pg *s, const wk_store_put *put, wk_pg_terms **out, wk_error *err);
/* The sums docs keeps: search pages and their tokens. */
void wk_pg_terms_sums(const wk_pg_terms *d, int *pages, int64_t *tokens);
/* Writes the postings of document `key` (inside the put's transaction). */
int wk_pg_terms_write(wk_pg *s, int64_t key, wk_pg_terms *d, wk_error *err);
void wk_pg_terms_free(wk_pg_terms *d);
/* The stemmed form of a query term, as FTS5 reads the phrase "term"; NULL when it is not
 * one token. Malloc'd. */
char *wk_pg_stem(wk_pg *s, const char *term);

/* A text[] literal of the terms: each quoted, quotes and backslashes escaped. Malloc'd. */
char *wk_pg_text_array(const wk_term_df *t, int n);

/* Stage 1's one read of the postings: $1 the terms (text[]), $2 rows per term at most
 * (NULL: all). bench/library shows its plan. */
#define WK_PG_POSTINGS_SQL                                                                   \
	"SELECT (u.i - 1)::int4, p.doc, p.n, p.pl FROM unnest($1::text[]) WITH ORDINALITY AS "     \
	"u(t, i) CROSS JOIN LATERAL (SELECT doc, n, pl FROM postings WHERE term = u.t LIMIT $2) p"

extern const wk_vector_ops wk_pg_vectors; /* pg_vectors.c */

int wk_pg_rank(wk_store *store, const char *const *terms, int nterms, wk_doc_hit *hits,
               int cap, int *n, wk_error *err);

#endif /* WK_STORE_PG_H */
