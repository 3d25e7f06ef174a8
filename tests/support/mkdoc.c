/* mkdoc.c: see mkdoc.h. */
#include "mkdoc.h"

#include "../../src/doc/doc.h"

#include <string.h>

wk_unit *mk_doc_unit(wk_doc *d, wk_unit_type type, int page, int level, const char *text)
{
	wk_unit *u = wk_doc_add_unit(d, type);
	u->text = wk_doc_str(d, text);
	u->level = level;
	wk_doc_add_box(d, u, (wk_box){page, 50.5f, 100.25f, 550, 150});
	return u;
}

static wk_cell mk_cell(int row, int col, int colspan, int kind, int indent, const char *text)
{
	float x = 100 + 120 * (float)col, y = 100 + 14 * (float)row;
	return (wk_cell){row, col, 1, colspan, kind, indent, text, {2, x, y, x + 110, y + 10}};
}

/* A statement with a two-level header, an indented stub, a scale line and cells kept as
 * printed; `tail` gives the part continued on the next page instead. */
static void mk_doc_grid(wk_doc *d, wk_unit *u, int tail, int continues)
{
	wk_cell head[] = {
	    mk_cell(0, 1, 2, WK_CELL_HEADER, 0, "Year ended December 31"),
	    mk_cell(1, 1, 1, WK_CELL_HEADER, 0, "2015"),
	    mk_cell(1, 2, 1, WK_CELL_HEADER, 0, "2014"),
	    mk_cell(2, 0, 1, WK_CELL_STUB, 0, "Europe"),
	    mk_cell(2, 1, 1, WK_CELL_BODY, 0, "$ 40"),
	    mk_cell(2, 2, 1, WK_CELL_BODY, 0, "(1,577)"),
	    mk_cell(3, 0, 1, WK_CELL_STUB, 1, "Asia \xC3\xA9t\xC3\xA9"),
	    mk_cell(3, 1, 1, WK_CELL_BODY, 0, "35"),
	    mk_cell(3, 2, 1, WK_CELL_BODY, 0, ""),
	};
	wk_cell rest[] = {
	    mk_cell(0, 0, 1, WK_CELL_STUB, 0, "Americas"),
	    mk_cell(0, 1, 1, WK_CELL_BODY, 0, "25"),
	    mk_cell(0, 2, 1, WK_CELL_BODY, 0, "22.4 %"),
	};
	wk_table t = {4, 3, 2, 1, 9, head, "in millions, except per share data", continues};
	if (tail) {
		t = (wk_table){1, 3, 0, 1, 3, rest, NULL, continues};
		for (int i = 0; i < t.ncells; i++)
			rest[i].box.page = 3;
	}
	wk_doc_set_table(d, u, &t);
}

wk_doc *mk_rich_doc(void)
{
	wk_doc *d = wk_doc_new();
	wk_doc_set_pages(d, 4);
	d->path = wk_doc_str(d, "/tmp/r\xC3\xA9port.pdf");
	d->title = wk_doc_str(d, "Quarterly r\xC3\xA9port");
	strcpy(d->hash, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	for (int p = 0; p < 4; p++)
		d->pages[p] = (wk_page_info){612, 792 + (float)p, WK_OK, 0};
	d->pages[2].ocr = 1;
	d->pages[3].status = WK_EDAMAGED;
	mk_doc_unit(d, WK_UNIT_HEADING, 1, 1, "1 Revenue growth");
	int para = mk_doc_unit(d, WK_UNIT_TEXT, 1, 0, "Revenue grew by 12.5% as Figure 1 shows; "
	                                      "Table 2 lists the regions.")->idx;
	wk_unit *fig = mk_doc_unit(d, WK_UNIT_FIGURE, 1, 0, "Figure 1: Revenue by quarter");
	fig->label = wk_doc_str(d, "Figure 1");
	fig->caption = wk_doc_str(d, "Figure 1: Revenue by quarter");
	fig->figure_text = wk_doc_str(d, "Q1 Q2 Q3 Q4\n10 12 14 17");
	fig->image = wk_doc_str(d, "crops/p1-f1.png");
	wk_doc_set_refs(d, fig, &para, 1);
	mk_doc_unit(d, WK_UNIT_HEADING, 2, 2, "1.1 Regions");
	wk_unit *tab = mk_doc_unit(d, WK_UNIT_TABLE, 2, 0, "");
	tab->label = wk_doc_str(d, "Table 2");
	tab->figure_text = wk_doc_str(d, "Europe 40\nAsia 35\nAmericas 25");
	wk_doc_set_refs(d, tab, &para, 1);
	mk_doc_grid(d, tab, 0, -1);
	int tab_idx = tab->idx;
	wk_unit *both = mk_doc_unit(d, WK_UNIT_TEXT, 2, 0, "A paragraph that runs onto the next page "
	                                           "about operating margin and capital expenditure.");
	wk_doc_add_box(d, both, (wk_box){3, 50, 60, 550, 90});
	mk_doc_unit(d, WK_UNIT_TEXT, 3, 0, "Scanned text about the auditor's opinion.")->ocr = 1;
	mk_doc_grid(d, mk_doc_unit(d, WK_UNIT_TABLE, 3, 0, ""), 1, tab_idx);
	wk_doc_add_outline(d, 1, 1, "Revenue");
	wk_doc_add_outline(d, 2, 2, "Regions");
	wk_doc_add_outline(d, 1, 0, "Nowhere");
	wk_doc_finish(d);
	return d;
}

