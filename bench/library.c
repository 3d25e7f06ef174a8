/* library.c: the document library's benchmark, in one run:
 *   1. indexing throughput next to plain parse throughput (MMLongBench-Doc documents,
 *      each parsed, then added, one thread each way) and their ratio;
 *   2. a library of about 1,000 documents / 30,000 pages: the real documents of
 *      ../shared/data (MMLongBench-Doc, papers, QASPER) plus synthetic documents made from
 *      the papers' units with varied words, written straight through the store API
 *      (parsing 30,000 real pages does not fit the machine's time);
 *   3. `ask --library` latency p50/p95 in process, and of the command for a sample;
 *   4. database size per page;
 *   5. evidence recall across the library: every MMLongBench-Doc question asked of the
 *      whole library: document hit rate, page recall @2048 next to the same question
 *      asked of its own document alone.
 *
 * usage: bench/library [--data DIR] [--db FILE|URI] [--docs N] [--pages N] [--cli N]
 *                      [--reuse 1]
 * Needs ../shared/data (or --data); says so and stops when it is absent. --db
 * postgresql://... measures the PostgreSQL backend: the library must be empty (a fresh
 * database or schema, e.g. from scripts/pgtmp.sh), and indexing is timed in one pass
 * (the alternating rounds need a library per round). --reuse 1 asks an existing bench
 * library again; with --docs (and --pages) above its size it first grows it with more
 * synthetic documents: `--reuse 1 --docs 10000 --pages 300000` after a run of the default
 * size measures the 10,000-document library, the writing rate as it grows included. */
#include "../src/doc/doc.h"
#include "../src/eval/eval.h"
#include "../src/store/db.h"
#include "../src/store/pg.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct bench {
	const char *data, *db, *bin;
	int target_docs, target_pages, cli_runs;
	wk_library *lib;
	char **real_paths;   /* MMLongBench-Doc documents, by name */
	char (*real_ids)[17];
	int nreal;
	wk_doc **pool;       /* parsed papers the synthetic documents are made of */
	int npool, cap_pool;
	char **words;        /* words to vary synthetic text with */
	int nwords, cap_words;
	int docs, pages;     /* in the library */
	int reuse;
	unsigned rng;
} bench;

static unsigned rnd(bench *b)
{
	b->rng = b->rng * 1664525u + 1013904223u;
	return b->rng >> 8;
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	return clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

/* CPU time (user + system) of the PostgreSQL backend serving the library's connection,
 * read from /proc (a server on this machine); -1 for SQLite or a remote server. */
static double server_cpu_ms(bench *b)
{
	if (!strcmp(b->lib->store->ops->name, "sqlite"))
		return -1;
	char path[64], line[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", PQbackendPID(((wk_pg *)b->lib->store)->conn));
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(line, 1, sizeof line - 1, f) : 0;
	if (f)
		fclose(f);
	line[n] = '\0';
	const char *p = strrchr(line, ')'); /* the command name may hold spaces */
	unsigned long long utime = 0, stime = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
	                 &stime) != 2)
		return -1;
	return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static char **list_pdfs(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	char **out = NULL;
	int cap = 0;
	*n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".pdf"))
			continue;
		out = wk_grow(out, &cap, *n + 1, sizeof *out);
		wk_buf p;
		wk_buf_init(&p, 0);
		wk_buf_printf(&p, "%s/%s", dir, e->d_name);
		out[(*n)++] = wk_buf_steal(&p);
	}
	if (d)
		closedir(d);
	return out;
}

static void die(const char *what, const wk_error *err)
{
	fprintf(stderr, "bench/library: %s: %s\n", what, err ? err->message : "");
	exit(1);
}

static void on_real(void *user, const char *path, int rc, int status, const wk_doc_info *info,
                    const wk_error *err)
{
	bench *b = user;
	(void)status, (void)err;
	for (int i = 0; !rc && i < b->nreal; i++)
		if (!strcmp(b->real_paths[i], path))
			memcpy(b->real_ids[i], info->id, 17);
	if (!rc) {
		b->docs++;
		b->pages += info->npages;
	}
}

#define ROUNDS 3

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median3(double v[ROUNDS])
{
	qsort(v, ROUNDS, sizeof *v, by_value);
	return v[ROUNDS / 2];
}

