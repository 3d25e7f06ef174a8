/* wire.c: fixed-width little-endian records, for what the library stores in binary
 * (document and index packs). Reading never trusts a length: a short or hostile record
 * sets `bad` and yields zeros, so a caller checks once at the end, not after every field. */
#include "util.h"

#include <string.h>

#define NULL_STR 0xffffffffu /* the length that encodes a NULL string */

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

bool wk_put_u32(wk_buf *b, uint32_t v)
{
	unsigned char p[4];
	put_le32(p, v);
	return wk_buf_append(b, (const char *)p, 4);
}

bool wk_put_i32(wk_buf *b, int32_t v)
{
	return wk_put_u32(b, (uint32_t)v);
}

bool wk_put_f32(wk_buf *b, float v)
{
	uint32_t u;
	memcpy(&u, &v, 4);
	return wk_put_u32(b, u);
}

bool wk_put_str(wk_buf *b, const char *s)
{
	if (!s)
		return wk_put_u32(b, NULL_STR);
	size_t n = strlen(s);
	return n < NULL_STR && wk_put_u32(b, (uint32_t)n) && wk_buf_append(b, s, n);
}

/* Arrays go out in one append on a little-endian host: the hot part of a pack. */
bool wk_put_i32s(wk_buf *b, const int32_t *v, size_t n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return n == 0 || wk_buf_append(b, (const char *)v, n * 4);
#else
	bool ok = true;
	for (size_t i = 0; i < n && ok; i++)
		ok = wk_put_i32(b, v[i]);
	return ok;
#endif
}

void wk_wire_init(wk_wire *w, const void *data, size_t len)
{
	w->p = data;
	w->end = w->p + (data ? len : 0);
	w->bad = false;
}

size_t wk_wire_left(const wk_wire *w)
{
	return w->bad ? 0 : (size_t)(w->end - w->p);
}

const void *wk_wire_bytes(wk_wire *w, size_t n)
{
	if (w->bad || (size_t)(w->end - w->p) < n) {
		w->bad = true;
		return NULL;
	}
	const void *at = w->p;
	w->p += n;
	return at;
}

uint32_t wk_wire_u32(wk_wire *w)
{
	const unsigned char *p = wk_wire_bytes(w, 4);
	return p ? get_le32(p) : 0;
}

int32_t wk_wire_i32(wk_wire *w)
{
	return (int32_t)wk_wire_u32(w);
}

float wk_wire_f32(wk_wire *w)
{
	uint32_t u = wk_wire_u32(w);
	float v;
	memcpy(&v, &u, 4);
	return v;
}

int wk_wire_count(wk_wire *w, size_t min_bytes)
{
	int32_t n = wk_wire_i32(w);
	if (n < 0 || (min_bytes && (size_t)n > wk_wire_left(w) / min_bytes))
		w->bad = true;
	return w->bad ? 0 : n;
}

const char *wk_wire_str(wk_wire *w, size_t *len)
{
	uint32_t n = wk_wire_u32(w);
	*len = 0;
	if (w->bad || n == NULL_STR)
		return NULL;
	const char *s = wk_wire_bytes(w, n);
	*len = s ? n : 0;
	return s;
}

bool wk_wire_i32s(wk_wire *w, int32_t *out, size_t n)
{
	if (n > SIZE_MAX / 4)
		w->bad = true;
	const unsigned char *p = wk_wire_bytes(w, n * 4);
	if (!p)
		return false;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n)
		memcpy(out, p, n * 4);
#else
	for (size_t i = 0; i < n; i++)
		out[i] = (int32_t)get_le32(p + 4 * i);
#endif
	return true;
}
