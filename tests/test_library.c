/* test_library.c: the document library: add, list, find, load, remove; content identity
 * (unchanged, updated, moved); failing files; schema versions; readers during a write;
 * kill -9 in the middle of `wukong add`; two adds at once; asking across documents.
 *
 * The tests that do not look inside SQLite run twice: on SQLite, then on PostgreSQL when
 * $WK_TEST_PG names a database (each test library a schema of its own, pgtest.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/util/util.h"
#include "support/mklib.h"
#include "support/mkpdf.h"
#include "support/pgtest.h"

static char tmpdir[1024];
static int pg_pass; /* 1: the libraries are PostgreSQL schemas */

/* A fresh folder for one test: $WK_TMP/lib<N>. */
static const char *fresh_dir(void)
{
	static int n;
	const char *base = getenv("WK_TMP") ? getenv("WK_TMP") : "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/lib%d-%d", base, (int)getpid(), n++);
	assert_int_equal(wk_mkdirs(tmpdir, NULL), WK_OK);
	return tmpdir;
}

static char *join(const char *dir, const char *name)
{
	static char bufs[8][2100];
	static int next;
	char *b = bufs[next++ % 8];
	if (snprintf(b, sizeof bufs[0], "%.1024s/%.1000s", dir, name) >= (int)sizeof bufs[0])
		fail_msg("path too long");
	return b;
}

/* The library a test names `name` in its folder: that file, or in the PostgreSQL pass a
 * schema of its own. Copy it: the buffer is reused. */
static const char *lib_at(const char *dir, const char *name)
{
	return pg_pass ? pg_test_library(join(dir, name)) : join(dir, name);
}

static wk_library *open_lib(const char *dir)
{
	wk_library *lib = NULL;
	wk_error err = {0};
	int rc = wk_library_open(lib_at(dir, "lib.db"), &lib, &err);
	if (rc)
		fail_msg("open: %s", err.message);
	return lib;
}

static int add(wk_library *lib, const char *path, wk_doc_info *info)
{
	int status = -1;
	wk_error err = {0};
	int rc = wk_library_add(lib, path, NULL, info, &status, &err);
	if (rc)
		fail_msg("add %s: %s", path, err.message);
	return status;
}

static int count_docs(wk_library *lib)
{
	wk_doc_info *infos;
	int n;
	assert_int_equal(wk_library_list(lib, &infos, &n, NULL), WK_OK);
	wk_doc_infos_free(infos, n);
	return n;
}

static int doc_has_word(const wk_doc *doc, const char *word)
{
	for (int i = 0; i < doc->nunits; i++)
		if (doc->units[i].text && strstr(doc->units[i].text, word))
			return 1;
	return 0;
}

static void test_add_list_find_load_and_remove(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	mk_library_pdf(join(dir, "a.pdf"), 1, 2);
	mk_library_pdf(join(dir, "b.pdf"), 2, 3);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, join(dir, "a.pdf"), &info), WK_ADD_NEW);
	assert_int_equal(info.npages, 2);
	assert_string_equal(info.name, "a.pdf");
	assert_int_equal(add(lib, join(dir, "b.pdf"), &info), WK_ADD_NEW);
	char id[17];
	strcpy(id, info.id);
	assert_int_equal(strncmp(info.id, info.hash, 16), 0);
	assert_int_equal(count_docs(lib), 2);

	char prefix[7];
	memcpy(prefix, id, 6);
	prefix[6] = '\0';
	assert_int_equal(wk_library_find(lib, prefix, &info, NULL), WK_OK);
	assert_string_equal(info.id, id);
	assert_int_equal(wk_library_find(lib, "b.pdf", &info, NULL), WK_OK);
	assert_string_equal(info.id, id);

	wk_doc *doc = NULL;
	assert_int_equal(wk_library_load(lib, id, &doc, NULL), WK_OK);
	assert_int_equal(doc->nunits, info.nunits);
	assert_int_equal(doc->npages, 3);
	assert_true(doc_has_word(doc, mk_library_word(2)));
	wk_doc_free(doc);

	assert_int_equal(wk_library_remove(lib, id, NULL), WK_OK);
	assert_int_equal(count_docs(lib), 1);
	wk_error err = {0};
	assert_int_equal(wk_library_find(lib, id, &info, &err), WK_ENOTFOUND);
	assert_non_null(strstr(err.message, id));
	wk_library_close(lib);
}

static void test_adding_an_unchanged_file_does_nothing(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	mk_library_pdf(join(dir, "a.pdf"), 3, 2);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, join(dir, "a.pdf"), &info), WK_ADD_NEW);
	char id[17];
	strcpy(id, info.id);
	int64_t added = info.added;
	sleep(1); /* a rewrite would show as a later `added` */
	assert_int_equal(add(lib, join(dir, "a.pdf"), &info), WK_ADD_UNCHANGED);
	assert_string_equal(info.id, id);
	assert_int_equal(info.added, added);
	assert_int_equal(count_docs(lib), 1);
	wk_library_close(lib);
}

static void test_a_changed_file_is_indexed_again(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	const char *path = join(dir, "report.pdf");
	mk_library_pdf(path, 4, 2);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, path, &info), WK_ADD_NEW);
	char old_id[17];
	strcpy(old_id, info.id);
	mk_library_pdf(path, 5, 3);
	assert_int_equal(add(lib, path, &info), WK_ADD_UPDATED);
	assert_string_not_equal(info.id, old_id);
	assert_int_equal(info.npages, 3);
	assert_int_equal(count_docs(lib), 1);
	wk_doc *doc = NULL;
	assert_int_equal(wk_library_load(lib, info.id, &doc, NULL), WK_OK);
	assert_true(doc_has_word(doc, mk_library_word(5)));
	assert_false(doc_has_word(doc, mk_library_word(4)));
	wk_doc_free(doc);
	wk_library_close(lib);
}

static void test_a_moved_file_keeps_its_id(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char from[2100], to[2100];
	snprintf(from, sizeof from, "%s", join(dir, "old.pdf"));
	snprintf(to, sizeof to, "%s", join(dir, "new.pdf"));
	mk_library_pdf(from, 6, 2);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, from, &info), WK_ADD_NEW);
	char id[17];
	strcpy(id, info.id);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(add(lib, to, &info), WK_ADD_MOVED);
	assert_string_equal(info.id, id);
	assert_string_equal(info.path, to);
	assert_string_equal(info.name, "new.pdf");
	assert_int_equal(count_docs(lib), 1);
	wk_doc *doc = NULL;
	assert_int_equal(wk_library_load(lib, id, &doc, NULL), WK_OK);
	assert_string_equal(doc->path, to); /* loads point at the file where it is now */
	wk_doc_free(doc);
	wk_library_close(lib);
}

static void sql(const char *db_path, const char *statements);

