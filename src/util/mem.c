/* mem.c: allocation helpers, the arena and the bounded buffer. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "wukong: out of memory (%zu bytes)\n", size);
	abort();
}

void *wk_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *wk_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *wk_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *wk_xstrdup(const char *s)
{
	return s ? wk_xstrndup(s, strlen(s)) : NULL;
}

char *wk_xstrndup(const char *s, size_t n)
{
	char *p = wk_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *wk_grow(void *array, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return array;
	size_t n = *cap > 0 ? (size_t)*cap : 8;
	while (n < (size_t)need)
		n *= 2;
	if (n > (size_t)INT32_MAX || n > SIZE_MAX / elem)
		out_of_memory(n * elem);
	array = wk_xrealloc(array, n * elem);
	*cap = (int)n;
	return array;
}

void wk_free(void *ptr)
{
	free(ptr);
}

/* ---- arena ---- */

typedef struct wk_chunk {
	struct wk_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
} wk_chunk;

struct wk_arena {
	wk_chunk *head;
	size_t total;
};

enum { ARENA_CHUNK = 64 * 1024 };

wk_arena *wk_arena_new(void)
{
	return wk_xcalloc(1, sizeof(wk_arena));
}

void wk_arena_free(wk_arena *arena)
{
	if (!arena)
		return;
	for (wk_chunk *c = arena->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(arena);
}

void *wk_arena_alloc(wk_arena *arena, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	wk_chunk *c = arena->head;
	if (!c || c->size - c->used < size) {
		size_t csize = size > ARENA_CHUNK / 4 ? size : ARENA_CHUNK;
		c = wk_xmalloc(sizeof(wk_chunk) + csize);
		c->used = 0;
		c->size = csize;
		/* A big allocation gets a chunk of its own behind the head, so the head's free
		 * space stays usable for the small ones that follow. */
		if (size > ARENA_CHUNK / 4 && arena->head) {
			c->next = arena->head->next;
			arena->head->next = c;
		} else {
			c->next = arena->head;
			arena->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += size;
	arena->total += size;
	memset(p, 0, size);
	return p;
}

char *wk_arena_strndup(wk_arena *arena, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = wk_arena_alloc(arena, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *wk_arena_strdup(wk_arena *arena, const char *s)
{
	return s ? wk_arena_strndup(arena, s, strlen(s)) : NULL;
}

size_t wk_arena_used(const wk_arena *arena)
{
	return arena ? arena->total : 0;
}

/* ---- buf ---- */

void wk_buf_init(wk_buf *b, size_t limit)
{
	memset(b, 0, sizeof *b);
	b->limit = limit;
}

void wk_buf_free(wk_buf *b)
{
	if (b) {
		free(b->data);
		wk_buf_init(b, b->limit);
	}
}

bool wk_buf_append(wk_buf *b, const char *data, size_t len)
{
	if (b->full)
		return false;
	if (b->limit && b->len + len > b->limit) {
		b->full = true;
		return false;
	}
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + len + 1)
			cap *= 2;
		b->data = wk_xrealloc(b->data, cap);
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

bool wk_buf_puts(wk_buf *b, const char *s)
{
	return wk_buf_append(b, s, strlen(s));
}

bool wk_buf_putc(wk_buf *b, char c)
{
	return wk_buf_append(b, &c, 1);
}

bool wk_buf_printf(wk_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	if ((size_t)n < sizeof small)
		return wk_buf_append(b, small, (size_t)n);
	char *big = wk_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	bool ok = wk_buf_append(b, big, (size_t)n);
	free(big);
	return ok;
}

const char *wk_buf_cstr(wk_buf *b)
{
	return b->data ? b->data : "";
}

char *wk_buf_steal(wk_buf *b)
{
	char *s = b->data ? b->data : wk_xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	b->full = false;
	return s;
}
