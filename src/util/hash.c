/* hash.c: SHA-256 in lowercase hex, the identity of a document everywhere (parse, cache,
 * library). Nettle's (already linked for GnuTLS) uses the CPU's SHA instructions, as
 * OpenSSL's does (1.5 GB/s here against 0.28 GB/s for MuPDF's plain C, and `add` hashes
 * every file), without OpenSSL's start-up: its first EVP digest loads the library's
 * configuration and providers, and its exit handler frees them, 2% of the CPU of a
 * `wukong parse` of a paper (perf). */
#include "util.h"

#include <errno.h>
#include <nettle/sha2.h>
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
	struct sha256_ctx ctx;
	unsigned char digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
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
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	size_t n;
	while ((n = fread(chunk, 1, HASH_CHUNK, f)) > 0)
		sha256_update(&ctx, n, chunk);
	int bad = ferror(f);
	fclose(f);
	free(chunk);
	if (bad)
		return wk_set_error(err, WK_EIO, "%s: read error", path);
	unsigned char digest[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof digest, digest);
	to_hex(digest, out);
	return WK_OK;
}
