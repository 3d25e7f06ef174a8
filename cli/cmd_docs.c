/* cmd_docs.c: `wukong ls`, `wukong rm`, `wukong show`: the library's documents. */
#include "cli.h"
#include "cli_opts.h"
#include "library_cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct docs_cli {
	const char *cmd;
	const char *db;
	int json;
	char **args; /* the operands, in order */
	int nargs;
} docs_cli;

void *wk_cli_grow(void *array, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return array;
	int n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(array, (size_t)n * elem);
	if (!p) {
		fprintf(stderr, "wukong: out of memory\n");
		exit(EXIT_ENV);
	}
	*cap = n;
	return p;
}

double wk_cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void wk_cli_date(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M", &tm))
		snprintf(out, size, "?");
}

/* Parses --db, --json and operands; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, docs_cli *c, const char *usage)
{
	const cli_option table[] = {
		{"db", 0, CLI_STRING, &c->db},
		{"json", 0, CLI_FLAG, &c->json},
	};
	return cli_parse_options(c->cmd, argc, argv, table, CLI_NOPTS(table), usage, &c->args,
	                         &c->nargs);
}

static json_t *info_json(const wk_doc_info *d)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:I,s:I}", "id", d->id, "hash", d->hash,
	                 "name", d->name, "path", d->path, "title", d->title, "pages", d->npages,
	                 "units", d->nunits, "added", (json_int_t)d->added, "bytes",
	                 (json_int_t)d->bytes);
}

static void print_json(json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (s)
		printf("%s\n", s);
	free(s);
	json_decref(v);
}

static int list_docs(docs_cli *c, wk_library *lib)
{
	wk_doc_info *infos = NULL;
	int n = 0;
	wk_error err = {0};
	if (wk_library_list(lib, &infos, &n, &err))
		return cli_fail(&err);
	if (c->json) {
		json_t *arr = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(arr, info_json(&infos[i]));
		print_json(arr);
	} else if (n == 0) {
		printf("The library is empty: `wukong add FILE.pdf` adds documents.\n");
	} else {
		printf("%-16s  %5s  %6s  %-16s  %s\n", "ID", "PAGES", "UNITS", "ADDED", "NAME");
		for (int i = 0; i < n; i++) {
			char date[32];
			wk_cli_date(infos[i].added, date, sizeof date);
			printf("%-16s  %5d  %6d  %-16s  %s\n", infos[i].id, infos[i].npages,
			       infos[i].nunits, date, infos[i].name);
		}
	}
	wk_doc_infos_free(infos, n);
	return 0;
}

static int remove_docs(docs_cli *c, wk_library *lib)
{
	int failed = 0;
	for (int i = 0; i < c->nargs; i++) {
		wk_doc_info info;
		wk_error err = {0};
		int rc = wk_library_find(lib, c->args[i], &info, &err);
		if (!rc) {
			char id[17], name[256];
			snprintf(id, sizeof id, "%s", info.id);
			snprintf(name, sizeof name, "%s", info.name);
			rc = wk_library_remove(lib, id, &err);
			if (!rc)
				printf("removed %s  %s\n", id, name);
		}
		if (rc) {
			int status = cli_fail(&err);
			if (status == EXIT_ENV)
				return status;
			failed++;
		}
	}
	return !failed ? 0 : failed < c->nargs ? EXIT_PARTIAL : EXIT_INPUT;
}

static int with_library(docs_cli *c, int (*fn)(docs_cli *, wk_library *))
{
	wk_library *lib = NULL;
	int status = wk_cli_library_open(c->cmd, c->db, 0, &lib); /* these never create one */
	if (status >= 0)
		return status;
	status = fn(c, lib);
	wk_library_close(lib);
	return status;
}

int cmd_ls(int argc, char **argv)
{
	docs_cli c = {.cmd = "ls"};
	int rc = parse_args(argc, argv, &c,
	                    "usage: wukong ls [--db LIBRARY] [--json]\n\n"
	                    "Lists the library's documents: id, pages, units, when added, name.\n\n"
	                    CLI_DB_HELP
	                    "  --json             one JSON array of document records\n");
	if (rc >= 0)
		return rc;
	if (c.nargs)
		return cli_usage_error("ls", "unexpected argument '%s'", c.args[0]);
	return with_library(&c, list_docs);
}

