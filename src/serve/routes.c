/* routes.c: maps a request path to a route. Ids and numbers are checked here, once, so
 * that nothing after sees a path segment it did not expect: ids are [0-9a-f]{4,64},
 * page and unit numbers bounded decimal integers, and "..", "." or empty segments are
 * refused outright rather than normalised. */
#include "serve.h"

#include <string.h>

#define MAX_SEGMENTS 6
#define MAX_SEG_LEN 80

typedef struct segs {
	int n;
	char s[MAX_SEGMENTS][MAX_SEG_LEN + 1];
} segs;

/* Splits "/a/b/c" into segments; 0 on a path we refuse (traversal, too long, odd bytes). */
static int split_path(const char *path, segs *out, const char **why)
{
	out->n = 0;
	if (!path || path[0] != '/') {
		*why = "the path must start with /";
		return 0;
	}
	const char *p = path + 1;
	if (!*p)
		return 1;
	while (1) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 && !slash)
			return 1; /* one trailing slash is tolerated */
		if (len == 0 || len > MAX_SEG_LEN || out->n == MAX_SEGMENTS) {
			*why = "malformed path";
			return 0;
		}
		if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
			*why = "path traversal is not allowed";
			return 0;
		}
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == '\\' || p[i] == 0x7f) {
				*why = "malformed path";
				return 0;
			}
		memcpy(out->s[out->n], p, len);
		out->s[out->n++][len] = '\0';
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

int wk_route_valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n < 4 || n > WK_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* "12.png" -> 12 within [min, max]; -1 otherwise. Digits only: no sign, no spaces. */
static long png_number(const char *s, long min, long max)
{
	size_t n = strlen(s);
	if (n < 5 || n > 4 + 9 || strcmp(s + n - 4, ".png"))
		return -1;
	long v = 0;
	for (size_t i = 0; i < n - 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= min && v <= max ? v : -1;
}

static void bad(wk_route *route, const char *why)
{
	route->kind = WK_ROUTE_BAD;
	route->why = why;
}

static void parse_doc_route(const segs *sg, wk_route *route)
{
	if (!wk_route_valid_id(sg->s[2])) {
		bad(route, "a document id is 4 to 64 lowercase hex digits");
		return;
	}
	strcpy(route->id, sg->s[2]);
	if (sg->n == 3) {
		route->kind = WK_ROUTE_DOC;
		return;
	}
	if (sg->n != 5)
		return;
	if (!strcmp(sg->s[3], "pages")) {
		route->num = png_number(sg->s[4], 1, 1000000);
		if (route->num < 0) {
			bad(route, "a page is a number from 1, as /pages/N.png");
			return;
		}
		route->kind = WK_ROUTE_DOC_PAGE;
	} else if (!strcmp(sg->s[3], "units")) {
		route->num = png_number(sg->s[4], 0, 100000000);
		if (route->num < 0) {
			bad(route, "a unit is a number from 0, as /units/N.png");
			return;
		}
		route->kind = WK_ROUTE_DOC_UNIT;
	}
}

void wk_route_parse(const char *path, wk_route *route)
{
	memset(route, 0, sizeof *route);
	segs sg;
	const char *why = NULL;
	if (!split_path(path, &sg, &why)) {
		bad(route, why);
		return;
	}
	if (sg.n == 0 || (sg.n == 1 && !strcmp(sg.s[0], "index.html")))
		route->kind = WK_ROUTE_PAGE_HTML;
	else if (sg.n == 1 && !strcmp(sg.s[0], "favicon.ico"))
		route->kind = WK_ROUTE_FAVICON;
	else if (sg.n == 1 && !strcmp(sg.s[0], "healthz"))
		route->kind = WK_ROUTE_HEALTH;
	else if (sg.n >= 2 && !strcmp(sg.s[0], "v1")) {
		if (sg.n == 2 && !strcmp(sg.s[1], "ask"))
			route->kind = WK_ROUTE_ASK;
		else if (!strcmp(sg.s[1], "documents")) {
			if (sg.n == 2)
				route->kind = WK_ROUTE_DOCS;
			else
				parse_doc_route(&sg, route);
		} else if (sg.n == 3 && !strcmp(sg.s[1], "uploads")) {
			if (!wk_route_valid_id(sg.s[2])) {
				bad(route, "an upload id is 4 to 64 lowercase hex digits");
				return;
			}
			strcpy(route->id, sg.s[2]);
			route->kind = WK_ROUTE_UPLOAD;
		}
	}
}

const char *wk_route_allow(wk_route_kind kind)
{
	switch (kind) {
	case WK_ROUTE_PAGE_HTML:
	case WK_ROUTE_FAVICON:
	case WK_ROUTE_HEALTH:
	case WK_ROUTE_DOC_PAGE:
	case WK_ROUTE_DOC_UNIT:
	case WK_ROUTE_UPLOAD:
		return "GET, HEAD";
	case WK_ROUTE_DOCS:
		return "GET, HEAD, POST";
	case WK_ROUTE_DOC:
		return "GET, HEAD, DELETE";
	case WK_ROUTE_ASK:
		return "POST";
	default:
		return NULL;
	}
}

int wk_route_method_ok(wk_route_kind kind, const char *method)
{
	const char *allow = wk_route_allow(kind);
	if (!allow || !method || !*method)
		return allow == NULL; /* unknown routes answer 404 whatever the method */
	size_t n = strlen(method);
	for (const char *p = allow; (p = strstr(p, method)); p += n)
		if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

int wk_route_needs_token(wk_route_kind kind)
{
	return kind != WK_ROUTE_PAGE_HTML && kind != WK_ROUTE_FAVICON && kind != WK_ROUTE_HEALTH;
}

int wk_route_is_upload(const wk_route *route, const char *method)
{
	return route->kind == WK_ROUTE_DOCS && method && !strcmp(method, "POST");
}
