/* figures.c: figure and table detection (placeholder until the real finder lands). */
#include "page.h"

void wk_page_find_figures(wk_page *page)
{
	page->nfigures = 0;
}

void wk_doc_link_refs(struct wk_doc *doc)
{
	(void)doc;
}
