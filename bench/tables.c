/* tables.c: the table-cell report of issue 12.
 *
 * Parses every PDF given (files, or folders of *.pdf) with wk_parse_file and reports, per
 * document and in total: table units, those with cells (a grid), body cells, and how many
 * of those have a row label (a stub cell in their row) and a column header (a header cell
 * over their column, in their table or in the part it continues); then the headings that
 * look like table headers, which should be none. A body cell with both is one a reader can
 * tie to a row and a column; the same measure runs on documents nobody tuned for.
 *
 * Which headings look like table headers or chart labels is bench/headings.h's rule
 * (a numbered section heading, "5.1 Study 1 Results", never does).
 *
 * usage: tables [--threads N] [--find TEXT]... FILE.pdf...
 *   e.g. every PDF of ../shared/data/mmlongbench/documents
 * --find TEXT prints every body cell whose text holds TEXT with its row label and column
 * headers ("6,779,511" -> Revenues | Year ended December 31, 2015). */
#include "../src/util/util.h"
#include "headings.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct counts {
	int docs, errors, tables, grids, continued, body, labelled, headed, both, header_headings;
} counts;

typedef struct opts {
	int threads;
	const char *find[16];
	int nfind;
} opts;

/* The part a continued table starts with: its headers stand for the later parts'. */
static const wk_table *first_part(const wk_doc *doc, const wk_table *t)
{
	for (int hops = 0; t->header_rows == 0 && t->continues >= 0 && hops < doc->nunits; hops++)
		t = doc->units[t->continues].table;
	return t;
}

static void count_cells(const wk_doc *doc, const wk_table *t, const opts *o, counts *c)
{
	const wk_table *head = first_part(doc, t);
	for (int i = 0; i < t->ncells; i++) {
		const wk_cell *cell = &t->cells[i];
		if (cell->kind != WK_CELL_BODY || !*cell->text)
			continue;
		char header[512];
		const wk_cell *label = wk_table_row_label(t, cell->row);
		size_t hl = wk_table_col_header(head, cell->col, header, sizeof header);
		c->body++;
		c->labelled += label != NULL;
		c->headed += hl > 0;
		c->both += label && hl > 0;
		for (int k = 0; k < o->nfind; k++)
			if (strstr(cell->text, o->find[k]))
				printf("  find %s: p%d \"%s\" row \"%s\" column \"%s\"\n", o->find[k],
				       cell->box.page, cell->text, label ? label->text : "", header);
	}
}

static void run_file(const char *path, const opts *o, counts *total)
{
	wk_parse_opts po;
	wk_parse_opts_init(&po);
	po.threads = o->threads;
	wk_doc *doc = NULL;
	wk_error err;
	total->docs++;
	if (wk_parse_file(path, &po, &doc, &err) != WK_OK) {
		total->errors++;
		printf("  error: %s: %s\n", path, err.message);
		return;
	}
	counts c = {0};
	for (int i = 0; i < doc->nunits; i++) {
		const wk_unit *u = &doc->units[i];
		c.header_headings += label_heading(doc, i);
		if (u->type != WK_UNIT_TABLE)
			continue;
		c.tables++;
		if (!u->table)
			continue;
		c.grids++;
		c.continued += u->table->continues >= 0;
		count_cells(doc, u->table, o, &c);
	}
	printf("  %s: tables %d, with cells %d (continued %d), body cells %d: row label %d, "
	       "column header %d, both %d; headings like table headers or chart labels %d\n",
	       path, c.tables, c.grids, c.continued, c.body, c.labelled, c.headed, c.both,
	       c.header_headings);
	total->tables += c.tables, total->grids += c.grids, total->continued += c.continued;
	total->body += c.body, total->labelled += c.labelled, total->headed += c.headed;
	total->both += c.both, total->header_headings += c.header_headings;
	wk_doc_free(doc);
}

static double share(int a, int b)
{
	return b ? (double)a / b : 0;
}

int main(int argc, char **argv)
{
	opts o = {.threads = 1};
	const char *paths[64];
	int npaths = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
			o.threads = atoi(argv[++i]);
		else if (strcmp(argv[i], "--find") == 0 && i + 1 < argc && o.nfind < 16)
			o.find[o.nfind++] = argv[++i];
		else if (npaths < 64)
			paths[npaths++] = argv[i];
	}
	if (npaths == 0) {
		printf("usage: tables [--threads N] [--find TEXT]... FILE.pdf...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	counts t = {0};
	for (int i = 0; i < npaths; i++)
		run_file(paths[i], &o, &t);
	printf("\ndocuments %d, errors %d\n", t.docs, t.errors);
	printf("tables %d, with cells %d, continued parts %d\n", t.tables, t.grids, t.continued);
	printf("body cells %d: with a row label %.3f, with a column header %.3f, with both %.3f\n",
	       t.body, share(t.labelled, t.body), share(t.headed, t.body), share(t.both, t.body));
	printf("headings that are table headers or chart labels %d (aim 0; bench/headings.h)\n",
	       t.header_headings);
	return t.errors > 0 ? 1 : 0;
}
