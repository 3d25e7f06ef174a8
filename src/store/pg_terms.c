/* pg_terms.c: the PostgreSQL library's term statistics: each document's stemmed terms with
 * the pages they are on, their counts there and the pages' lengths, written with COPY.
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
#define MAX_DOC_TERMS (1 << 23)  /* distinct terms of a document */
#define MAX_DOC_ENTRIES ((int64_t)1 << 28) /* (term, page) pairs of a document: 3 GB of lists */

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

/* Distinct terms and a value each (a page: the term's count; a document: its list):
 * open addressing over the term strings, which the map owns. */
typedef struct term_slot {
	char *term; /* NULL: free */
	int value;
} term_slot;

typedef struct term_map {
	term_slot *slot;
	int cap, n; /* cap a power of two */
} term_map;

static uint32_t hash_of(const char *p, int n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (int i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

static term_slot *slot_of(term_slot *slot, int cap, const char *tok, int n)
{
	for (uint32_t i = hash_of(tok, n) & (uint32_t)(cap - 1);; i = (i + 1) & (uint32_t)(cap - 1))
		if (!slot[i].term || (!strncmp(slot[i].term, tok, (size_t)n) && !slot[i].term[n]))
			return &slot[i];
}

static void grow(term_map *m)
{
	int cap = m->cap ? m->cap * 2 : 256;
	term_slot *slot = wk_xcalloc((size_t)cap, sizeof *slot);
	for (int i = 0; i < m->cap; i++)
		if (m->slot[i].term)
			*slot_of(slot, cap, m->slot[i].term, (int)strlen(m->slot[i].term)) = m->slot[i];
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
}

/* The slot of tok, added with value -1 when new; NULL when the map holds `max` terms. */
static term_slot *map_get(term_map *m, const char *tok, int n, int max)
{
	if (m->n * 2 >= m->cap)
		grow(m);
	term_slot *t = slot_of(m->slot, m->cap, tok, n);
	if (!t->term) {
		if (m->n >= max)
			return NULL;
		t->term = wk_xstrndup(tok, (size_t)n);
		t->value = -1;
		m->n++;
	}
	return t;
}

static void map_clear(term_map *m)
{
	for (int i = 0; i < m->cap; i++)
		free(m->slot[i].term);
	free(m->slot);
	memset(m, 0, sizeof *m);
}

typedef struct page_count {
	term_map map; /* value: the term's count on the page */
	int64_t len;  /* tokens on the page, as FTS5's column size */
} page_count;

static int on_token(void *ctx, int flags, const char *tok, int n, int start, int end)
{
	(void)flags;
	(void)start;
	(void)end;
	page_count *p = ctx;
	p->len++;
	/* A term longer than a key can be is not searchable here (pg.h). */
	term_slot *t = n > 0 && n <= WK_PG_MAX_TERM ? map_get(&p->map, tok, n, MAX_PAGE_TERMS) : NULL;
	if (t)
		t->value = t->value < 0 ? 1 : t->value + 1;
	return SQLITE_OK;
}

/* A term's entries in one document: (page, count, page length) per page it is on. */
typedef struct term_list {
	const char *term; /* the document map's string */
	int32_t *entry;   /* WK_PG_ENTRY_INTS per page */
	int n, cap;       /* pages */
} term_list;

struct wk_pg_terms {
	term_map map;     /* value: index in list */
	term_list *list;
	int nlist, cap_list;
	int pages;
	int64_t tokens;
	int64_t entries;
};

/* Adds page p's counts to the document's lists. */
static int add_page(wk_pg_terms *d, int p, const page_count *pc, wk_error *err)
{
	for (int i = 0; i < pc->map.cap; i++) {
		const term_slot *pt = &pc->map.slot[i];
		if (!pt->term)
			continue;
		term_slot *t = map_get(&d->map, pt->term, (int)strlen(pt->term), MAX_DOC_TERMS);
		if (!t || d->entries >= MAX_DOC_ENTRIES)
			return wk_set_error(err, WK_ELIMIT, "too many distinct words for the search");
		if (t->value < 0) {
			d->list = wk_grow(d->list, &d->cap_list, d->nlist + 1, sizeof *d->list);
			d->list[d->nlist] = (term_list){t->term, NULL, 0, 0};
			t->value = d->nlist++;
		}
		term_list *l = &d->list[t->value];
		if (l->n * WK_PG_ENTRY_INTS + WK_PG_ENTRY_INTS > l->cap)
			l->entry = wk_grow(l->entry, &l->cap, l->n * WK_PG_ENTRY_INTS + WK_PG_ENTRY_INTS,
			                   sizeof *l->entry);
		int32_t *e = &l->entry[l->n++ * WK_PG_ENTRY_INTS];
		e[0] = p;
		e[1] = pt->value;
		e[2] = (int32_t)WK_MIN(pc->len, INT32_MAX);
		d->entries++;
	}
	return WK_OK;
}

void wk_pg_terms_free(wk_pg_terms *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->nlist; i++)
		free(d->list[i].entry);
	free(d->list);
	map_clear(&d->map);
	free(d);
}

int wk_pg_terms_count(wk_pg *s, const wk_store_put *put, wk_pg_terms **out, wk_error *err)
{
	tokenizer *t = s->tokenizer;
	wk_pg_terms *d = wk_xcalloc(1, sizeof *d);
	int rc = WK_OK;
	for (int p = 0; p <= put->doc->npages && !rc; p++) {
		char *own = put->page_text ? NULL
		                           : wk_page_search_text(put->doc, p, wk_base_name(put->path));
		const char *text = own ? own : put->page_text[p];
		page_count pc = {0};
		t->api.xTokenize(t->tok, &pc, FTS5_TOKENIZE_DOCUMENT, text, (int)strlen(text), on_token);
		rc = add_page(d, p, &pc, err);
		d->tokens += pc.len;
		map_clear(&pc.map);
		free(own);
	}
	d->pages = put->doc->npages + 1;
	if (rc) {
		wk_pg_terms_free(d);
		d = NULL;
	}
	*out = d;
	return rc;
}

void wk_pg_terms_sums(const wk_pg_terms *d, int *pages, int64_t *tokens)
{
	*pages = d->pages;
	*tokens = d->tokens;
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

/* Entries as bytea in COPY text: \\x and each int32 in big-endian hex (int4send). */
static void put_entries(wk_buf *b, const int32_t *e, int n)
{
	static const char hex[] = "0123456789abcdef";
	wk_buf_puts(b, "\\\\x");
	for (int i = 0; i < n * WK_PG_ENTRY_INTS; i++) {
		char out[8];
		uint32_t v = (uint32_t)e[i];
		for (int k = 0; k < 8; k++)
			out[k] = hex[(v >> (28 - 4 * k)) & 15];
		wk_buf_append(b, out, 8);
	}
}

static int send_chunk(wk_pg *s, wk_buf *b, wk_error *err)
{
	if (b->len && PQputCopyData(s->conn, b->data, (int)b->len) != 1)
		return wk_pg_error(s, err, "writing search terms", NULL);
	b->len = 0;
	return WK_OK;
}

static int by_term(const void *a, const void *b)
{
	return strcmp(((const term_list *)a)->term, ((const term_list *)b)->term);
}

/* The rows (term, doc, part, n, pl), in the key's order: each insert lands next to the
 * previous one in the index. */
static int copy_rows(wk_pg *s, int64_t key, wk_pg_terms *d, wk_error *err)
{
	qsort(d->list, (size_t)d->nlist, sizeof *d->list, by_term);
	wk_buf b;
	wk_buf_init(&b, COPY_CHUNK * 2);
	int rc = WK_OK;
	for (int i = 0; i < d->nlist && !rc; i++) {
		const term_list *l = &d->list[i];
		for (int part = 0; part * WK_PG_PART < l->n && !rc; part++) {
			int n = WK_MIN(WK_PG_PART, l->n - part * WK_PG_PART);
			put_copy_text(&b, l->term);
			wk_buf_printf(&b, "\t%lld\t%d\t%d\t", (long long)key, part, n);
			put_entries(&b, &l->entry[part * WK_PG_PART * WK_PG_ENTRY_INTS], n);
			wk_buf_putc(&b, '\n');
			if (b.len >= COPY_CHUNK)
				rc = send_chunk(s, &b, err);
		}
	}
	if (!rc)
		rc = send_chunk(s, &b, err);
	wk_buf_free(&b);
	return rc;
}

int wk_pg_terms_write(wk_pg *s, int64_t key, wk_pg_terms *d, wk_error *err)
{
	PGresult *res = PQexec(s->conn, "COPY postings(term, doc, part, n, pl) FROM STDIN");
	int ok = PQresultStatus(res) == PGRES_COPY_IN;
	if (!ok)
		wk_pg_error(s, err, "writing search terms", res);
	PQclear(res);
	if (!ok)
		return WK_EDB;
	int rc = copy_rows(s, key, d, err);
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
	/* Several tokens make a phrase; stage 1 on PostgreSQL searches words, of a key's length. */
	if (q.n != 1 || strlen(q.first) > WK_PG_MAX_TERM) {
		free(q.first);
		return NULL;
	}
	return q.first;
}
