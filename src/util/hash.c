/* hash.c: SHA-256 in lowercase hex, the identity of a document everywhere (parse, cache,
 * library). MuPDF's SHA-256 is plain C (no context, no exceptions), so it serves here
 * without a second crypto library. */
#include "util.h"

#include <errno.h>
#include <mupdf/fitz.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HASH_CHUNK (1 << 20)

static void to_hex(const unsigned char digest[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[digest[i] >> 4];
		out[2 * i + 1] = digits[digest[i] & 15];
	}
	out[64] = '\0';
}

void wk_sha256_hex(const void *data, size_t len, char out[65])
{
	fz_sha256 state;
	unsigned char digest[32];
	fz_sha256_init(&state);
	fz_sha256_update(&state, data, len);
	fz_sha256_final(&state, digest);
	to_hex(digest, out);
}

int wk_sha256_file(const char *path, char out[65], wk_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return wk_set_error(err, WK_ENOENT, "%s: %s", path, strerror(errno));
	unsigned char *chunk = malloc(HASH_CHUNK);
	if (!chunk) {
		fclose(f);
		return wk_set_error(err, WK_ENOMEM, "%s: out of memory while hashing", path);
	}
	fz_sha256 state;
	fz_sha256_init(&state);
	size_t n;
	while ((n = fread(chunk, 1, HASH_CHUNK, f)) > 0)
		fz_sha256_update(&state, chunk, n);
	int bad = ferror(f);
	fclose(f);
	free(chunk);
	if (bad)
		return wk_set_error(err, WK_EIO, "%s: read error", path);
	unsigned char digest[32];
	fz_sha256_final(&state, digest);
	to_hex(digest, out);
	return WK_OK;
}