/* Parses every real document once with one thread; returns the pages parsed. */
static long parse_all(bench *b, const wk_parse_opts *po, int *skipped)
{
	long pages = 0;
	*skipped = 0;
	for (int i = 0; i < b->nreal; i++) {
		wk_doc *doc = NULL;
		if (wk_parse_file(b->real_paths[i], po, &doc, NULL) == WK_OK)
			pages += doc->npages;
		else
			(*skipped)++;
		wk_doc_free(doc);
	}
	return pages;
}

static void add_all(bench *b, wk_library *lib, const wk_parse_opts *po)
{
	wk_add_opts opts = {.jobs = 1, .parse = po, .on_file = on_real, .user = b};
	wk_error err = {0};
	if (wk_library_add_many(lib, (const char *const *)b->real_paths, b->nreal, &opts, NULL, &err))
		die("add", &err);
}

/* A library of its own for one timed round, removed after. */
static double timed_add(bench *b, const wk_parse_opts *po, int round)
{
	char path[4200];
	snprintf(path, sizeof path, "%s.round%d", b->db, round);
	wk_library *lib = NULL;
	wk_error err = {0};
	if (wk_library_open(path, &lib, &err))
		die(path, &err);
	int docs = b->docs, pages = b->pages;
	double t0 = wk_now_ms();
	add_all(b, lib, po);
	double ms = wk_now_ms() - t0;
	wk_library_close(lib);
	const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < WK_ARRAY_LEN(suffixes); i++) {
		char p[4300];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
	b->docs = docs;
	b->pages = pages;
	return ms;
}

/* 1. Throughput: the documents parsed (one thread), then added as `wukong add --jobs 1`
 * does (one parse thread, the writer beside it), in alternating rounds so that a change
 * in the machine's load falls on both; medians of the rounds. Image-only documents fail
 * both ways. Then the documents are added to the bench library (not timed). */
static void throughput_once(bench *b, const wk_parse_opts *po)
{
	double t0 = wk_now_ms();
	add_all(b, b->lib, po);
	double s = (wk_now_ms() - t0) / 1000;
	printf("indexing (one parse thread, OCR off, one pass, %s): %d documents, %d pages in "
	       "%.1f s: add %.1f pages/s\n",
	       b->lib->store->ops->name, b->docs, b->pages, s, b->pages / s);
}

static void throughput(bench *b)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/mmlongbench/documents", b->data);
	b->real_paths = list_pdfs(dir, &b->nreal);
	b->real_ids = wk_xcalloc((size_t)b->nreal + 1, sizeof *b->real_ids);
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.threads = 1;
	po.ocr = WK_OCR_NEVER; /* as `wukong eval`: OCR would measure Tesseract, not us */
	if (strstr(b->db, "://")) {
		throughput_once(b, &po);
		return;
	}
	double parse_speed[ROUNDS], add_speed[ROUNDS], ratio[ROUNDS];
	long pages = 0;
	int skipped = 0;
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = wk_now_ms();
		pages = parse_all(b, &po, &skipped);
		double parse_ms = wk_now_ms() - t0;
		double add_ms = timed_add(b, &po, r);
		parse_speed[r] = pages / (parse_ms / 1000);
		add_speed[r] = pages / (add_ms / 1000);
		ratio[r] = parse_ms / add_ms;
	}
	add_all(b, b->lib, &po);
	printf("indexing (one parse thread, OCR off; %d image-only documents fail both ways; "
	       "%d alternating rounds): %d documents, %ld pages: ratio add/parse by round",
	       skipped, ROUNDS, b->nreal - skipped, pages);
	for (int r = 0; r < ROUNDS; r++)
		printf(" %.2f", ratio[r]);
	double p50 = median3(parse_speed), a50 = median3(add_speed), r50 = median3(ratio);
	printf("; medians: parse %.1f pages/s, add %.1f pages/s, ratio %.2f\n", p50, a50, r50);
}

static void on_file(void *user, const char *path, int rc, int status, const wk_doc_info *info,
                    const wk_error *err)
{
	bench *b = user;
	(void)status;
	if (rc) {
		fprintf(stderr, "bench/library: %s: %s (skipped)\n", path, err->message);
		return;
	}
	b->docs++;
	b->pages += info->npages;
	wk_doc *doc = NULL;
	if (wk_library_load(b->lib, info->id, &doc, NULL) == WK_OK) {
		b->pool = wk_grow(b->pool, &b->cap_pool, b->npool + 1, sizeof *b->pool);
		b->pool[b->npool++] = doc;
	}
}

