/* ocr.c: placeholder until the Tesseract recogniser lands. */
#include "ocr.h"

int wk_ocr_page(fz_context *ctx, fz_page *fzpage, wk_page *page, const char *lang,
                wk_error *err)
{
	(void)ctx;
	(void)fzpage;
	(void)lang;
	return wk_set_error(err, WK_ENOTEXT, "page %d: no text layer (OCR not built yet)",
	                    page->number);
}
