/* graphics.c: placeholder until the path and image collector lands. */
#include "graphics.h"

void wk_collect_graphics(fz_context *ctx, fz_page *fzpage, wk_page *page, fz_cookie *cookie)
{
	(void)ctx;
	(void)fzpage;
	(void)cookie;
	page->npaths = 0;
	page->nimages = 0;
}