/* The papers and QASPER documents: real documents, and the stuff synthetic ones are made of. */
static void add_real_others(bench *b)
{
	const char *dirs[] = {"papers", "qasper-uda"};
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.threads = 1;
	po.ocr = WK_OCR_NEVER; /* as `wukong eval`: OCR would measure Tesseract, not us */
	for (size_t d = 0; d < WK_ARRAY_LEN(dirs); d++) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/%s", b->data, dirs[d]);
		int n = 0;
		char **paths = list_pdfs(dir, &n);
		wk_add_opts opts = {.jobs = 2, .parse = &po, .on_file = on_file, .user = b};
		wk_error err = {0};
		if (wk_library_add_many(b->lib, (const char *const *)paths, n, &opts, NULL, &err))
			die(dir, &err);
		for (int i = 0; i < n; i++)
			free(paths[i]);
		free(paths);
	}
}

static void collect_words(bench *b)
{
	for (int d = 0; d < b->npool && b->nwords < 200000; d++)
		for (int u = 0; u < b->pool[d]->nunits; u++) {
			const char *t = b->pool[d]->units[u].text;
			for (const char *p = t; p && *p && b->nwords < 200000;) {
				while (*p == ' ')
					p++;
				const char *start = p;
				while (*p && *p != ' ')
					p++;
				if (p - start >= 3 && p - start < 20 && rnd(b) % 4 == 0) {
					b->words = wk_grow(b->words, &b->cap_words, b->nwords + 1, sizeof *b->words);
					b->words[b->nwords++] = wk_xstrndup(start, (size_t)(p - start));
				}
			}
		}
}

/* The text with about one word in six replaced by another word of the pool. */
static const char *vary(bench *b, wk_doc *doc, const char *text)
{
	if (!text || !b->nwords)
		return text ? wk_doc_str(doc, text) : NULL;
	wk_buf out;
	wk_buf_init(&out, 0);
	for (const char *p = text; *p;) {
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if (rnd(b) % 6 == 0)
			wk_buf_puts(&out, b->words[rnd(b) % (unsigned)b->nwords]);
		else
			wk_buf_append(&out, start, (size_t)(p - start));
		while (*p == ' ')
			wk_buf_putc(&out, *p++);
	}
	const char *s = wk_doc_str(doc, wk_buf_cstr(&out));
	wk_buf_free(&out);
	return s;
}

/* Copies the units of page `sp` of `src` onto page `p` of `doc`, words varied. */
static void copy_page(bench *b, wk_doc *doc, const wk_doc *src, int sp, int p)
{
	doc->pages[p - 1].width = src->pages[sp - 1].width;
	doc->pages[p - 1].height = src->pages[sp - 1].height;
	for (int i = 0; i < src->nunits; i++) {
		const wk_unit *u = &src->units[i];
		if (u->page != sp)
			continue;
		wk_unit *nu = wk_doc_add_unit(doc, u->type);
		nu->level = u->level;
		nu->text = vary(b, doc, u->text);
		nu->label = wk_doc_str(doc, u->label);
		nu->caption = u->caption ? vary(b, doc, u->caption) : NULL;
		nu->figure_text = u->figure_text ? vary(b, doc, u->figure_text) : NULL;
		wk_box box = u->nboxes ? u->boxes[0] : (wk_box){0};
		box.page = p;
		wk_doc_add_box(doc, nu, box);
	}
}

static int synthesize_one(bench *b, int k, int npages)
{
	wk_doc *doc = wk_doc_new();
	wk_doc_set_pages(doc, npages);
	char name[256];
	snprintf(name, sizeof name, "synthetic/s%04d.pdf", k);
	doc->path = wk_doc_str(doc, name);
	for (int p = 1; p <= npages; p++) {
		const wk_doc *src = b->pool[rnd(b) % (unsigned)b->npool];
		if (src->npages > 0)
			copy_page(b, doc, src, 1 + (int)(rnd(b) % (unsigned)src->npages), p);
	}
	wk_doc_finish(doc);
	doc->title = doc->nsections ? doc->sections[0].title : doc->path;
	wk_sha256_hex(name, strlen(name), doc->hash);
	wk_store_put put = {.doc = doc, .hash = doc->hash, .path = name, .bytes = 0};
	wk_doc_info info;
	int status;
	wk_error err = {0};
	if (b->lib->store->ops->put(b->lib->store, &put, &info, &status, &err))
		die(name, &err);
	wk_info_clear(&info);
	wk_doc_free(doc);
	return npages;
}

