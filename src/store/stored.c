/* stored.c: what the library keeps of a document so that a question loads it fast: the
 * document's pack and its sampler index's pack, each deflated (zlib, level 1: a fifth of
 * the bytes; inflating costs far less than tokenizing again).
 *
 * A stored blob: u32 pack version, u32 key, u32 inflated length, the zlib stream. The key
 * is the tokenizer's fingerprint for an index, 0 for a document. Version and key are
 * outside the stream so that a look at a blob's first bytes says whether it is current. */
#include "store.h"

#include "../doc/doc.h"
#include "../sample/sample.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_INFLATED ((size_t)1 << 30) /* what a hostile length may make us allocate */
#define HEAD 12

static int deflate_blob(const wk_buf *raw, uint32_t version, uint32_t key, unsigned char **out,
                        size_t *len, wk_error *err)
{
	uLongf room = compressBound((uLong)raw->len);
	unsigned char *z = wk_xmalloc(HEAD + room);
	if (raw->len > MAX_INFLATED ||
	    compress2(z + HEAD, &room, (const Bytef *)raw->data, (uLong)raw->len, 1) != Z_OK) {
		free(z);
		return wk_set_error(err, WK_ELIMIT, "document too large to store");
	}
	wk_buf head = {0};
	wk_buf_init(&head, 0);
	wk_put_u32(&head, version);
	wk_put_u32(&head, key);
	wk_put_u32(&head, (uint32_t)raw->len);
	memcpy(z, head.data, HEAD);
	wk_buf_free(&head);
	*out = z;
	*len = HEAD + room;
	return WK_OK;
}

int wk_stored_current(const void *head, size_t len, uint32_t version, uint32_t key)
{
	wk_wire w;
	wk_wire_init(&w, head, len);
	uint32_t v = wk_wire_u32(&w), k = wk_wire_u32(&w);
	return !w.bad && v == version && k == key;
}

uint32_t wk_stored_index_key(void)
{
	wk_tokenizer *tk = wk_tokenizer_new();
	uint32_t key = tk ? wk_tokenizer_fingerprint(tk) : 0;
	wk_tokenizer_free(tk);
	return key;
}

/* Inflates a blob of `version` and `key`; *raw is malloc'd. */
static int inflate_blob(const void *blob, size_t len, uint32_t version, uint32_t key,
                        unsigned char **raw, size_t *raw_len, wk_error *err)
{
	wk_wire w;
	wk_wire_init(&w, blob, len);
	uint32_t v = wk_wire_u32(&w), k = wk_wire_u32(&w);
	uLongf n = wk_wire_u32(&w);
	if (!w.bad && (v != version || k != key))
		return wk_set_error(err, WK_EVERSION, "stored in another format");
	if (w.bad || n > MAX_INFLATED)
		return wk_set_error(err, WK_EPROTO, "stored data damaged");
	*raw = wk_xmalloc(WK_MAX(n, 1));
	uLongf got = n;
	if (uncompress(*raw, &got, (const Bytef *)blob + HEAD, (uLong)(len - HEAD)) != Z_OK ||
	    got != n) {
		free(*raw);
		*raw = NULL;
		return wk_set_error(err, WK_EPROTO, "stored data damaged");
	}
	*raw_len = n;
	return WK_OK;
}

int wk_stored_make(const wk_doc *doc, wk_stored *out, wk_error *err)
{
	memset(out, 0, sizeof *out);
	wk_index *ix = NULL;
	wk_buf dp, ip;
	wk_buf_init(&dp, MAX_INFLATED);
	wk_buf_init(&ip, MAX_INFLATED);
	int rc = wk_doc_pack(doc, &dp, err);
	if (!rc)
		rc = deflate_blob(&dp, WK_DOC_PACK_VERSION, 0, &out->doc, &out->doc_len, err);
	if (!rc)
		rc = wk_index_new(doc, &ix, err);
	if (!rc)
		rc = wk_index_pack(ix, &ip, err);
	if (!rc)
		rc = deflate_blob(&ip, WK_INDEX_PACK_VERSION, wk_stored_index_key(), &out->index,
		                  &out->index_len, err);
	wk_index_free(ix);
	wk_buf_free(&dp);
	wk_buf_free(&ip);
	if (rc)
		wk_stored_clear(out);
	return rc;
}

void wk_stored_clear(wk_stored *s)
{
	if (!s)
		return;
	free(s->doc);
	free(s->index);
	memset(s, 0, sizeof *s);
}

int wk_stored_read_doc(const void *blob, size_t len, wk_doc **doc, wk_error *err)
{
	*doc = NULL;
	unsigned char *raw = NULL;
	size_t n = 0;
	int rc = inflate_blob(blob, len, WK_DOC_PACK_VERSION, 0, &raw, &n, err);
	if (!rc)
		rc = wk_doc_unpack(raw, n, doc, err);
	free(raw);
	return rc;
}

int wk_stored_read_index(const wk_doc *doc, const void *blob, size_t len, wk_index **ix,
                         wk_error *err)
{
	*ix = NULL;
	unsigned char *raw = NULL;
	size_t n = 0;
	int rc = inflate_blob(blob, len, WK_INDEX_PACK_VERSION, wk_stored_index_key(), &raw, &n, err);
	if (!rc)
		rc = wk_index_unpack(doc, raw, n, ix, err);
	free(raw);
	return rc;
}