static void test_a_document_stored_in_an_old_format_is_parsed_again(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char pdf[2100];
	snprintf(pdf, sizeof pdf, "%s", join(dir, "old.pdf"));
	mk_library_pdf(pdf, 11, 2);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, pdf, &info), WK_ADD_NEW);
	char id[17];
	strcpy(id, info.id);
	/* pack version 999 (little-endian) in the stored document's header */
	if (pg_pass)
		assert_int_equal(pg_test_exec(lib_at(dir, "lib.db"), "UPDATE docs SET pack = "
		                              "'\\xe7030000'::bytea || substring(pack FROM 5)"),
		                 0);
	else
		sql(join(dir, "lib.db"), "UPDATE docs SET pack = CAST(X'E7030000' || substr(pack, 5) "
		                         "AS BLOB)");
	wk_doc *doc = NULL;
	wk_error err = {0};
	assert_int_equal(wk_library_load(lib, id, &doc, &err), WK_EVERSION);
	assert_non_null(strstr(err.message, "add its file again"));
	assert_int_equal(add(lib, pdf, &info), WK_ADD_UPDATED);
	assert_string_equal(info.id, id);
	assert_int_equal(wk_library_load(lib, id, &doc, NULL), WK_OK);
	assert_int_equal(doc->nunits, info.nunits);
	wk_doc_free(doc);
	assert_int_equal(add(lib, pdf, &info), WK_ADD_UNCHANGED);
	assert_int_equal(count_docs(lib), 1);
	wk_library_close(lib);
}

static void count_file(void *user, const char *path, int rc, int status,
                       const wk_doc_info *info, const wk_error *err)
{
	(void)status, (void)info;
	int *counts = user;
	counts[rc ? 1 : 0]++;
	if (rc)
		assert_non_null(strstr(err->message, "bad.pdf"));
	(void)path;
}

static void test_a_failing_file_is_skipped_and_the_others_indexed(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	const char *paths[4] = {join(dir, "a.pdf"), join(dir, "bad.pdf"), join(dir, "c.pdf"),
	                        join(dir, "d.pdf")};
	mk_library_pdf(paths[0], 7, 2);
	FILE *f = fopen(paths[1], "w");
	fputs("%PDF-1.4 this is not really a PDF\n", f);
	fclose(f);
	mk_library_pdf(paths[2], 8, 2);
	mk_library_pdf(paths[3], 9, 1);
	wk_library *lib = open_lib(dir);
	int counts[2] = {0};
	wk_add_opts opts = {.jobs = 2, .on_file = count_file, .user = counts};
	int failed = -1;
	assert_int_equal(wk_library_add_many(lib, paths, 4, &opts, &failed, NULL), WK_OK);
	assert_int_equal(failed, 1);
	assert_int_equal(counts[0], 3);
	assert_int_equal(counts[1], 1);
	assert_int_equal(count_docs(lib), 3);
	wk_library_close(lib);
}

static void write_text_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void sql(const char *db_path, const char *statements)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, statements, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void expect_version_error(const char *path, const char *words)
{
	wk_library *lib = NULL;
	wk_error err = {0};
	assert_int_equal(wk_library_open(path, &lib, &err), WK_EVERSION);
	assert_null(lib);
	assert_non_null(strstr(err.message, path));
	if (!strstr(err.message, words))
		fail_msg("'%s' does not say '%s'", err.message, words);
}

static void test_newer_or_foreign_databases_are_refused(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char newer[2100], foreign[2100], text[2100];
	snprintf(newer, sizeof newer, "%s", join(dir, "newer.db"));
	snprintf(foreign, sizeof foreign, "%s", join(dir, "foreign.db"));
	snprintf(text, sizeof text, "%s", join(dir, "notes.txt"));
	wk_library *lib = NULL;
	assert_int_equal(wk_library_open(newer, &lib, NULL), WK_OK);
	wk_library_close(lib);
	sql(newer, "PRAGMA user_version = 99");
	expect_version_error(newer, "newer");
	sql(foreign, "CREATE TABLE accounts(id INTEGER, owner TEXT)");
	expect_version_error(foreign, "not a wukong library");
	write_text_file(text, "just some words, nothing like a database, but long enough to be "
	                      "read as a header by SQLite when it opens it and checks it.\n");
	expect_version_error(text, "not a wukong library");
}

/* ---- processes ---- */