/* A line every tenth of the way: the rate of the last stretch shows how writing slows as
 * the library grows, and what is left, how long it will take. */
static void progress(bench *b, int made, int left, int pages, double t0, double *t_last,
                     int *pages_last)
{
	double now = wk_now_ms();
	double rate = (pages - *pages_last) / ((now - *t_last) / 1000);
	double mean = pages / ((now - t0) / 1000);
	int pages_left = b->target_pages - b->pages;
	printf("  ... %d documents, %d pages in the library: %.0f pages/s over the last %d "
	       "pages; about %.0f min left\n",
	       b->docs, b->pages, rate, pages - *pages_last, pages_left / (mean > 0 ? mean : 1) / 60);
	(void)made, (void)left;
	*t_last = now;
	*pages_last = pages;
}

/* 2. Synthetic documents up to the target counts, written through the store API; `first`:
 * the number of the first one (a grown library goes on from its last). */
static void synthesize(bench *b, int first)
{
	if (!b->nwords)
		collect_words(b);
	int left = b->target_docs - b->docs, made = 0, pages_before = b->pages;
	int step = WK_MAX(50, left / 10), pages_last = 0;
	double t0 = wk_now_ms(), t_last = t0, c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	double s0 = server_cpu_ms(b);
	for (int k = 0; k < left && b->npool; k++) {
		int pages_left = b->target_pages - b->pages;
		int npages = WK_MAX(1, pages_left / (left - k));
		npages = WK_MAX(1, npages / 2 + (int)(rnd(b) % (unsigned)npages)); /* varied lengths */
		b->pages += synthesize_one(b, first + k, npages);
		b->docs++;
		made++;
		if (made % step == 0 && made < left)
			progress(b, made, left, b->pages - pages_before, t0, &t_last, &pages_last);
	}
	double secs = (wk_now_ms() - t0) / 1000, cpu = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	double server = s0 >= 0 ? server_cpu_ms(b) - s0 : -1;
	int pages = b->pages - pages_before;
	printf("library: %d documents, %d pages (%d synthetic documents, %d pages written through "
	       "the store API in %.1f s: %.0f pages/s; CPU %.2f ms/page here",
	       b->docs, b->pages, made, pages, secs, pages / (secs > 0 ? secs : 1),
	       cpu / WK_MAX(pages, 1));
	if (server >= 0)
		printf(", %.2f ms/page in the PostgreSQL server", server / WK_MAX(pages, 1));
	printf(")\n");
}

/* The papers and QASPER documents of a reused library: what synthetic ones are made of. */
static void load_pool(bench *b, const wk_doc_info *info)
{
	if (!strstr(info->path, "/papers/") && !strstr(info->path, "/qasper-uda/"))
		return;
	wk_doc *doc = NULL;
	if (wk_library_load(b->lib, info->id, &doc, NULL) == WK_OK) {
		b->pool = wk_grow(b->pool, &b->cap_pool, b->npool + 1, sizeof *b->pool);
		b->pool[b->npool++] = doc;
	}
}

/* --reuse 1: the library of an earlier run; the real documents are found by content. A
 * --docs above its size grows it with more synthetic documents. */
static void reuse_library(bench *b)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/mmlongbench/documents", b->data);
	b->real_paths = list_pdfs(dir, &b->nreal);
	b->real_ids = wk_xcalloc((size_t)b->nreal + 1, sizeof *b->real_ids);
	for (int i = 0; i < b->nreal; i++) {
		char *data = NULL, hash[65];
		size_t len = 0;
		wk_doc_info info;
		if (wk_read_file(b->real_paths[i], 0, &data, &len, NULL))
			continue;
		wk_sha256_hex(data, len, hash);
		free(data);
		hash[16] = '\0';
		if (wk_library_find(b->lib, hash, &info, NULL) == WK_OK)
			memcpy(b->real_ids[i], info.id, 17);
	}
	wk_doc_info *infos;
	int n, synthetic = 0;
	if (wk_library_list(b->lib, &infos, &n, NULL) == WK_OK) {
		for (int i = 0; i < n; i++) {
			b->pages += infos[i].npages;
			synthetic += !strncmp(infos[i].path, "synthetic/", 10);
			if (b->target_docs > n)
				load_pool(b, &infos[i]);
		}
		b->docs = n;
		wk_doc_infos_free(infos, n);
	}
	printf("library: reused, %d documents, %d pages\n", b->docs, b->pages);
	if (b->target_docs > b->docs)
		synthesize(b, synthetic);
}

