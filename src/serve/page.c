/* page.c: the web page, src/serve/web/index.html, embedded into the binary by the
 * assembler so that the server needs no files at run time and the page stays a plain
 * HTML file to edit. (The Makefile makes page.o depend on the HTML.) */
#include "serve.h"

__asm__(".section .rodata\n"
        ".global wk_page_html_start\n"
        ".type wk_page_html_start, @object\n"
        ".balign 16\n"
        "wk_page_html_start:\n"
        ".incbin \"src/serve/web/index.html\"\n"
        ".global wk_page_html_end\n"
        "wk_page_html_end:\n"
        ".byte 0\n"
        ".previous\n");

extern const char wk_page_html_start[];
extern const char wk_page_html_end[];

const char *wk_page_html(size_t *len)
{
	*len = (size_t)(wk_page_html_end - wk_page_html_start);
	return wk_page_html_start;
}