static pid_t spawn_add(const char *db, const char *dir, int jobs)
{
	const char *bin = getenv("WK_BIN");
	if (!bin)
		fail_msg("WK_BIN is not set");
	char jobs_s[16];
	snprintf(jobs_s, sizeof jobs_s, "%d", jobs);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		freopen("/dev/null", "w", stdout);
		execl(bin, bin, "add", "--quiet", "--jobs", jobs_s, "--db", db, dir, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Documents committed, read with plain SQLite (or libpq), as a reader in another process
 * would. */
static int committed(const char *db_path)
{
	if (pg_pass)
		return (int)pg_test_scalar(db_path, "SELECT count(*) FROM docs");
	sqlite3 *db;
	int n = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *st;
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM docs", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

static int query_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Every PostgreSQL document whole: its search terms count all its search tokens, and no
 * term belongs to a document that is not there. */
static void check_whole_pg(const char *uri)
{
	/* pl: n entries (page, tf, len) of int4send; tf is at byte 4 of an entry. */
	assert_int_equal(pg_test_scalar(uri, "SELECT count(*) FROM docs d WHERE stokens != "
	                                     "(SELECT coalesce(sum(('x' || encode(substring(p.pl "
	                                     "FROM 12 * j + 5 FOR 4), 'hex'))::bit(32)::int), 0) "
	                                     "FROM postings p, generate_series(0, p.n - 1) j "
	                                     "WHERE p.doc = d.key) OR spages != npages + 1"),
	                 0);
	assert_int_equal(pg_test_scalar(uri, "SELECT count(*) FROM postings WHERE length(pl) != "
	                                     "12 * n OR n < 1 OR n > 64"),
	                 0);
	assert_int_equal(pg_test_scalar(uri, "SELECT count(*) FROM postings WHERE doc NOT IN "
	                                     "(SELECT key FROM docs)"),
	                 0);
}

static void check_loads(const char *db_path);

/* Every committed document whole: integrity, unit and page rows, search rows, JSON. */
static void check_whole(const char *db_path)
{
	if (pg_pass) {
		check_whole_pg(db_path);
		check_loads(db_path);
		return;
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM docs d WHERE nunits != "
	                               "(SELECT count(*) FROM units u WHERE u.doc = d.key)"),
	                 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM docs d WHERE npages + 1 != "
	                               "(SELECT count(*) FROM pages p WHERE p.doc = d.key)"),
	                 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM units WHERE doc NOT IN "
	                               "(SELECT key FROM docs)"),
	                 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM page_fts"),
	                 query_int(db, "SELECT count(*) FROM pages"));
	assert_int_equal(sqlite3_exec(db, "INSERT INTO page_fts(page_fts) VALUES('integrity-check')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	check_loads(db_path);
}

/* Every listed document loads, with the units its record counts. */
static void check_loads(const char *db_path)
{
	wk_library *lib = NULL;
	assert_int_equal(wk_library_open(db_path, &lib, NULL), WK_OK);
	wk_doc_info *infos;
	int n;
	assert_int_equal(wk_library_list(lib, &infos, &n, NULL), WK_OK);
	for (int i = 0; i < n; i++) {
		wk_doc *doc = NULL;
		assert_int_equal(wk_library_load(lib, infos[i].id, &doc, NULL), WK_OK);
		assert_int_equal(doc->nunits, infos[i].nunits);
		wk_doc_free(doc);
	}
	wk_doc_infos_free(infos, n);
	wk_library_close(lib);
}

static int wait_status(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* Waits until the child has committed `target` documents or has ended. Returns 1 and
 * its wait status in *status when it ended (and was reaped here), else 0. */
static int wait_for_docs(const char *db, pid_t pid, int target, int *status)
{
	for (int i = 0; i < 6000; i++) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		if (committed(db) >= target)
			return 0;
		usleep(10000);
	}
	return 0;
}

/* Runs `wukong ARGS` through the shell in `dir`; returns its exit status, stdout (and
 * stderr with `errors`) in out. */
static int run_cli_at(const char *dir, int errors, const char *args, char *out, size_t size)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s %s", dir, getenv("WK_BIN"), args,
	         errors ? "2>&1" : "2>/dev/null");
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run_cli(const char *args, char *out, size_t size)
{
	return run_cli_at(".", 0, args, out, size);
}

static int run_cli_in(const char *dir, const char *args, char *out, size_t size)
{
	return run_cli_at(dir, 1, args, out, size);
}

static void test_cli_add_ls_show_rm(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *dir = fresh_dir();
	char pdfs[2100], db[2100], args[8192];
	static char out[65536];
	snprintf(pdfs, sizeof pdfs, "%s", join(dir, "pdfs/sub"));
	snprintf(db, sizeof db, "%s", lib_at(dir, "cli.db"));
	assert_int_equal(wk_mkdirs(pdfs, NULL), WK_OK);
	mk_library_pdf(join(pdfs, "one.pdf"), 40, 2);
	mk_library_pdf(join(pdfs, "TWO.PDF"), 41, 2);
	write_text_file(join(pdfs, "broken.pdf"), "not a pdf at all\n");
	write_text_file(join(pdfs, "notes.txt"), "ignored: not a PDF name\n");
	snprintf(args, sizeof args, "add --db '%s' '%s/..'", db, pdfs);
	assert_int_equal(run_cli(args, out, sizeof out), 1); /* partial: one file failed */
	assert_non_null(strstr(out, "added"));                /* one line per document */
	assert_non_null(strstr(out, "TWO.PDF"));
	assert_null(strstr(out, "notes.txt"));

	snprintf(args, sizeof args, "ls --db '%s' --json", db);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"one.pdf\""));
	assert_non_null(strstr(out, "\"TWO.PDF\""));
	assert_null(strstr(out, "broken.pdf"));

	snprintf(args, sizeof args, "show --db '%s' --json one.pdf", db);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"counts\""));
	assert_non_null(strstr(out, "\"pages\": 2"));

	snprintf(args, sizeof args, "ask --db '%s' --library --json 'What about %s?'", db,
	         mk_library_word(41));
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	assert_non_null(strstr(out, "\"doc\":"));      /* every evidence unit names its document */
	assert_non_null(strstr(out, "TWO.PDF"));
	assert_non_null(strstr(out, mk_library_word(41)));
	snprintf(args, sizeof args, "ask --db '%s' one.pdf 'What about %s?'", db, mk_library_word(40));
	assert_int_equal(run_cli(args, out, sizeof out), 0); /* a library document by name */
	assert_non_null(strstr(out, mk_library_word(40)));
	snprintf(args, sizeof args, "ask --db '%s' nowhere.pdf 'What?'", db);
	assert_int_equal(run_cli(args, out, sizeof out), 2);

	snprintf(args, sizeof args, "rm --db '%s' one.pdf", db);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	snprintf(args, sizeof args, "show --db '%s' one.pdf", db);
	assert_int_equal(run_cli(args, out, sizeof out), 2);
	snprintf(args, sizeof args, "add --db '%s' --quiet '%s/TWO.PDF'", db, pdfs);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	assert_string_equal(out, ""); /* --quiet: nothing but errors */
}

