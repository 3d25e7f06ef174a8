/* pg_terms.c: the PostgreSQL library's term statistics: each search page's stemmed terms
 * and their counts, written with COPY.
 *
 * For the same library to rank the same on both backends, a page's terms must be those
 * FTS5 indexes in SQLite (db.c: 'porter unicode61 remove_diacritics 2'). Rather than a
 * second stemmer that would drift from it, FTS5's own tokenizer does the work here,
 * lent by an in-memory SQLite connection. */
#include "db.h"
#include "pg.h"

#include <stdlib.h>
#include <string.h>

#define COPY_CHUNK (1u << 20) /* bytes sent to the server at a time */
#define MAX_PAGE_TERMS (1 << 21) /* distinct terms of a page (its text is 4 MB at most) */

typedef struct tokenizer {
	sqlite3 *db;
	fts5_tokenizer api;
	Fts5Tokenizer *tok;
} tokenizer;

int wk_pg_terms_open(wk_pg *s, wk_error *err)
{
	tokenizer *t = wk_xcalloc(1, sizeof *t);
	s->tokenizer = t;
	fts5_api *fts = NULL;
	void *ctx = NULL;
	const char *args[] = {"unicode61", "remove_diacritics", "2"};
	sqlite3_stmt *st = NULL;
	if (sqlite3_open(":memory:", &t->db) == SQLITE_OK &&
	    sqlite3_prepare_v2(t->db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&fts, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (!fts || fts->xFindTokenizer(fts, "porter", &ctx, &t->api) != SQLITE_OK ||
	    t->api.xCreate(ctx, args, 3, &t->tok) != SQLITE_OK)
		return wk_set_error(err, WK_EINTERNAL, "SQLite's FTS5 porter tokenizer is missing");
	return WK_OK;
}

void wk_pg_terms_close(wk_pg *s)
{
	tokenizer *t = s->tokenizer;
	if (!t)
		return;
	if (t->tok)
		t->api.xDelete(t->tok);
	sqlite3_close(t->db);
	free(t);
	s->tokenizer = NULL;
}

/* A page's distinct terms and their counts: open addressing over the term strings. */
typedef struct term_count {
	char *term; /* NULL: free */
	int tf;
} term_count;

typedef struct page_terms {
	term_count *slot;
	int cap, n;   /* cap a power of two */
	int64_t len;  /* tokens on the page, as FTS5's column size */
	int full;     /* MAX_PAGE_TERMS reached: further new terms are not counted */
} page_terms;

static uint32_t hash_of(const char *p, int n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static term_count *slot_of(term_count *slot, int cap, const char *tok, int n)
{
	for (uint32_t i = hash_of(tok, n) & (uint32_t)(cap - 1);; i = (i + 1) & (uint32_t)(cap - 1))
		if (!slot[i].term || (!strncmp(slot[i].term, tok, (size_t)n) && !slot[i].term[n]))
			return &slot[i];
}

static void grow(page_terms *p)
{
	int cap = p->cap ? p->cap * 2 : 256;
	term_count *slot = wk_xcalloc((size_t)cap, sizeof *slot);
	for (int i = 0; i < p->cap; i++)
		if (p->slot[i].term)
			*slot_of(slot, cap, p->slot[i].term, (int)strlen(p->slot[i].term)) = p->slot[i];
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
}

static int on_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	(void)flags;
	(void)start;
	(void)end;
	page_terms *p = ctx;
	p->len++;
	if (n <= 0)
		return SQLITE_OK;
	if (p->n * 2 >= p->cap && !p->full)
		grow(p);
	term_count *t = slot_of(p->slot, p->cap, tok, n);
	if (!t->term) {
		if (p->n >= MAX_PAGE_TERMS) {
			p->full = 1;
			return SQLITE_OK;
		}
		t->term = wk_xstrndup(tok, (size_t)n);
		p->n++;
	}
	t->tf++;
	return SQLITE_OK;
}

static void page_clear(page_terms *p)
{
	for (int i = 0; i < p->cap; i++)
		free(p->slot[i].term);
	free(p->slot);
	memset(p, 0, sizeof *p);
}

/* A term in COPY's text format: the separators and backslash escaped. */
static void put_copy_text(wk_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r') {
			wk_buf_putc(b, '\\');
			wk_buf_putc(b, *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\');
		} else {
			wk_buf_putc(b, *s);
		}
	}
}

static int send_chunk(wk_pg *s, wk_buf *b, wk_error *err)
{
	if (b->len && PQputCopyData(s->conn, b->data, (int)b->len) != 1)
		return wk_pg_error(s, err, "writing search terms", NULL);
	b->len = 0;
	return WK_OK;
}

/* Tokenizes page p and sends its rows (term, doc, page, tf, len). */
static int copy_page(wk_pg *s, int64_t key, int p, const char *text, wk_buf *b, int64_t *len,
                     wk_error *err)
{
	tokenizer *t = s->tokenizer;
	page_terms pt = {0};
	grow(&pt);
	t->api.xTokenize(t->tok, &pt, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text), on_token);
	int rc = WK_OK;
	for (int i = 0; i < pt.cap && !rc; i++) {
		if (!pt.slot[i].term)
			continue;
		put_copy_text(b, pt.slot[i].term);
		wk_buf_printf(b, "\t%lld\t%d\t%d\t%lld\n", (long long)key, p, pt.slot[i].tf,
		              (long long)pt.len);
		if (b->len >= COPY_CHUNK)
			rc = send_chunk(s, b, err);
	}
	*len = pt.len;
	page_clear(&pt);
	return rc;
}