/* After a bulk load PostgreSQL's autovacuum marks the new postings all-visible (what
 * index-only reads need) and gathers statistics; done here at once, and timed. */
static void settle(bench *b)
{
	if (!strcmp(b->lib->store->ops->name, "sqlite"))
		return;
	double t0 = wk_now_ms();
	PGresult *r = PQexec(((wk_pg *)b->lib->store)->conn, "VACUUM (ANALYZE) postings");
	printf("VACUUM (ANALYZE) postings, as autovacuum does after a bulk load: %.1f s%s\n",
	       (wk_now_ms() - t0) / 1000, PQresultStatus(r) == PGRES_COMMAND_OK ? "" : " (failed)");
	PQclear(r);
}

/* 4. Size: the database file after a checkpoint, and what its tables take. */
static void size_report_pg(bench *b)
{
	PGconn *conn = ((wk_pg *)b->lib->store)->conn;
	PGresult *r = PQexec(conn, "SELECT pg_total_relation_size('docs'), "
	                           "pg_total_relation_size('postings'), pg_total_relation_size('files')");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		double docs = atof(PQgetvalue(r, 0, 0)), post = atof(PQgetvalue(r, 0, 1));
		double files = atof(PQgetvalue(r, 0, 2));
		printf("size: %.1f MB, %.1f KB per page (documents %.2f KB/page, search %.2f KB/page, "
		       "uploads %.2f KB/page)\n",
		       (docs + post + files) / 1e6, (docs + post + files) / 1024.0 / b->pages,
		       docs / 1024.0 / b->pages, post / 1024.0 / b->pages, files / 1024.0 / b->pages);
	}
	PQclear(r);
}

static void size_report(bench *b)
{
	if (strcmp(b->lib->store->ops->name, "sqlite")) {
		size_report_pg(b);
		return;
	}
	sqlite3 *db = ((wk_sqlite *)b->lib->store)->db;
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	struct stat st;
	if (stat(b->db, &st) != 0)
		return;
	printf("size: %.1f MB, %.1f KB per page", st.st_size / 1e6, st.st_size / 1024.0 / b->pages);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(db, "SELECT CASE WHEN name LIKE 'page_fts%' THEN 'search' "
	                           "WHEN name LIKE 'docs%' OR name LIKE 'sqlite_autoindex_docs%' "
	                           "THEN 'documents' ELSE 'units+pages' END AS part, sum(pgsize) "
	                           "FROM dbstat GROUP BY part ORDER BY 2 DESC",
	                       -1, &q, NULL) == SQLITE_OK) {
		printf(" (");
		for (int i = 0; sqlite3_step(q) == SQLITE_ROW; i++)
			printf("%s%s %.2f KB/page", i ? ", " : "", sqlite3_column_text(q, 0),
			       sqlite3_column_int64(q, 1) / 1024.0 / b->pages);
		printf(")");
	}
	sqlite3_finalize(q);
	printf("\n");
}

static int real_index(bench *b, const char *doc_id)
{
	for (int i = 0; i < b->nreal; i++) /* skipped documents have no id */
		if (b->real_ids[i][0] && !strcmp(wk_base_name(b->real_paths[i]), doc_id))
			return i;
	return -1;
}

/* Page recall of the units of `sel` that come from `doc`. */
static double doc_recall(const wk_doc *doc, const wk_selection *sel, int which,
                         const wk_eval_item *item)
{
	wk_selection sub = {0};
	sub.items = wk_xcalloc((size_t)sel->n + 1, sizeof *sub.items);
	for (int i = 0; i < sel->n; i++)
		if (sel->items[i].doc == which)
			sub.items[sub.n++] = sel->items[i];
	wk_eval_pick *picks = NULL;
	int n = wk_eval_picks(doc, &sub, &picks);
	double r = wk_eval_recall_all(picks, n, item->pages, item->npages);
	free(picks);
	free(sub.items);
	return r;
}