int cmd_rm(int argc, char **argv)
{
	docs_cli c = {.cmd = "rm"};
	int rc = parse_args(argc, argv, &c,
	                    "usage: wukong rm [--db LIBRARY] DOC...\n\n"
	                    "Removes documents from the library; DOC is an id, a unique id prefix\n"
	                    "(4+ digits) or a file name.\n\n"
	                    CLI_DB_HELP);
	if (rc >= 0)
		return rc;
	if (!c.nargs)
		return cli_usage_error("rm", "no document given");
	return with_library(&c, remove_docs);
}

static json_t *show_json(const wk_doc_info *info, const wk_doc *doc, const int *counts,
                         long tokens)
{
	json_t *o = info_json(info);
	json_t *cj = json_object();
	for (int t = 0; t < 4; t++)
		json_object_set_new(cj, wk_unit_type_name((wk_unit_type)t), json_integer(counts[t]));
	json_object_set_new(o, "counts", cj);
	json_object_set_new(o, "tokens", json_integer(tokens));
	json_t *damaged = json_array(); /* pages that could not be read when it was added */
	for (int i = 0; i < doc->npages; i++)
		if (doc->pages[i].status != WK_OK)
			json_array_append_new(damaged, json_integer(i + 1));
	json_object_set_new(o, "damaged_pages", damaged);
	json_t *secs = json_array();
	for (int i = 0; i < doc->nsections; i++) {
		const wk_section *s = &doc->sections[i];
		int page = s->heading >= 0 && s->heading < doc->nunits ? doc->units[s->heading].page : 0;
		json_array_append_new(secs, json_pack("{s:s,s:s,s:i,s:i}", "title", s->title, "path",
		                                      s->path, "level", s->level, "page", page));
	}
	json_object_set_new(o, "sections", secs);
	return o;
}

static void show_text(const wk_doc_info *info, const wk_doc *doc, const int *counts,
                      long tokens)
{
	char date[32];
	wk_cli_date(info->added, date, sizeof date);
	printf("id       %s\nname     %s\npath     %s\ntitle    %s\n", info->id, info->name,
	       info->path, info->title);
	printf("pages    %d\nunits    %d (text %d, heading %d, figure %d, table %d)\n",
	       info->npages, info->nunits, counts[WK_UNIT_TEXT], counts[WK_UNIT_HEADING],
	       counts[WK_UNIT_FIGURE], counts[WK_UNIT_TABLE]);
	printf("tokens   %ld\nbytes    %lld\nadded    %s\nhash     %s\n", tokens,
	       (long long)info->bytes, date, info->hash);
	char pages[96];
	int damaged = wk_doc_damaged_pages(doc, pages, sizeof pages);
	if (damaged)
		printf("damaged  %d pages could not be read: %s\n", damaged, pages);
	printf("sections %d\n", doc->nsections);
	for (int i = 0; i < doc->nsections; i++) {
		const wk_section *s = &doc->sections[i];
		int page = s->heading >= 0 && s->heading < doc->nunits ? doc->units[s->heading].page : 0;
		printf("  p.%-4d %*s%s\n", page, 2 * (s->level > 1 ? s->level - 1 : 0), "", s->title);
	}
}

static int show_doc(docs_cli *c, wk_library *lib)
{
	wk_doc_info info;
	wk_doc *doc = NULL;
	wk_error err = {0};
	char id[17];
	int st = wk_cli_library_find("show", lib, c->args[0], id);
	if (st >= 0)
		return st;
	if (wk_library_find(lib, id, &info, &err) || wk_library_load(lib, info.id, &doc, &err))
		return cli_fail(&err);
	int counts[4] = {0};
	long tokens = 0;
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		if ((int)u->type >= 0 && (int)u->type < 4)
			counts[u->type]++;
		tokens += wk_tokens_count(u->text) + wk_tokens_count(u->figure_text);
	}
	if (c->json)
		print_json(show_json(&info, doc, counts, tokens));
	else
		show_text(&info, doc, counts, tokens);
	wk_doc_free(doc);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	docs_cli c = {.cmd = "show"};
	int rc = parse_args(argc, argv, &c,
	                    "usage: wukong show [--db LIBRARY] [--json] DOC\n\n"
	                    "Shows a library document: metadata, counts of units by type, "
	                    "sections.\nDOC is an id, a file name with or without its extension, "
	                    "a title, or a\nunique prefix of one of these.\n\n"
	                    CLI_DB_HELP
	                    "  --json             the record, counts and sections as one JSON object\n");
	if (rc >= 0)
		return rc;
	if (c.nargs != 1)
		return cli_usage_error("show", "give exactly one document");
	return with_library(&c, show_doc);
}
