/* cmd_library.c: `wukong add`: index PDFs into the library, with parse threads, a
 * progress bar on a terminal and one line per document otherwise. */
#include "cli.h"
#include "cli_ask.h" /* cli_set_url */
#include "cli_budget.h"
#include "cli_opts.h"
#include "cli_read.h"
#include "library_cli.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 1000000
#define MAX_DEPTH 64

typedef struct add_cli {
	const char *db;
	const char *from;  /* --from: a library to copy, instead of PDFs */
	const char *password; /* --password, else $WUKONG_PDF_PASSWORD */
	int jobs;
	int quiet;
	int tty;
	char **files;
	int nfiles, cap;
	int counts[4];     /* by WK_ADD_* */
	int failed, done;
	int damaged;       /* documents added with pages that could not be read */
	cli_budget budget; /* --max-memory, --timeout */
	cli_read read;     /* --ocr, --lang */
	long pages;        /* pages of the documents written */
	double start;
	int bar_shown;
	const char *embed_url, *embed_model; /* --embed, --embed-model */
	wk_llm_opts llm;   /* the embedding server, with the config file and environment */
	long embedded;     /* units embedded */
	int embed_failed;  /* documents added without vectors */
} add_cli;

static const char usage_text[] =
	"usage: wukong add [--db LIBRARY] [--jobs N] [--quiet] PATH...\n"
	"       wukong add [--db LIBRARY] --from LIBRARY\n\n"
	"Adds PDFs to the library: files, or folders searched recursively for *.pdf.\n"
	"A file already there with the same content is skipped; a changed file is\n"
	"indexed again; a moved file keeps its id. Files that fail are reported and\n"
	"skipped (exit status 1); so are files added with pages that could not be read.\n\n"
	CLI_DB_HELP
	"  --from LIBRARY  copy every document of another library (file or URI) without\n"
	"              parsing, with its uploads: SQLite to PostgreSQL or back\n"
	"  --jobs N    documents parsed in parallel (default 1)\n"
	"  --password P  password of encrypted PDFs (also $WUKONG_PDF_PASSWORD); never\n"
	"              stored\n"
	"  --quiet     print only errors\n"
	"  --embed URL   store unit vectors from this embedding server (also\n"
	"              $WUKONG_EMBED_URL, embed_url in the config file), for hybrid\n"
	"              questions that send only themselves; a document without\n"
	"              vectors of the model gets them (exit status 3 when it fails)\n"
	"  --embed-model NAME  the embedding model (also $WUKONG_EMBED_MODEL)\n"
	CLI_BUDGET_HELP
	CLI_READ_HELP;

static int is_pdf_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcasecmp(name + n - 4, ".pdf");
}

static void push_file(add_cli *c, const char *path)
{
	char real[PATH_MAX];
	/* Absolute paths: a document is found again, and a move detected, from any folder. */
	const char *keep = realpath(path, real) ? real : path;
	c->files = wk_cli_grow(c->files, &c->cap, c->nfiles + 1, sizeof *c->files);
	c->files[c->nfiles++] = strdup(keep);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(add_cli *c, const char *dir, int depth)
{
	DIR *d = depth < MAX_DEPTH ? opendir(dir) : NULL;
	if (!d) {
		fprintf(stderr, "wukong add: %s: cannot read the folder\n", dir);
		c->failed++;
		return;
	}
	int first = c->nfiles;
	for (struct dirent *e; (e = readdir(d)) && c->nfiles < MAX_FILES;) {
		if (e->d_name[0] == '.')
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path)
			continue;
		struct stat st, link;
		if (stat(path, &st) != 0 || lstat(path, &link) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && !S_ISLNK(link.st_mode)) /* linked folders may loop */
			walk(c, path, depth + 1);
		else if (S_ISREG(st.st_mode) && is_pdf_name(e->d_name))
			push_file(c, path);
	}
	closedir(d);
	qsort(c->files + first, (size_t)(c->nfiles - first), sizeof *c->files, by_name);
}

static void collect(add_cli *c, char **args, int n)
{
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(args[i], &st) != 0) {
			fprintf(stderr, "wukong add: %s: no such file or folder\n", args[i]);
			c->failed++;
		} else if (S_ISDIR(st.st_mode)) {
			walk(c, args[i], 0);
		} else {
			push_file(c, args[i]); /* named explicitly: tried whatever its extension */
		}
	}
}