typedef struct scores {
	double *ms, *cpu;
	double server; /* the PostgreSQL backend's CPU for all questions, ms; -1: SQLite */
	int n, measured, hit, top1;
	double lib_recall, one_recall;
} scores;

/* The single-document figure: the question asked of its own document alone. */
static double single_recall(bench *b, int r, wk_doc **own, wk_index **own_ix,
                            const wk_eval_item *item, const wk_ask_opts *opts)
{
	if (!own[r] && (wk_library_load(b->lib, b->real_ids[r], &own[r], NULL) ||
	                wk_index_new(own[r], &own_ix[r], NULL)))
		return 0;
	wk_selection *sel = NULL;
	if (wk_sample(own_ix[r], item->question, opts, &sel, NULL))
		return 0;
	double v = doc_recall(own[r], sel, 0, item);
	wk_selection_free(sel);
	return v;
}

static void ask_one(bench *b, const wk_eval_set *set, const wk_eval_item *item,
                    const wk_ask_opts *opts, scores *s, wk_doc **own, wk_index **own_ix)
{
	wk_selection *sel = NULL;
	wk_doc **docs = NULL;
	int nd = 0;
	wk_error err = {0};
	double t0 = wk_now_ms(), c0 = cpu_ms();
	if (wk_library_ask(b->lib, NULL, item->question, opts, &sel, &docs, &nd, &err))
		die(item->question, &err);
	s->cpu[s->n] = cpu_ms() - c0;
	s->ms[s->n++] = wk_now_ms() - t0;
	int r = real_index(b, item->doc_id);
	if (r >= 0 && item->npages > 0 && wk_eval_answerable(set, item)) {
		int which = -1;
		for (int d = 0; d < nd && which < 0; d++)
			if (!strncmp(docs[d]->hash, b->real_ids[r], 16))
				which = d;
		int used = 0;
		for (int i = 0; which >= 0 && i < sel->n; i++)
			used |= sel->items[i].doc == which;
		s->measured++;
		s->hit += used;
		s->top1 += which == 0;
		s->lib_recall += used ? doc_recall(docs[which], sel, which, item) : 0;
		s->one_recall += single_recall(b, r, own, own_ix, item, opts);
	}
	wk_selection_free(sel);
	wk_docs_free(docs, nd);
}

static void latency_line(const char *what, scores *s)
{
	int n = s->n;
	double p50 = wk_eval_percentile(s->ms, n, 50), p95 = wk_eval_percentile(s->ms, n, 95);
	double c50 = wk_eval_percentile(s->cpu, n, 50), c95 = wk_eval_percentile(s->cpu, n, 95);
	printf("ask --library, %s (%d questions): wall p50 %.1f ms, p95 %.1f ms; CPU p50 %.1f ms, "
	       "p95 %.1f ms", what, n, p50, p95, c50, c95);
	if (s->server >= 0)
		printf("; PostgreSQL server CPU mean %.1f ms", s->server / WK_MAX(n, 1));
	printf("\n");
}

/* All questions once with the handle's cache of `cache` documents; fills s. */
static void ask_pass(bench *b, wk_eval_set *set, int cache, scores *s)
{
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	opts.budget = 2048;
	memset(s, 0, sizeof *s);
	s->ms = wk_xcalloc((size_t)set->n + 1, sizeof(double));
	s->cpu = wk_xcalloc((size_t)set->n + 1, sizeof(double));
	wk_library_cache_limit(b->lib, cache, cache ? (size_t)256 << 20 : 0);
	wk_doc **own = wk_xcalloc((size_t)b->nreal + 1, sizeof *own);
	wk_index **own_ix = wk_xcalloc((size_t)b->nreal + 1, sizeof *own_ix);
	double s0 = server_cpu_ms(b);
	for (int i = 0; i < set->n; i++)
		ask_one(b, set, &set->items[i], &opts, s, own, own_ix);
	s->server = s0 >= 0 ? server_cpu_ms(b) - s0 : -1;
	for (int i = 0; i < b->nreal; i++) {
		wk_index_free(own_ix[i]);
		wk_doc_free(own[i]);
	}
	free(own);
	free(own_ix);
}