static int copy_pages(wk_pg *s, int64_t key, const wk_store_put *put, int64_t *tokens,
                      wk_error *err)
{
	wk_buf b;
	wk_buf_init(&b, COPY_CHUNK * 2);
	int rc = WK_OK;
	for (int p = 0; p <= put->doc->npages && !rc; p++) {
		char *own = put->page_text ? NULL
		                           : wk_page_search_text(put->doc, p, wk_base_name(put->path));
		int64_t len = 0;
		rc = copy_page(s, key, p, own ? own : put->page_text[p], &b, &len, err);
		*tokens += len;
		free(own);
	}
	if (!rc)
		rc = send_chunk(s, &b, err);
	wk_buf_free(&b);
	return rc;
}

int wk_pg_terms_write(wk_pg *s, int64_t key, const wk_store_put *put, int *pages,
                      int64_t *tokens, wk_error *err)
{
	*pages = put->doc->npages + 1;
	*tokens = 0;
	PGresult *res = PQexec(s->conn, "COPY postings(term, doc, page, tf, len) FROM STDIN");
	int ok = PQresultStatus(res) == PGRES_COPY_IN;
	if (!ok)
		wk_pg_error(s, err, "writing search terms", res);
	PQclear(res);
	if (!ok)
		return WK_EDB;
	int rc = copy_pages(s, key, put, tokens, err);
	if (PQputCopyEnd(s->conn, rc ? "cancelled" : NULL) != 1 && !rc)
		rc = wk_pg_error(s, err, "writing search terms", NULL);
	while ((res = PQgetResult(s->conn))) {
		if (!rc && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = wk_pg_error(s, err, "writing search terms", res);
		PQclear(res);
	}
	return rc;
}

typedef struct query_tokens {
	char *first;
	int n;
} query_tokens;

static int on_query_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	(void)flags;
	(void)start;
	(void)end;
	query_tokens *q = ctx;
	if (q->n++ == 0)
		q->first = wk_xstrndup(tok, (size_t)WK_MAX(n, 0));
	return SQLITE_OK;
}

char *wk_pg_stem(wk_pg *s, const char *term)
{
	tokenizer *t = s->tokenizer;
	query_tokens q = {NULL, 0};
	t->api.xTokenize(t->tok, &q, FTS5_TOKENIZE_QUERY, term, (int)strlen(term), on_query_token);
	if (q.n != 1) { /* several tokens make a phrase; stage 1 on PostgreSQL searches words */
		free(q.first);
		return NULL;
	}
	return q.first;
}
