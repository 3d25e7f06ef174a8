/* graphics.h: where a page draws vector paths and raster images, for the figure and
 * table finder. Internal to src/pdf/. */
#ifndef WK_PDF_GRAPHICS_H
#define WK_PDF_GRAPHICS_H

#include <mupdf/fitz.h>

#include "page.h"

/* Runs the page's contents through a device that records the bounding boxes of filled
 * and stroked paths (page->paths) and of drawn images (page->images), in points,
 * top-left origin, clipped to the page. May throw (fz_try is the caller's). `cookie`
 * may be NULL; its abort flag stops the run. */
void wk_collect_graphics(fz_context *ctx, fz_page *fzpage, wk_page *page, fz_cookie *cookie);

#endif