static void draw_bar(add_cli *c, int done, long pages)
{
	double elapsed = (wk_cli_now() - c->start) / 1000.0;
	char left[32] = "?";
	if (done > 0 && done < c->nfiles)
		cli_duration(left, sizeof left, elapsed / done * (c->nfiles - done));
	else if (done >= c->nfiles)
		snprintf(left, sizeof left, "0s");
	int width = 24, fill = c->nfiles ? width * done / c->nfiles : width;
	char bar[32];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	fprintf(stderr, "\r\033[K[%s] %d/%d documents  %.1f pages/s  %s left", bar, done,
	        c->nfiles, elapsed > 0 ? pages / elapsed : 0.0, left);
	if (c->llm.embed_url)
		fprintf(stderr, "  %ld units embedded", c->embedded);
	fflush(stderr);
	c->bar_shown = 1;
}

static void on_tick(void *user, int done, long pages)
{
	add_cli *c = user;
	if (c->tty && !c->quiet)
		draw_bar(c, done, pages);
}

static void on_embed(void *user, const char *path, int units, int rc, const wk_error *err)
{
	add_cli *c = user;
	c->embedded += units;
	if (!rc)
		return;
	c->embed_failed++;
	if (c->bar_shown)
		fprintf(stderr, "\r\033[K");
	fprintf(stderr, "wukong add: %s: added without vectors: %s\n", path, err->message);
}

static const char *status_word(int status)
{
	static const char *const words[] = {"added", "unchanged", "updated", "moved"};
	return status >= 0 && status < 4 ? words[status] : "done";
}

static void on_file(void *user, const char *path, int rc, int status, const wk_doc_info *info,
                    const wk_error *err)
{
	add_cli *c = user;
	c->done++;
	if (c->bar_shown)
		fprintf(stderr, "\r\033[K");
	if (rc) {
		c->failed++;
		const char *why = err->message[0] ? err->message : wk_strerror(rc);
		size_t n = strlen(path);
		if (!strncmp(why, path, n) && !strncmp(why + n, ": ", 2))
			why += n + 2; /* the file is named once */
		fprintf(stderr, "wukong add: %s: %s\n", path, why);
	} else {
		c->counts[status]++;
		if (status != WK_ADD_UNCHANGED)
			c->pages += info->npages;
		if (!c->tty && !c->quiet)
			printf("%-9s %s  %4d pages  %s\n", status_word(status), info->id, info->npages,
			       path);
		if (info->ndamaged) {
			c->damaged++;
			fprintf(stderr, "wukong add: warning: %s: %d of %d pages could not be read (%s)\n",
			        path, info->ndamaged, info->npages, info->damaged);
		}
	}
	if (c->tty && !c->quiet)
		draw_bar(c, c->done, c->pages);
}

static void summary(add_cli *c)
{
	if (c->bar_shown)
		fprintf(stderr, "\n");
	if (c->quiet)
		return;
	double s = (wk_cli_now() - c->start) / 1000.0;
	fprintf(stderr,
	        "wukong add: %d added, %d updated, %d moved, %d unchanged, %d failed; %ld pages "
	        "in %.1f s (%.1f pages/s)\n",
	        c->counts[WK_ADD_NEW], c->counts[WK_ADD_UPDATED], c->counts[WK_ADD_MOVED],
	        c->counts[WK_ADD_UNCHANGED], c->failed, c->pages, s, s > 0 ? c->pages / s : 0.0);
	if (c->llm.embed_url)
		fprintf(stderr, "wukong add: %ld units embedded (%s), %d documents without vectors\n",
		        c->embedded, c->llm.embed_model, c->embed_failed);
}

/* The embedding server: command line over environment over config file. */
static int embedding_server(add_cli *c)
{
	wk_error err = {0};
	if (wk_llm_opts_load(&c->llm, NULL, &err) != WK_OK)
		return cli_usage_error("add", "%s", err.message);
	if (c->embed_url)
		c->llm.embed_url = c->embed_url;
	if (c->embed_model)
		c->llm.embed_model = c->embed_model;
	if (c->llm.embed_url && !*c->llm.embed_url)
		c->llm.embed_url = NULL;
	if (c->embed_model && !c->llm.embed_url)
		return cli_usage_error("add", "--embed-model needs an embedding server: give --embed "
		                              "URL or set WUKONG_EMBED_URL");
	return -1;
}