static void test_kill_9_during_add_keeps_committed_documents_whole(void **state)
{
	(void)state;
	enum { NDOCS = 36, KILLS = 5 };
	const char *dir = fresh_dir();
	char pdfs[2100], db[2100];
	snprintf(pdfs, sizeof pdfs, "%s", join(dir, "pdfs"));
	snprintf(db, sizeof db, "%s", lib_at(dir, "lib.db"));
	assert_int_equal(wk_mkdirs(pdfs, NULL), WK_OK);
	for (int i = 0; i < NDOCS; i++) {
		char name[32];
		snprintf(name, sizeof name, "d%02d.pdf", i);
		mk_library_pdf(join(pdfs, name), 100 + (unsigned)i, 3 + i % 4);
	}
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	print_message("# kill seed %u\n", seed);
	srand(seed);
	int before = 0, mid_run = 0;
	for (int k = 0; k < KILLS; k++) {
		pid_t pid = spawn_add(db, pdfs, 2);
		/* Somewhere after the next few commits, at a random moment. */
		int status;
		if (!wait_for_docs(db, pid, before + 1 + rand() % 4, &status)) {
			usleep((useconds_t)(rand() % 60000));
			kill(pid, SIGKILL); /* a child that ended meanwhile is a zombie: no harm */
			status = wait_status(pid);
		}
		int now = committed(db);
		print_message("# kill %d: %d documents committed, signalled %d\n", k, now,
		              WIFSIGNALED(status));
		check_whole(db);
		assert_true(now >= before); /* nothing committed is ever lost */
		mid_run += WIFSIGNALED(status) && now < NDOCS;
		before = now;
	}
	assert_true(mid_run > 0); /* at least one kill hit a running add */
	pid_t pid = spawn_add(db, pdfs, 2);
	int status = wait_status(pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(committed(db), NDOCS);
	check_whole(db);
}

static void test_readers_work_while_an_add_is_running(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char pdfs[2100], db[2100];
	snprintf(pdfs, sizeof pdfs, "%s", join(dir, "pdfs"));
	snprintf(db, sizeof db, "%s", lib_at(dir, "lib.db"));
	assert_int_equal(wk_mkdirs(pdfs, NULL), WK_OK);
	for (int i = 0; i < 30; i++) {
		char name[32];
		snprintf(name, sizeof name, "r%02d.pdf", i);
		mk_library_pdf(join(pdfs, name), 300 + (unsigned)i, 4);
	}
	pid_t pid = spawn_add(db, pdfs, 1);
	int ended_status;
	if (wait_for_docs(db, pid, 1, &ended_status))
		fail_msg("the add ended before a reader could run beside it");
	int reads_during = 0, last = 0;
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	while (waitpid(pid, NULL, WNOHANG) == 0) {
		wk_library *lib = NULL;
		wk_error err = {0};
		if (wk_library_open(db, &lib, &err))
			fail_msg("open during add: %s", err.message);
		int n = count_docs(lib);
		assert_true(n >= last);
		last = n;
		wk_selection *sel = NULL;
		wk_doc **docs = NULL;
		int ndocs = 0;
		if (wk_library_ask(lib, NULL, "Which section mentions topic300x?", &opts, &sel, &docs,
		                   &ndocs, &err))
			fail_msg("ask during add: %s", err.message);
		assert_true(ndocs >= 1);
		wk_selection_free(sel);
		wk_docs_free(docs, ndocs);
		wk_library_close(lib);
		reads_during++;
		usleep(20000);
	}
	assert_true(reads_during > 0);
	assert_int_equal(committed(db), 30);
}

static void test_ask_across_the_library_names_the_right_document(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	wk_library *lib = open_lib(dir);
	char want[17] = "";
	for (unsigned s = 20; s < 26; s++) {
		char name[32];
		snprintf(name, sizeof name, "q%u.pdf", s);
		mk_library_pdf(join(dir, name), s, 3);
		wk_doc_info info;
		add(lib, join(dir, name), &info);
		if (s == 23)
			strcpy(want, info.id);
	}
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	char question[128];
	snprintf(question, sizeof question, "What does the text say about %s?", mk_library_word(23));
	wk_selection *sel = NULL;
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_error err = {0};
	if (wk_library_ask(lib, NULL, question, &opts, &sel, &docs, &ndocs, &err))
		fail_msg("ask: %s", err.message);
	assert_true(sel->n > 0);
	assert_true(sel->tokens <= opts.budget);
	int hits = 0;
	for (int i = 0; i < sel->n; i++) {
		assert_in_range(sel->items[i].doc, 0, ndocs - 1);
		const wk_doc *d = docs[sel->items[i].doc];
		if (!strncmp(d->hash, want, 16) &&
		    strstr(sel->items[i].text, mk_library_word(23)))
			hits++;
	}
	assert_true(hits > 0);

	/* Again on the same handle (documents now from its cache): the same evidence, and
	 * documents the caller owns. */
	wk_selection *again = NULL;
	wk_doc **docs2 = NULL;
	int ndocs2 = 0;
	assert_int_equal(wk_library_ask(lib, NULL, question, &opts, &again, &docs2, &ndocs2, NULL),
	                 WK_OK);
	assert_int_equal(again->n, sel->n);
	assert_int_equal(ndocs2, ndocs);
	for (int i = 0; i < sel->n; i++) {
		assert_int_equal(again->items[i].idx, sel->items[i].idx);
		assert_string_equal(again->items[i].text, sel->items[i].text);
	}
	wk_docs_free(docs, ndocs); /* freeing one answer's documents leaves the other's whole */
	for (int i = 0; i < again->n; i++)
		assert_non_null(docs2[again->items[i].doc]->units[again->items[i].idx].text);
	wk_selection_free(again);
	wk_docs_free(docs2, ndocs2);
	wk_selection_free(sel);

	/* One document by name: everything comes from it, even where another matches better. */
	snprintf(question, sizeof question, "What about %s and %s?", mk_library_word(21),
	         mk_library_word(23));
	assert_int_equal(wk_library_ask(lib, "q21.pdf", question, &opts, &sel, &docs, &ndocs, NULL),
	                 WK_OK);
	assert_int_equal(ndocs, 1);
	assert_non_null(strstr(docs[0]->path, "q21.pdf"));
	assert_true(sel->n > 0);
	for (int i = 0; i < sel->n; i++)
		assert_int_equal(sel->items[i].doc, 0);
	wk_selection_free(sel);
	wk_docs_free(docs, ndocs);
	assert_int_equal(wk_library_ask(lib, NULL, "   ", &opts, &sel, &docs, &ndocs, NULL),
	                 WK_EINVAL);
	wk_library_close(lib);
}

/* ---- stored packs: outdated or missing indexes, schema-1 libraries ---- */

static int count_rows(const char *db_path, const char *query)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static wk_selection *ask_lib(const char *dir, const char *question, wk_doc ***docs, int *ndocs)
{
	wk_library *lib = open_lib(dir);
	wk_ask_opts opts;
	wk_ask_opts_init(&opts);
	wk_selection *sel = NULL;
	wk_error err = {0};
	if (wk_library_ask(lib, NULL, question, &opts, &sel, docs, ndocs, &err))
		fail_msg("ask: %s", err.message);
	wk_library_close(lib);
	return sel;
}

static void expect_same_answer(const char *dir, const char *question, const wk_selection *want)
{
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_selection *got = ask_lib(dir, question, &docs, &ndocs);
	assert_int_equal(got->n, want->n);
	for (int i = 0; i < got->n; i++) {
		assert_int_equal(got->items[i].idx, want->items[i].idx);
		assert_string_equal(got->items[i].text, want->items[i].text);
	}
	wk_selection_free(got);
	wk_docs_free(docs, ndocs);
}

/* A library of documents p<first>.pdf .. p<last>.pdf and its evidence for a question
 * about the word of document `about` (written to question). */
static wk_selection *seeded(const char *dir, unsigned first, unsigned last, unsigned about,
                            char question[128])
{
	wk_library *lib = open_lib(dir);
	for (unsigned s = first; s <= last; s++) {
		char name[32];
		snprintf(name, sizeof name, "p%u.pdf", s);
		mk_library_pdf(join(dir, name), s, 3);
		add(lib, join(dir, name), NULL);
	}
	wk_library_close(lib);
	snprintf(question, 128, "What is said about %s?", mk_library_word(about));
	wk_doc **docs = NULL;
	int ndocs = 0;
	wk_selection *sel = ask_lib(dir, question, &docs, &ndocs);
	assert_true(sel->n > 0);
	wk_docs_free(docs, ndocs);
	return sel;
}

static void test_an_outdated_stored_index_is_rebuilt_with_the_same_answer(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char question[128];
	wk_selection *want = seeded(dir, 40, 43, 42, question);
	sql(join(dir, "lib.db"), /* pack version 999 */
	    "UPDATE docs SET ix = CAST(X'E7030000' || substr(ix, 5) AS BLOB)");
	expect_same_answer(dir, question, want);
	/* Adding the file again makes its index anew, from the stored document. */
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, join(dir, "p42.pdf"), &info), WK_ADD_UNCHANGED);
	wk_library_close(lib);
	assert_int_equal(count_rows(join(dir, "lib.db"), "SELECT count(*) FROM docs WHERE "
	                                                 "hex(substr(ix, 1, 4)) = 'E7030000'"), 3);
	expect_same_answer(dir, question, want);
	sql(join(dir, "lib.db"), "UPDATE docs SET ix = X'0100000000'"); /* damaged */
	expect_same_answer(dir, question, want);
	sql(join(dir, "lib.db"), "UPDATE docs SET ix = NULL");
	expect_same_answer(dir, question, want);
	wk_selection_free(want);
}

