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

/* The same collector as a device, for a caller that interprets the page once for several
 * devices (see tee.h): wk_graphics_device_finish, after fz_close_device, fills
 * page->paths and page->images; the caller drops the device. May throw. */
fz_device *wk_graphics_device_new(fz_context *ctx, fz_rect page_bounds);
void wk_graphics_device_finish(fz_context *ctx, fz_device *dev, wk_page *page);

#endif