/* Returns -1 to go on, else the exit status; *paths and *npaths get the operands. */
static int parse_args(int argc, char **argv, add_cli *c, char ***paths, int *npaths)
{
	const cli_option table[] = {
		{"db", 0, CLI_STRING, &c->db},
		{"jobs", 'j', CLI_INT, &c->jobs, 1, 64},
		{"quiet", 'q', CLI_FLAG, &c->quiet},
		{"from", 0, CLI_STRING, &c->from},
		{"password", 0, CLI_STRING, &c->password},
		{"embed", 0, CLI_CALL, &c->embed_url, 0, 0, cli_set_url},
		{"embed-model", 0, CLI_STRING, &c->embed_model},
		CLI_BUDGET_OPTIONS(&c->budget),
		CLI_READ_OPTIONS(&c->read),
	};
	int rc = cli_parse_options("add", argc, argv, table, CLI_NOPTS(table), usage_text, paths,
	                           npaths);
	if (rc >= 0)
		return rc;
	if (c->from && *npaths)
		return cli_usage_error("add", "--from copies a library: give no PDF files with it");
	if (!*npaths && !c->from)
		return cli_usage_error("add", "no PDF file or folder given");
	if (!c->password && getenv("WUKONG_PDF_PASSWORD") && *getenv("WUKONG_PDF_PASSWORD"))
		c->password = getenv("WUKONG_PDF_PASSWORD");
	return embedding_server(c);
}

/* The summary and the exit status: partial when some files failed and others went in. */
static int finish(add_cli *c, int rc, int failed, const wk_error *err)
{
	summary(c);
	if (rc)
		return cli_fail(err);
	if (!c->failed && c->embed_failed)
		return EXIT_LLM;
	if (!c->failed)
		return c->damaged ? EXIT_PARTIAL : 0;
	return c->done - failed > 0 ? EXIT_PARTIAL : EXIT_INPUT;
}

static int run_add(add_cli *c, wk_library *lib)
{
	wk_parse_opts parse;
	wk_parse_opts_init(&parse);
	cli_budget_apply(&c->budget, &parse);
	cli_read_apply(&c->read, &parse);
	if (c->jobs > 1)
		parse.threads = 1; /* the documents are the parallelism */
	parse.password = c->password;
	wk_add_opts opts = {.jobs = c->jobs, .parse = &parse, .on_file = on_file,
	                    .on_tick = on_tick, .user = c};
	if (c->llm.embed_url) {
		opts.embed = &c->llm;
		opts.on_embed = on_embed;
	}
	wk_error err = {0};
	int failed = 0;
	int rc = wk_library_add_many(lib, (const char *const *)c->files, c->nfiles, &opts, &failed,
	                             &err);
	return finish(c, rc, failed, &err);
}

/* --from: the documents of another library, reported as files are. */
static int run_copy(add_cli *c, wk_library *lib)
{
	wk_add_opts opts = {.on_file = on_file, .user = c};
	wk_error err = {0};
	int failed = 0;
	int rc = wk_library_add_from(lib, c->from, c->db, &opts, &failed, &err);
	return finish(c, rc, failed, &err);
}

int cmd_add(int argc, char **argv)
{
	add_cli c = {.jobs = 1, .tty = isatty(STDERR_FILENO), .budget = CLI_BUDGET_INIT,
	             .read = CLI_READ_INIT};
	wk_llm_opts_init(&c.llm);
	/* One line per file as it is added, even into a pipe: a run that is killed keeps
	 * the lines of the files it added. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	char **paths;
	int npaths;
	int rc = parse_args(argc, argv, &c, &paths, &npaths);
	if (rc >= 0) {
		wk_llm_opts_release(&c.llm);
		return rc;
	}
	collect(&c, paths, npaths);
	if (c.nfiles == 0 && !c.from) {
		fprintf(stderr, "wukong add: no PDF files found\n");
		return EXIT_INPUT;
	}
	wk_library *lib = NULL;
	int status = wk_cli_library_open("add", c.db, 1, &lib);
	if (status < 0) {
		c.start = wk_cli_now();
		status = c.from ? run_copy(&c, lib) : run_add(&c, lib);
	}
	wk_library_close(lib);
	wk_llm_opts_release(&c.llm);
	for (int i = 0; i < c.nfiles; i++)
		free(c.files[i]);
	free(c.files);
	return status;
}