/* Rewrites the library as schema 1 stored it: documents as JSON, no pack columns. */
static void make_schema_1(const char *db_path)
{
	wk_library *lib = NULL;
	assert_int_equal(wk_library_open(db_path, &lib, NULL), WK_OK);
	wk_doc_info *infos;
	int n;
	assert_int_equal(wk_library_list(lib, &infos, &n, NULL), WK_OK);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE docs SET json = ?1 WHERE id = ?2", -1, &st,
	                                    NULL), SQLITE_OK);
	for (int i = 0; i < n; i++) {
		wk_doc *doc = NULL;
		char *json = NULL;
		assert_int_equal(wk_library_load(lib, infos[i].id, &doc, NULL), WK_OK);
		assert_int_equal(wk_doc_to_json(doc, &json, NULL, NULL), WK_OK);
		sqlite3_bind_blob(st, 1, json, (int)strlen(json), SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, infos[i].id, -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
		wk_free(json);
		wk_doc_free(doc);
	}
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE docs DROP COLUMN pack; ALTER TABLE docs DROP "
	                                  "COLUMN ix; DROP TABLE vectors; PRAGMA user_version = 1;", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	wk_doc_infos_free(infos, n);
	wk_library_close(lib);
}

static void test_a_schema_1_library_is_migrated_and_still_answers(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char question[128];
	wk_selection *want = seeded(dir, 50, 52, 51, question);
	make_schema_1(join(dir, "lib.db"));
	expect_same_answer(dir, question, want);
	const char *db = join(dir, "lib.db");
	assert_int_equal(count_rows(db, "PRAGMA user_version"), 3);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM vectors"), 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM docs WHERE pack IS NULL"), 3);
	/* Adding an unchanged file again stores its packs (from its JSON, not parsing it). */
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	assert_int_equal(add(lib, join(dir, "p51.pdf"), &info), WK_ADD_UNCHANGED);
	assert_int_equal(count_docs(lib), 3);
	wk_library_close(lib);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM docs WHERE pack IS NULL"), 2);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM docs WHERE length(json) = 0"), 1);
	expect_same_answer(dir, question, want);
	wk_selection_free(want);
}

/* ---- stage 1: ranking documents by their pages (src/store/rank.c, bm25.c) ---- */

#include "../src/store/store.h"

#include <math.h>

#define RANK_WORDS "zebrafish quasar lithograph"

/* Filler text of n words from a small vocabulary, drawn with *seed. */
static void filler(wk_buf *b, unsigned *seed, int n)
{
	static const char *const words[] = {"alpha", "beta", "gamma", "delta", "omega", "sigma",
	                                    "river", "stone", "cloud", "paper", "glass", "metal"};
	for (int i = 0; i < n; i++) {
		*seed = *seed * 1664525u + 1013904223u;
		wk_buf_printf(b, "%s ", words[(*seed >> 16) % WK_ARRAY_LEN(words)]);
	}
}

/* Writes documents straight into the tables stage 1 reads: doc 1 has one page dense with
 * RANK_WORDS; docs 2..41 mention one of them once on each of 15 long pages (600 pages,
 * more than a search keeps); docs 42..191 are filler. "report" is on every page. */
