/* page.c: the web page, src/serve/web/index.html, and its icon, src/serve/web/favicon.ico
 * (32x32, a PNG inside an ICO), embedded into the binary by the assembler so that the
 * server needs no files at run time and the page stays a plain HTML file to edit. (The
 * Makefile makes page.o depend on both.) */
#include "serve.h"

/* Defines NAME_start and NAME_end around the bytes of FILE, plus a NUL after them. */
#define WK_EMBED(name, file)                                                                       \
	__asm__(".section .rodata\n"                                                               \
	        ".global " #name "_start\n"                                                        \
	        ".type " #name "_start, @object\n"                                                 \
	        ".balign 16\n" #name "_start:\n"                                                   \
	        ".incbin \"" file "\"\n"                                                           \
	        ".global " #name "_end\n" #name "_end:\n"                                          \
	        ".byte 0\n"                                                                        \
	        ".previous\n");                                                                    \
	extern const char name##_start[];                                                          \
	extern const char name##_end[];

WK_EMBED(wk_page_html, "src/serve/web/index.html")
WK_EMBED(wk_favicon, "src/serve/web/favicon.ico")

const char *wk_page_html(size_t *len)
{
	*len = (size_t)(wk_page_html_end - wk_page_html_start);
	return wk_page_html_start;
}

const char *wk_page_favicon(size_t *len)
{
	*len = (size_t)(wk_favicon_end - wk_favicon_start);
	return wk_favicon_start;
}