/* 3 and 5. Every question asked of the whole library: without the handle's document
 * cache (as the command, one process per question), then with it (as the server). */
static void ask_all(bench *b, wk_eval_set *set)
{
	scores cold, warm;
	ask_pass(b, set, 0, &cold);
	ask_pass(b, set, 16, &warm);
	printf("%d documents, %d pages in the library\n", b->docs, b->pages);
	latency_line("no document cache (each question loads its documents)", &cold);
	latency_line("handle cache of 16 documents (a long-lived handle, the server)", &warm);
	scores *s = &cold;
	int m = WK_MAX(s->measured, 1);
	printf("recall (MMLongBench-Doc, %d answerable questions with evidence pages, budget 2048):\n"
	       "  document hit rate %.3f (own document supplies evidence), top-1 document %.3f\n"
	       "  page recall @2048: across the library %.3f, own document alone %.3f\n",
	       s->measured, (double)s->hit / m, (double)s->top1 / m, s->lib_recall / m,
	       s->one_recall / m);
	free(cold.ms);
	free(cold.cpu);
	free(warm.ms);
	free(warm.cpu);
}

/* The plan of stage 1's read of the postings for `question`, as PostgreSQL ran it. */
static void explain_stage1(bench *b, const char *question)
{
	wk_pg *pg = (wk_pg *)b->lib->store;
	char *terms[64];
	int n = wk_search_terms(question, terms, 64);
	wk_term_df *t = wk_xcalloc((size_t)n + 1, sizeof *t);
	int nt = 0;
	for (int i = 0; i < n; i++) {
		char *stem = wk_pg_stem(pg, terms[i]);
		if (stem)
			t[nt++] = (wk_term_df){stem, 0};
	}
	char *arr = wk_pg_text_array(t, nt), lim[24];
	PGresult *r = PQexec(pg->conn, "SELECT sum(spages) FROM docs");
	snprintf(lim, sizeof lim, "%lld",
	         (long long)wk_rank_common(PQntuples(r) ? atof(PQgetvalue(r, 0, 0)) : 0) + 1);
	PQclear(r);
	r = PQexecParams(pg->conn, "EXPLAIN (ANALYZE, BUFFERS) " WK_PG_POSTINGS_SQL, 2, NULL,
	                 (const char *const[]){arr, lim}, NULL, NULL, 0);
	printf("stage 1's read of the postings, EXPLAIN ANALYZE, the slowest question (%d terms, "
	       "at most %s rows a term):\n", nt, lim);
	for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++)
		printf("  %s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	free(arr);
	for (int i = 0; i < nt; i++)
		free((char *)t[i].term);
	free(t);
	wk_terms_free(terms, n);
}

/* 3c. Stage 1 alone (the documents' ranking, nothing loaded) for every question, with a
 * warm connection: where a question's time goes as the library grows. */
static void stage1_latency(bench *b, const wk_eval_set *set)
{
	double *ms = wk_xcalloc((size_t)set->n + 1, sizeof *ms);
	double *cpu = wk_xcalloc((size_t)set->n + 1, sizeof *cpu);
	double s0 = server_cpu_ms(b);
	int slowest = 0;
	for (int i = 0; i < set->n; i++) {
		char *terms[64];
		int n = wk_search_terms(set->items[i].question, terms, 64), nhits = 0;
		wk_doc_hit hits[8];
		wk_error err = {0};
		double t0 = wk_now_ms(), c0 = cpu_ms();
		if (b->lib->store->ops->rank(b->lib->store, (const char *const *)terms, n, hits, 8,
		                             &nhits, &err))
			die("stage 1", &err);
		cpu[i] = cpu_ms() - c0;
		ms[i] = wk_now_ms() - t0;
		slowest = ms[i] > ms[slowest] ? i : slowest;
		wk_terms_free(terms, n);
	}
	double server = s0 >= 0 ? server_cpu_ms(b) - s0 : -1;
	printf("stage 1 alone (%d questions): wall p50 %.1f ms, p95 %.1f ms; CPU here p50 %.1f ms, "
	       "p95 %.1f ms",
	       set->n, wk_eval_percentile(ms, set->n, 50), wk_eval_percentile(ms, set->n, 95),
	       wk_eval_percentile(cpu, set->n, 50), wk_eval_percentile(cpu, set->n, 95));
	if (server >= 0)
		printf("; PostgreSQL server CPU mean %.1f ms", server / WK_MAX(set->n, 1));
	printf("\n");
	if (server >= 0)
		explain_stage1(b, set->items[slowest].question);
	free(ms);
	free(cpu);
}