static void rank_library(const char *db_path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	sqlite3_stmt *doc = NULL, *page = NULL, *fts = NULL;
	sqlite3_prepare_v2(db, "INSERT INTO docs(key, id, hash, name, path, title, npages, nunits, "
	                   "tokens, added, bytes, json) VALUES(?1, printf('%016x', ?1), "
	                   "printf('%064x', ?1), ?1 || '.pdf', ?1 || '.pdf', '', 15, 30, 0, 0, 0, X'')",
	                   -1, &doc, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO pages(key, doc, page) VALUES(?1, ?2, ?3)", -1, &page,
	                   NULL);
	sqlite3_prepare_v2(db, "INSERT INTO page_fts(rowid, body) VALUES(?1, ?2)", -1, &fts, NULL);
	const char *rare[] = {"zebrafish", "quasar", "lithograph"};
	unsigned seed = 7;
	for (int d = 1, key = 1; d <= 191; d++) {
		sqlite3_bind_int(doc, 1, d);
		assert_int_equal(sqlite3_step(doc), SQLITE_DONE);
		sqlite3_reset(doc);
		for (int p = 1; p <= 15; p++, key++) {
			wk_buf body;
			wk_buf_init(&body, 0);
			wk_buf_puts(&body, "report ");
			if (d == 1 && p == 7)
				for (int i = 0; i < 3; i++)
					wk_buf_puts(&body, RANK_WORDS " ");
			filler(&body, &seed, d == 1 ? 60 : 120 + (int)(seed % 80));
			if (d >= 2 && d <= 41)
				wk_buf_printf(&body, "%s ", rare[(d * 15 + p) % 3]);
			sqlite3_bind_int(page, 1, key);
			sqlite3_bind_int(page, 2, d);
			sqlite3_bind_int(page, 3, p);
			assert_int_equal(sqlite3_step(page), SQLITE_DONE);
			sqlite3_reset(page);
			sqlite3_bind_int(fts, 1, key);
			sqlite3_bind_text(fts, 2, wk_buf_cstr(&body), -1, SQLITE_TRANSIENT);
			assert_int_equal(sqlite3_step(fts), SQLITE_DONE);
			sqlite3_reset(fts);
			wk_buf_free(&body);
		}
	}
	sqlite3_finalize(doc);
	sqlite3_finalize(page);
	sqlite3_finalize(fts);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* FTS5's own bm25() of the best page of document `doc` for the query `match`. */
static double fts5_best_page(const char *db_path, int doc, const char *match)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT bm25(page_fts) FROM page_fts WHERE page_fts "
	                                    "MATCH ?2 AND rowid IN (SELECT key FROM pages WHERE "
	                                    "doc = ?1) ORDER BY 1 LIMIT 1",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int(st, 1, doc);
	sqlite3_bind_text(st, 2, match, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	double v = -sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void test_a_document_with_one_page_dense_in_the_words_ranks_first(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char *path = join(dir, "lib.db");
	wk_library_close(open_lib(dir)); /* the schema */
	rank_library(path);
	wk_store *store = NULL;
	wk_error err = {0};
	if (wk_sqlite_store_open(path, &store, &err))
		fail_msg("open: %s", err.message);
	const char *terms[] = {"report", "zebrafish", "quasar", "lithograph"};
	wk_doc_hit hits[16];
	int n = 0;
	if (store->ops->rank(store, terms, 4, hits, 16, &n, &err))
		fail_msg("rank: %s", err.message);
	assert_int_equal(n, 16); /* the target and 40 documents that mention a word */
	assert_string_equal(hits[0].id, "0000000000000001");
	/* Its one matching page scores as FTS5's bm25() scores it ("report", on every page,
	 * is left out of both), though the search kept only part of the 600 other pages. */
	double want = fts5_best_page(path, 1, "zebrafish OR quasar OR lithograph");
	assert_true(fabs(hits[0].score - want) <= 1e-9 * want);
	for (int i = 1; i < n; i++) {
		assert_true(hits[i].score <= hits[i - 1].score);
		assert_true(hits[i].score < want);
		assert_true(hits[i].key >= 2 && hits[i].key <= 41);
		assert_int_equal(hits[i].nunits, 30);
	}
	/* A word nowhere in the library finds nothing. */
	const char *none[] = {"xylophonist"};
	assert_int_equal(store->ops->rank(store, none, 1, hits, 16, &n, &err), WK_OK);
	assert_int_equal(n, 0);
	store->ops->close(store);
}

/* Word counts a handle remembers between questions must follow the library: a word that
 * became common is dropped from the next search on the same handle. */
static void test_a_handle_counts_words_anew_after_the_library_changes(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char *path = join(dir, "lib.db");
	wk_library_close(open_lib(dir));
	rank_library(path);
	wk_store *store = NULL;
	wk_error err = {0};
	if (wk_sqlite_store_open(path, &store, &err))
		fail_msg("open: %s", err.message);
	const char *terms[] = {"zebrafish", "quasar", "lithograph"};
	wk_doc_hit hits[16];
	int n = 0;
	assert_int_equal(store->ops->rank(store, terms, 3, hits, 16, &n, &err), WK_OK);
	double all3 = fts5_best_page(path, 1, "zebrafish OR quasar OR lithograph");
	assert_true(n > 0 && fabs(hits[0].score - all3) <= 1e-9 * all3);
	/* Another connection adds 1,000 pages with "zebrafish": now on 31% of pages. */
	sql(path, "INSERT INTO docs(key, id, hash, name, path, title, npages, nunits, tokens, "
	          "added, bytes, json) VALUES(192, printf('%016x', 192), printf('%064x', 192), "
	          "'192.pdf', '192.pdf', '', 1000, 30, 0, 0, 0, X'');"
	          "WITH RECURSIVE k(x) AS (SELECT 5001 UNION ALL SELECT x + 1 FROM k WHERE x < 6000) "
	          "INSERT INTO pages(key, doc, page) SELECT x, 192, x - 5000 FROM k;"
	          "WITH RECURSIVE k(x) AS (SELECT 5001 UNION ALL SELECT x + 1 FROM k WHERE x < 6000) "
	          "INSERT INTO page_fts(rowid, body) SELECT x, 'zebrafish river stone' FROM k;");
	assert_int_equal(store->ops->rank(store, terms, 3, hits, 16, &n, &err), WK_OK);
	double two = fts5_best_page(path, 1, "quasar OR lithograph");
	assert_true(fabs(two - all3) > 1e-6 * all3); /* the two cases differ */
	assert_string_equal(hits[0].id, "0000000000000001");
	assert_true(fabs(hits[0].score - two) <= 1e-9 * two);
	store->ops->close(store);
}

/* ---- both backends, and the PostgreSQL one ---- */

/* Two `wukong add` processes over folders that share half their files: every document
 * once, none lost, each process content with the result. */
static void test_two_adds_of_overlapping_folders_at_once_store_each_document_once(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	enum { NDOCS = 16 };
	const char *dir = fresh_dir();
	char a[2100], b[2100], db[2100];
	snprintf(a, sizeof a, "%s", join(dir, "a"));
	snprintf(b, sizeof b, "%s", join(dir, "b"));
	snprintf(db, sizeof db, "%s", lib_at(dir, "lib.db"));
	assert_int_equal(wk_mkdirs(a, NULL), WK_OK);
	assert_int_equal(wk_mkdirs(b, NULL), WK_OK);
	for (int i = 0; i < NDOCS; i++) { /* a: 0..11, b: 4..15 (the same bytes in both) */
		char name[32];
		snprintf(name, sizeof name, "o%02d.pdf", i);
		if (i < 12)
			mk_library_pdf(join(a, name), 500 + (unsigned)i, 2);
		if (i >= 4)
			mk_library_pdf(join(b, name), 500 + (unsigned)i, 2);
	}
	pid_t one = spawn_add(db, a, 2), two = spawn_add(db, b, 2);
	int s1 = wait_status(one), s2 = wait_status(two);
	assert_true(WIFEXITED(s1) && WIFEXITED(s2));
	assert_int_equal(WEXITSTATUS(s1), 0);
	assert_int_equal(WEXITSTATUS(s2), 0);
	assert_int_equal(committed(db), NDOCS);
	check_whole(db);
}

/* Processes that open the same new library at the same moment all get it: switching a new
 * SQLite file to WAL does not wait for the busy timeout by itself, and before it was retried
 * about one pair in thirty failed with "database is locked" (measured, 300 pairs). Four
 * processes over 40 new libraries make the old failure all but certain. */
static void test_processes_opening_one_new_library_at_once_all_succeed(void **state)
{
	(void)state;
	enum { ROUNDS = 40, PROCS = 4 };
	const char *dir = fresh_dir();
	int failed = 0;
	for (int r = 0; r < ROUNDS; r++) {
		char name[32];
		snprintf(name, sizeof name, "new%02d.db", r);
		const char *path = join(dir, name);
		pid_t kids[PROCS];
		for (int k = 0; k < PROCS; k++) {
			kids[k] = fork();
			assert_true(kids[k] >= 0);
			if (kids[k] == 0) {
				wk_library *lib = NULL;
				wk_error err = {0};
				int rc = wk_library_open(path, &lib, &err);
				if (rc)
					fprintf(stderr, "# open: %s\n", err.message);
				wk_library_close(lib);
				_exit(rc ? 1 : 0);
			}
		}
		for (int k = 0; k < PROCS; k++) {
			int st = wait_status(kids[k]);
			failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
	}
	assert_int_equal(failed, 0);
}

static void test_a_library_uri_of_another_scheme_is_refused_and_makes_no_folder(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *dir = fresh_dir();
	mk_library_pdf(join(dir, "a.pdf"), 60, 1);
	wk_library *lib = NULL;
	wk_error err = {0};
	assert_int_equal(wk_library_open("mysql://db.example/lib", &lib, &err), WK_EINVAL);
	assert_non_null(strstr(err.message, "mysql://"));
	char out[4096];
	assert_int_equal(run_cli_in(dir, "add --db postgresq://localhost/lib a.pdf", out, sizeof out),
	                 2);
	struct stat st;
	assert_int_not_equal(stat(join(dir, "postgresq:"), &st), 0); /* no folder, no file */
}

static void test_an_unreachable_postgresql_library_exits_4_in_one_line_without_password(
	void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *dir = fresh_dir();
	char out[4096];
	/* Port 1 on loopback: nothing listens, the connection is refused at once. */
	const char *args = "ls --db 'postgresql://reader:hunter2secret@127.0.0.1:1/library'";
	assert_int_equal(run_cli_in(dir, args, out, sizeof out), 4);
	assert_null(strstr(out, "hunter2secret"));
	assert_non_null(strstr(out, "postgresql://reader@127.0.0.1:1/library"));
	assert_non_null(strstr(out, "unreachable"));
	assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1); /* one line */
	mk_library_pdf(join(dir, "a.pdf"), 61, 1);
	assert_int_equal(run_cli_in(dir, "add --db 'postgres://127.0.0.1:1/x' a.pdf", out,
	                            sizeof out),
	                 4);
}

/* libpq is opened on first use (src/store/pq_load.c): without it a PostgreSQL library
 * fails in one line saying what to install, and a SQLite library works as before. */
static void test_a_postgresql_library_without_libpq_exits_4_saying_what_to_install(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *dir = fresh_dir();
	char out[4096];
	mk_library_pdf(join(dir, "a.pdf"), 62, 1);
	setenv("WK_LIBPQ", "/nonexistent/libpq.so.5", 1);
	int pg = run_cli_in(dir, "ls --db 'postgresql://reader:hunter2secret@127.0.0.1:1/library'",
	                    out, sizeof out);
	char pg_out[4096];
	snprintf(pg_out, sizeof pg_out, "%s", out);
	int lite = run_cli_in(dir, "add --db lib.db a.pdf", out, sizeof out);
	unsetenv("WK_LIBPQ");
	assert_int_equal(pg, 4);
	assert_non_null(strstr(pg_out, "/nonexistent/libpq.so.5"));
	assert_non_null(strstr(pg_out, "install libpq5"));
	assert_null(strstr(pg_out, "hunter2secret"));
	assert_int_equal(strchr(pg_out, '\n') - pg_out, (long)strlen(pg_out) - 1); /* one line */
	assert_int_equal(lite, 0);
}

/* An upload kept by a shared library (its servers may share no disk) goes with its
 * document; SQLite keeps none (the server keeps uploads on its disk). */
static void test_an_uploaded_pdf_is_kept_with_its_document_in_a_shared_library(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	const char *pdf = join(dir, "up.pdf");
	mk_library_pdf(pdf, 70, 2);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(wk_read_file(pdf, 1 << 24, &data, &len, NULL), WK_OK);
	wk_library *lib = open_lib(dir);
	wk_doc_info info;
	int status = -1;
	assert_int_equal(wk_library_add_memory(lib, data, len, "up.pdf", NULL, &info, &status, NULL),
	                 WK_OK);
	char id[17], hash[65];
	snprintf(id, sizeof id, "%s", info.id);
	snprintf(hash, sizeof hash, "%s", info.hash);
	char *kept = NULL;
	size_t kept_len = 0;
	int rc = wk_library_file(lib, hash, &kept, &kept_len, NULL);
	assert_int_equal(wk_library_keeps_files(lib), pg_pass);
	assert_int_equal(rc, pg_pass ? WK_OK : WK_ENOTFOUND);
	if (pg_pass) {
		assert_int_equal(kept_len, len);
		assert_memory_equal(kept, data, len);
	}
	free(kept);
	assert_int_equal(wk_library_remove(lib, id, NULL), WK_OK);
	assert_int_equal(wk_library_file(lib, hash, &kept, &kept_len, NULL), WK_ENOTFOUND);
	wk_library_close(lib);
	free(data);
}

/* Stage 1 on both backends over the same documents: the same documents in the same
 * order, with the same scores (PostgreSQL computes bm25.c's formula in the same order). */
static void test_the_same_documents_rank_the_same_on_sqlite_and_postgresql(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char uri[2100];
	snprintf(uri, sizeof uri, "%s", pg_test_library(join(dir, "lib.db")));
	wk_store *lite = NULL, *pg = NULL;
	wk_error err = {0};
	if (wk_store_open(join(dir, "lib.db"), &lite, &err) || wk_store_open(uri, &pg, &err))
		fail_msg("open: %s", err.message);
	wk_library *libs[2] = {NULL, NULL};
	assert_int_equal(wk_library_open(join(dir, "lib.db"), &libs[0], NULL), WK_OK);
	assert_int_equal(wk_library_open(uri, &libs[1], NULL), WK_OK);
	for (unsigned s = 0; s < 24; s++) {
		char name[32];
		snprintf(name, sizeof name, "r%02u.pdf", s);
		mk_library_pdf(join(dir, name), 700 + s, 1 + s % 4);
		for (int b = 0; b < 2; b++)
			add(libs[b], join(dir, name), NULL);
	}
	static const char *const questions[][3] = {
		{"river", "engine", NULL},    {"protein", "harvest", "orbit"}, {"walnut", NULL, NULL},
		{"section", "quartz", NULL},  {"topic705x", "market", NULL},   {"falcon", "nectar", "pylon"},
		{"saddle", "2", NULL},        {"copper", "timber", "marble"},  {"voltage", NULL, NULL},
	};
	for (size_t q = 0; q < sizeof questions / sizeof questions[0]; q++) {
		int nterms = questions[q][1] ? (questions[q][2] ? 3 : 2) : 1;
		wk_doc_hit a[16], b[16];
		int na = 0, nb = 0;
		assert_int_equal(lite->ops->rank(lite, questions[q], nterms, a, 16, &na, NULL), WK_OK);
		assert_int_equal(pg->ops->rank(pg, questions[q], nterms, b, 16, &nb, NULL), WK_OK);
		assert_true(na > 0);
		assert_int_equal(na, nb);
		for (int i = 0; i < na; i++) {
			assert_true(fabs(a[i].score - b[i].score) <= 1e-9 * a[i].score);
			/* Equal scores may come in either order; else the same document. */
			int same = 0;
			for (int j = 0; j < nb && !same; j++)
				same = !strcmp(a[i].id, b[j].id) &&
				       fabs(a[i].score - b[j].score) <= 1e-9 * a[i].score;
			if (!same)
				fail_msg("question %zu, rank %d: %s on SQLite, %s on PostgreSQL", q, i, a[i].id,
				         b[i].id);
		}
	}
	for (int b = 0; b < 2; b++)
		wk_library_close(libs[b]);
	lite->ops->close(lite);
	pg->ops->close(pg);
}

/* `add --from` moves a library from SQLite to PostgreSQL and back without parsing (the
 * PDFs are gone before the copies), ids and uploads kept; a second copy changes nothing. */
static void test_a_library_moves_between_sqlite_and_postgresql_without_parsing(void **state)
{
	(void)state;
	if (!getenv("WK_BIN"))
		skip();
	const char *dir = fresh_dir();
	char first[2100], back[2100], uri[2100], args[8192], out[16384];
	snprintf(first, sizeof first, "%s", join(dir, "first.db"));
	snprintf(back, sizeof back, "%s", join(dir, "back.db"));
	snprintf(uri, sizeof uri, "%s", pg_test_library(join(dir, "moved")));
	wk_library *lib = NULL;
	assert_int_equal(wk_library_open(first, &lib, NULL), WK_OK);
	for (unsigned s = 0; s < 3; s++) {
		char name[32];
		snprintf(name, sizeof name, "m%u.pdf", s);
		mk_library_pdf(join(dir, name), 800 + s, 2);
		add(lib, join(dir, name), NULL);
	}
	/* An upload, kept where a server on this SQLite library keeps it. */
	mk_library_pdf(join(dir, "up.pdf"), 803, 1);
	char *data = NULL, hash[65], kept[2200];
	size_t len = 0;
	wk_doc_info info;
	assert_int_equal(wk_read_file(join(dir, "up.pdf"), 1 << 24, &data, &len, NULL), WK_OK);
	assert_int_equal(wk_library_add_memory(lib, data, len, "up.pdf", NULL, &info, NULL, NULL),
	                 WK_OK);
	snprintf(hash, sizeof hash, "%s", info.hash);
	snprintf(kept, sizeof kept, "%s.pdfs", first);
	assert_int_equal(wk_mkdirs(kept, NULL), WK_OK);
	snprintf(kept, sizeof kept, "%s.pdfs/%s.pdf", first, hash);
	assert_int_equal(wk_write_file_atomic(kept, data, len, NULL), WK_OK);
	wk_library_close(lib);
	for (unsigned s = 0; s < 4; s++) {
		char name[32];
		snprintf(name, sizeof name, s < 3 ? "m%u.pdf" : "up.pdf", s);
		unlink(join(dir, name)); /* a copy that parsed would fail now */
	}
	snprintf(args, sizeof args, "add --db '%s' --from '%s'", uri, first);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	assert_int_equal(pg_test_scalar(uri, "SELECT count(*) FROM docs"), 4);
	assert_int_equal(run_cli(args, out, sizeof out), 0); /* again: nothing new */
	assert_null(strstr(out, "added"));
	assert_int_equal(pg_test_scalar(uri, "SELECT count(*) FROM files"), 1);
	snprintf(args, sizeof args, "add --db '%s' --from '%s'", back, uri);
	assert_int_equal(run_cli(args, out, sizeof out), 0);
	snprintf(kept, sizeof kept, "%s.pdfs/%s.pdf", back, hash);
	char *again = NULL;
	size_t again_len = 0;
	assert_int_equal(wk_read_file(kept, 1 << 24, &again, &again_len, NULL), WK_OK);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, data, len);
	wk_library *libs[2] = {NULL, NULL};
	assert_int_equal(wk_library_open(first, &libs[0], NULL), WK_OK);
	assert_int_equal(wk_library_open(back, &libs[1], NULL), WK_OK);
	wk_doc_info *a, *b;
	int na, nb;
	assert_int_equal(wk_library_list(libs[0], &a, &na, NULL), WK_OK);
	assert_int_equal(wk_library_list(libs[1], &b, &nb, NULL), WK_OK);
	assert_int_equal(na, nb);
	for (int i = 0; i < na; i++) {
		assert_string_equal(a[i].id, b[i].id);
		assert_int_equal(a[i].nunits, b[i].nunits);
		assert_string_equal(a[i].path, b[i].path);
	}
	wk_doc_infos_free(a, na);
	wk_doc_infos_free(b, nb);
	wk_library_close(libs[0]);
	wk_library_close(libs[1]);
	free(again);
	free(data);
	snprintf(args, sizeof args, "add --db '%s' --from '%s'", back, join(dir, "absent.db"));
	assert_int_equal(run_cli(args, out, sizeof out), 2);
}

static void test_a_newer_or_foreign_postgresql_schema_is_refused(void **state)
{
	(void)state;
	const char *dir = fresh_dir();
	char newer[2100], foreign[2100];
	snprintf(newer, sizeof newer, "%s", pg_test_library(join(dir, "newer")));
	snprintf(foreign, sizeof foreign, "%s", pg_test_library(join(dir, "foreign")));
	wk_library *lib = NULL;
	assert_int_equal(wk_library_open(newer, &lib, NULL), WK_OK);
	wk_library_close(lib);
	assert_int_equal(pg_test_exec(newer, "UPDATE wk_meta SET value = 99 WHERE name = 'schema'"), 0);
	wk_error err = {0};
	assert_int_equal(wk_library_open(newer, &lib, &err), WK_EVERSION);
	assert_non_null(strstr(err.message, "newer"));
	assert_int_equal(pg_test_exec(foreign, "CREATE TABLE accounts(id integer, owner text)"), 0);
	assert_int_equal(wk_library_open(foreign, &lib, &err), WK_EVERSION);
	assert_non_null(strstr(err.message, "not a wukong library"));
	assert_null(lib);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_list_find_load_and_remove),
		cmocka_unit_test(test_adding_an_unchanged_file_does_nothing),
		cmocka_unit_test(test_a_changed_file_is_indexed_again),
		cmocka_unit_test(test_a_moved_file_keeps_its_id),
		cmocka_unit_test(test_a_document_stored_in_an_old_format_is_parsed_again),
		cmocka_unit_test(test_a_failing_file_is_skipped_and_the_others_indexed),
		cmocka_unit_test(test_newer_or_foreign_databases_are_refused),
		cmocka_unit_test(test_ask_across_the_library_names_the_right_document),
		cmocka_unit_test(test_an_outdated_stored_index_is_rebuilt_with_the_same_answer),
		cmocka_unit_test(test_a_schema_1_library_is_migrated_and_still_answers),
		cmocka_unit_test(test_cli_add_ls_show_rm),
		cmocka_unit_test(test_readers_work_while_an_add_is_running),
		cmocka_unit_test(test_kill_9_during_add_keeps_committed_documents_whole),
		cmocka_unit_test(test_a_document_with_one_page_dense_in_the_words_ranks_first),
		cmocka_unit_test(test_a_handle_counts_words_anew_after_the_library_changes),
		cmocka_unit_test(test_two_adds_of_overlapping_folders_at_once_store_each_document_once),
		cmocka_unit_test(test_processes_opening_one_new_library_at_once_all_succeed),
		cmocka_unit_test(test_a_library_uri_of_another_scheme_is_refused_and_makes_no_folder),
		cmocka_unit_test(
			test_an_unreachable_postgresql_library_exits_4_in_one_line_without_password),
		cmocka_unit_test(test_a_postgresql_library_without_libpq_exits_4_saying_what_to_install),
		cmocka_unit_test(test_an_uploaded_pdf_is_kept_with_its_document_in_a_shared_library),
	};
	/* The same tests on PostgreSQL, but those that look inside SQLite, and its own. */
	const struct CMUnitTest pg_tests[] = {
		cmocka_unit_test(test_add_list_find_load_and_remove),
		cmocka_unit_test(test_adding_an_unchanged_file_does_nothing),
		cmocka_unit_test(test_a_changed_file_is_indexed_again),
		cmocka_unit_test(test_a_moved_file_keeps_its_id),
		cmocka_unit_test(test_a_document_stored_in_an_old_format_is_parsed_again),
		cmocka_unit_test(test_a_failing_file_is_skipped_and_the_others_indexed),
		cmocka_unit_test(test_a_newer_or_foreign_postgresql_schema_is_refused),
		cmocka_unit_test(test_ask_across_the_library_names_the_right_document),
		cmocka_unit_test(test_cli_add_ls_show_rm),
		cmocka_unit_test(test_readers_work_while_an_add_is_running),
		cmocka_unit_test(test_kill_9_during_add_keeps_committed_documents_whole),
		cmocka_unit_test(test_two_adds_of_overlapping_folders_at_once_store_each_document_once),
		cmocka_unit_test(test_an_uploaded_pdf_is_kept_with_its_document_in_a_shared_library),
		cmocka_unit_test(test_the_same_documents_rank_the_same_on_sqlite_and_postgresql),
		cmocka_unit_test(test_a_library_moves_between_sqlite_and_postgresql_without_parsing),
	};
	int failed = cmocka_run_group_tests_name("library on SQLite", tests, NULL, NULL);
	if (!pg_test_uri())
		return failed;
	pg_pass = 1;
	return failed + cmocka_run_group_tests_name("library on PostgreSQL", pg_tests, NULL, NULL);
}
