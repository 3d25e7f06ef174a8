/* cmd_parse.c: `wukong parse FILE.pdf`: the evidence units, as text or as JSON. */
#include "cli.h"
#include "cli_budget.h"
#include "cli_opts.h"
#include "cli_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage_text[] =
	"usage: wukong parse FILE.pdf [OPTIONS]\n"
	"\n"
	"Parses a PDF into evidence units (paragraphs, headings, figures, tables) in reading\n"
	"order and prints them, one per line, or as the JSON of docs/units.md. parse always\n"
	"reads the PDF afresh and never uses the parse cache (`ask` and `add` do).\n"
	"\n"
	"  --json            print JSON instead of text\n"
	"  --figures DIR     write PNG crops of figures and tables into DIR\n"
	"  --dpi N           crop resolution (18..600, default 150)\n"
	"  --threads N       pages parsed in parallel (default 1)\n"
	"  --pages A-B       parse pages A to B only (1-based; \"A-\" and \"A\" work too)\n"
	"  --password P      password of an encrypted PDF\n"
	"  --max-pages N     refuse documents with more pages (default 10000)\n"
	"  --timeout S       give up after S seconds (default 600, 0 = never), and 30\n"
	"                    more for each page needing OCR\n"
	"  --max-memory MB   cap on the memory the PDF library may use (default 1024)\n"
	"  --ocr MODE        pages without a text layer: auto (OCR them), always (OCR every\n"
	"                    page), never (leave them unread, with a notice); default auto\n"
	"  --lang L          OCR language (Tesseract code, default eng)\n"
	"\n"
	"On a terminal, a long parse shows its progress on stderr (page N of M, time left).\n";

static const char *set_range(void *target, const char *s)
{
	wk_parse_opts *o = target;
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || a < 1 || a > 10000000)
		return "must be a page range like 3-7";
	long b = a;
	if (*end == '-') {
		const char *t = end + 1;
		b = *t ? strtol(t, &end, 10) : 0;
		if ((*t && (end == t || b < a)) || b > 10000000)
			return "must be a page range like 3-7";
	}
	if (*end)
		return "must be a page range like 3-7";
	o->first_page = (int)a;
	o->last_page = (int)b;
	return NULL;
}

typedef struct parse_args {
	const char *file;
	int json;
	cli_budget budget;
	cli_read read;
	wk_parse_opts opts;
} parse_args;

static int parse_args_from(int argc, char **argv, parse_args *a)
{
	wk_parse_opts *o = &a->opts;
	wk_parse_opts_init(o);
	const cli_option table[] = {
		{"json", 0, CLI_FLAG, &a->json},
		{"figures", 0, CLI_STRING, &o->figures_dir},
		{"dpi", 0, CLI_INT, &o->dpi, 18, 600},
		{"threads", 0, CLI_INT, &o->threads, 1, 64},
		{"pages", 0, CLI_CALL, o, 0, 0, set_range},
		{"password", 0, CLI_STRING, &o->password},
		{"max-pages", 0, CLI_INT, &o->max_pages, 1, 10000000},
		CLI_BUDGET_OPTIONS(&a->budget),
		CLI_READ_OPTIONS(&a->read),
	};
	char **files;
	int nfiles;
	int rc = cli_parse_options("parse", argc, argv, table, CLI_NOPTS(table), usage_text, &files,
	                           &nfiles);
	if (rc >= 0)
		return rc ? rc : -1;
	cli_budget_apply(&a->budget, o);
	cli_read_apply(&a->read, o);
	if (nfiles > 1)
		return cli_usage_error("parse", "one file at a time ('%s')", files[1]);
	if (!nfiles)
		return cli_usage_error("parse", "no PDF file given");
	a->file = files[0];
	return 0;
}

/* Warnings about skipped pages, held back until the parse succeeds: a refused file
 * gets its one-line error and nothing else. */
typedef struct warnings {
	char text[8192];
	size_t len;
	int dropped;
} warnings;

static void warn(void *user, const char *message)
{
	warnings *w = user;
	int n = snprintf(w->text + w->len, sizeof w->text - w->len, "wukong: warning: %s\n", message);
	if (n < 0 || (size_t)n >= sizeof w->text - w->len) {
		w->text[w->len] = '\0';
		w->dropped++;
	} else
		w->len += (size_t)n;
}

static void print_warnings(const warnings *w)
{
	fputs(w->text, stderr);
	if (w->dropped)
		fprintf(stderr, "wukong: warning: %d more pages skipped\n", w->dropped);
}

/* Newlines would break the one-unit-per-line text output. */
static void put_flat(const char *s, FILE *out)
{
	for (; s && *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
}

static void print_text(const wk_doc *doc, FILE *out)
{
	fprintf(out, "# %s\n# %d pages, %d units, sha256 %s\n", doc->title ? doc->title : "",
	        doc->npages, doc->nunits, doc->hash);
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		fprintf(out, "[%d] %s p%d", u->idx, wk_unit_type_name(u->type), u->page);
		const char *section = wk_unit_section(doc, u);
		if (section[0] && u->type != WK_UNIT_HEADING) {
			fputs(" {", out);
			put_flat(section, out);
			fputc('}', out);
		}
		fputs(": ", out);
		put_flat(u->text, out);
		if (u->figure_text && u->figure_text[0]) {
			fputs(" | inside: ", out);
			put_flat(u->figure_text, out);
		}
		if (u->image)
			fprintf(out, " | image: %s", u->image);
		fputc('\n', out);
	}
}

/* mkdir -p DIR. */
static int prepare_figures_dir(const char *dir)
{
	if (!dir)
		return 0;
	char path[4096];
	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path || !path[0])
		return cli_usage_error("parse", "bad --figures folder");
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "wukong: %s: %s\n", path, strerror(errno));
			return EXIT_INPUT;
		}
		*p = c;
		if (!c)
			break;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "wukong: %s: not a folder\n", dir);
		return EXIT_INPUT;
	}
	return 0;
}

int cmd_parse(int argc, char **argv)
{
	parse_args a = {.budget = CLI_BUDGET_INIT, .read = CLI_READ_INIT};
	int rc = parse_args_from(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	if ((rc = prepare_figures_dir(a.opts.figures_dir)))
		return rc;
	static warnings held;
	a.opts.on_warning = warn;
	a.opts.user = &held;
	cli_progress progress;
	cli_progress_start(&progress, a.file, &a.opts);
	wk_doc *doc = NULL;
	wk_error err = {0};
	rc = wk_parse_file(a.file, &a.opts, &doc, &err);
	cli_progress_end(&progress);
	if (rc != WK_OK)
		return cli_fail(&err);
	print_warnings(&held);
	int status = 0;
	for (int i = 0; i < doc->npages; i++)
		if (doc->pages[i].status != WK_OK)
			status = EXIT_PARTIAL;
	if (a.json) {
		char *json = NULL;
		size_t len = 0;
		if (wk_doc_to_json(doc, &json, &len, &err) != WK_OK) {
			wk_doc_free(doc);
			return cli_fail(&err);
		}
		fwrite(json, 1, len, stdout);
		fputc('\n', stdout);
		wk_free(json);
	} else {
		print_text(doc, stdout);
	}
	wk_doc_free(doc);
	if (fflush(stdout) != 0)
		return EXIT_ENV;
	return status;
}