/* 3b. The command itself (process start, open, ask, print) for the first questions. */
static void cli_latency(bench *b, wk_eval_set *set)
{
	int n = WK_MIN(b->cli_runs, set->n);
	if (n <= 0 || access(b->bin, X_OK) != 0)
		return;
	double *ms = wk_xcalloc((size_t)n, sizeof *ms);
	for (int i = 0; i < n; i++) {
		double t0 = wk_now_ms();
		pid_t pid = fork();
		if (pid == 0) {
			if (!freopen("/dev/null", "w", stdout))
				_exit(127);
			execl(b->bin, b->bin, "ask", "--library", "--db", b->db, set->items[i].question,
			      (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
		ms[i] = wk_now_ms() - t0;
	}
	printf("wukong ask --library (the command, %d questions): p50 %.1f ms, p95 %.1f ms\n", n,
	       wk_eval_percentile(ms, n, 50), wk_eval_percentile(ms, n, 95));
	free(ms);
}

static void parse_args(bench *b, int argc, char **argv)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--data"))
			b->data = argv[i + 1];
		else if (!strcmp(argv[i], "--db"))
			b->db = argv[i + 1];
		else if (!strcmp(argv[i], "--docs"))
			b->target_docs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--pages"))
			b->target_pages = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--cli"))
			b->cli_runs = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--reuse")) /* ask an existing bench library again */
			b->reuse = atoi(argv[i + 1]);
	}
}

int main(int argc, char **argv)
{
	bench b = {.data = "../shared/data", .db = "/tmp/wukong-bench-library.db",
	           .target_docs = 1000, .target_pages = 30000, .cli_runs = 40, .rng = 12345};
	parse_args(&b, argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows as it comes */
	char questions[4096], bin[4096];
	snprintf(questions, sizeof questions, "%s/mmlongbench/questions.jsonl", b.data);
	if (access(questions, R_OK) != 0) {
		printf("bench/library: %s is absent: nothing measured\n", questions);
		return 0;
	}
	/* The wukong binary next to bench/: $BUILD/bench/library -> $BUILD/wukong. */
	snprintf(bin, sizeof bin, "%s", argv[0]);
	char *slash = strrchr(bin, '/');
	snprintf(slash ? slash + 1 : bin, sizeof bin - (size_t)(slash ? slash + 1 - bin : 0),
	         "../wukong");
	b.bin = bin;
	const char *const suffixes[] = {"", "-wal", "-shm"}; /* a fresh library every run */
	for (size_t i = 0; i < WK_ARRAY_LEN(suffixes) && !b.reuse && !strstr(b.db, "://"); i++) {
		char p[4200];
		snprintf(p, sizeof p, "%s%s", b.db, suffixes[i]);
		unlink(p);
	}
	wk_error err = {0};
	if (wk_library_open(b.db, &b.lib, &err))
		die(b.db, &err);
	wk_doc_info *there = NULL;
	int nthere = 0;
	if (!b.reuse && wk_library_list(b.lib, &there, &nthere, NULL) == WK_OK && nthere > 0) {
		printf("bench/library: %s is not empty: give an empty library, or --reuse 1\n", b.db);
		return 2;
	}
	wk_doc_infos_free(there, nthere);
	wk_eval_set *set = NULL;
	if (wk_eval_load(questions, WK_EVAL_MMLONGBENCH, &set, &err))
		die(questions, &err);
	printf("bench/library: data %s, database %s\n", b.data, b.db);
	if (b.reuse) {
		reuse_library(&b);
	} else {
		throughput(&b);
		add_real_others(&b);
		synthesize(&b, 0);
	}
	settle(&b);
	size_report(&b);
	wk_library_close(b.lib);
	if (wk_library_open(b.db, &b.lib, &err)) /* a fresh handle, as a new process has */
		die(b.db, &err);
	ask_all(&b, set);
	stage1_latency(&b, set);
	cli_latency(&b, set);
	wk_eval_set_free(set);
	wk_library_close(b.lib);
	return 0;
}
