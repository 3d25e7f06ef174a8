/* store.h: the document library's storage behind an interface. Internal to libwukong.
 *
 * A wk_library is a wk_store plus the strings it lends to its caller. A wk_store is a
 * backend: a table of operations and the backend's own state after it (the SQLite one is
 * in sqlite.c; a shared server database can follow with the same operations).
 *
 * Ownership: every wk_doc_info a store operation fills holds malloc'd strings that the
 * caller releases with wk_info_clear. A store handle is used by one thread at a time;
 * clone gives another handle on the same library for another thread. */
#ifndef WK_STORE_H
#define WK_STORE_H

#include "../util/util.h"

typedef struct wk_store wk_store;

/* What a stage-1 search returns: a document and how well it matches the question. */
typedef struct wk_doc_hit {
	int64_t key;      /* the backend's key of the document */
	char id[17];
	double score;     /* higher is better */
	int nunits;       /* the document's size: what loading and indexing it costs */
} wk_doc_hit;

/* A parsed document about to be written, and where it came from. */
typedef struct wk_store_put {
	const wk_doc *doc;
	const char *hash;   /* SHA-256 of the bytes, lowercase hex */
	const char *path;   /* where it was added from */
	int64_t bytes;
	int replace_path;   /* 1: a document stored from the same path is replaced */
	int replace_hash;   /* 1: the same content stored by another version is replaced */
	/* Made ahead by a parse thread, so that the writer only writes (NULL: made here). */
	const struct wk_stored *stored;
	char *const *page_text; /* wk_page_search_text of pages 0..npages */
	/* The PDF's bytes, kept by a backend that has ops->file (an upload: the servers
	 * sharing such a library may share no disk to render pages from); NULL: none. */
	const void *file;
	size_t file_len;
} wk_store_put;

/* Unit vectors of an embedding model, one record per document and model (vectors.c for
 * SQLite, pg_vectors.c): `vec` is the document's nunits x dim float32s, little-endian,
 * in unit order. A document's vectors go with it (rm, re-add of changed content). */
typedef struct wk_vector_ops {
	/* The vectors of document `id` for `model`: *vec malloc'd (*len bytes); WK_ENOTFOUND
	 * when there are none. */
	int (*get)(wk_store *s, const char *id, const char *model, char **vec, size_t *len,
	           int *dim, wk_error *err);
	/* Stores them, replacing the document's vectors of that model, in one transaction. */
	int (*put)(wk_store *s, const char *id, const char *model, int dim, const void *vec,
	           size_t len, wk_error *err);
	/* Calls each() for every document with vectors of `model` (stage 1); `vec` is lent
	 * for the call and may be unaligned. */
	int (*scan)(wk_store *s, const char *model,
	            void (*each)(void *user, const char *id, int dim, const void *vec, size_t len),
	            void *user, wk_error *err);
	/* Calls each() for every model with vectors of document `id` (a copy to another
	 * library takes them all); `vec` is lent for the call and may be unaligned. */
	int (*of_doc)(wk_store *s, const char *id,
	              void (*each)(void *user, const char *model, int dim, const void *vec,
	                           size_t len),
	              void *user, wk_error *err);
} wk_vector_ops;

typedef struct wk_store_ops {
	const char *name;
	void (*close)(wk_store *s);
	/* Another handle on the same library, for another thread. */
	int (*clone)(wk_store *s, wk_store **out, wk_error *err);
	/* WK_ENOTFOUND when absent. */
	int (*by_hash)(wk_store *s, const char *hash, wk_doc_info *info, wk_error *err);
	/* Id, unique id prefix (>= 4 digits), or file name. */
	int (*find)(wk_store *s, const char *id_or_name, wk_doc_info *info, wk_error *err);
	int (*list)(wk_store *s, wk_doc_info **infos, int *n, wk_error *err);
	/* Writes a document in one transaction: *status is WK_ADD_NEW, _UPDATED (a document
	 * from the same path was replaced), _UNCHANGED or _MOVED (the content was there). */
	int (*put)(wk_store *s, const wk_store_put *put, wk_doc_info *info, int *status,
	           wk_error *err);
	int (*load)(wk_store *s, const char *id, wk_doc **doc, wk_error *err);
	/* The document and its sampler index (stored, or built when the stored one was made
	 * by another version); the index borrows the document. */
	int (*load_indexed)(wk_store *s, const char *id, wk_doc **doc, wk_index **index,
	                    wk_error *err);
	/* How a document is stored: *readable = 0 when in a document format this version
	 * does not read (it must be parsed again); *current = 1 when its packs were written
	 * by this version (else a pack is missing, as in rows of schema 1, or outdated:
	 * repack makes them anew). */
	int (*state)(wk_store *s, const char *id, int *readable, int *current, wk_error *err);
	int (*repack)(wk_store *s, const char *id, const struct wk_stored *stored,
	              wk_error *err);
	int (*remove)(wk_store *s, const char *id, wk_error *err);
	/* Stage 1 of a library question: the documents that best match `terms` (folded
	 * words, stop words dropped), best first, at most `cap`. */
	int (*rank)(wk_store *s, const char *const *terms, int nterms, wk_doc_hit *hits, int cap,
	            int *n, wk_error *err);
	/* The PDF kept with the document of `hash` (*data malloc'd); WK_ENOTFOUND when none.
	 * NULL in a backend that keeps no PDFs (SQLite: the server keeps them on its disk). */
	int (*file)(wk_store *s, const char *hash, char **data, size_t *len, wk_error *err);
	/* Unit vectors; NULL in a backend that keeps none. */
	const wk_vector_ops *vectors;
} wk_store_ops;

struct wk_store {
	const wk_store_ops *ops;
};

/* Opens the SQLite library at `path` (created with its folders when missing). */
int wk_sqlite_store_open(const char *path, wk_store **out, wk_error *err);

/* Opens the library `path` names: a postgresql:// or postgres:// URI, or an SQLite file.
 * Any other scheme:// is refused (WK_EINVAL), never taken for a folder. */
int wk_store_open(const char *path, wk_store **out, wk_error *err);

/* ---- what the library stores of a document (stored.c) ---- */

/* A document's pack and its index's pack, deflated, each behind its pack version. */
typedef struct wk_stored {
	unsigned char *doc;   /* malloc'd */
	size_t doc_len;
	unsigned char *index; /* malloc'd */
	size_t index_len;
} wk_stored;

/* Indexes doc and packs both (the parse thread's work, so that the writer only writes). */
int wk_stored_make(const wk_doc *doc, wk_stored *out, wk_error *err);
void wk_stored_clear(wk_stored *s); /* NULL-safe */

/* 1 when a stored blob (its first 8 bytes are enough) was written with this pack
 * version and key: 0 for a document, wk_stored_index_key() for an index. */
int wk_stored_current(const void *head, size_t len, uint32_t version, uint32_t key);

/* This build's tokenizer fingerprint: what an index blob must carry to be current. */
uint32_t wk_stored_index_key(void);

/* WK_EVERSION when the blob was written in another pack format, WK_EPROTO when damaged.
 * The index borrows doc. */
int wk_stored_read_doc(const void *blob, size_t len, wk_doc **doc, wk_error *err);
int wk_stored_read_index(const wk_doc *doc, const void *blob, size_t len, wk_index **ix,
                         wk_error *err);

/* ---- the documents a handle keeps loaded and indexed for questions (cache.c) ---- */

#define WK_CACHE_SLOTS 64

typedef struct wk_doc_cache {
	struct wk_doc_cache_entry {
		char id[17];
		wk_doc *doc;
		wk_index *index;
		uint64_t used;  /* the question that used it last */
		char *model;    /* the model of index->vec (wk_vectors_model), NULL: none */
		size_t bytes;
	} entries[WK_CACHE_SLOTS];
	int n;
	int max_docs;
	size_t bytes, max_bytes;
	uint64_t clock;   /* one tick per question: entries of this question are not dropped */
} wk_doc_cache;

struct wk_library {
	wk_store *store;
	wk_doc_info held; /* the record whose strings were last lent to the caller */
	wk_doc_cache cache;
};

void wk_cache_init(wk_doc_cache *c, int max_docs, size_t max_bytes);
/* The document `id` and its index, loaded and indexed on a miss. Both stay valid until
 * wk_cache_trim or wk_cache_clear. */
int wk_cache_get(wk_library *lib, const char *id, const wk_doc **doc, const wk_index **index,
                 wk_error *err);
/* Drops the least recently used entries until the bounds hold (after a question). */
void wk_cache_trim(wk_doc_cache *c);
void wk_cache_clear(wk_doc_cache *c);

/* Sets how many documents (and bytes) a handle keeps loaded; 0 keeps none. */
void wk_library_cache_limit(wk_library *lib, int max_docs, size_t max_bytes);

/* A deep copy the caller owns (wk_doc_free). */
wk_doc *wk_doc_copy(const wk_doc *src);

/* Keeps the strings of `got` in lib until its next call; copies the record to `out`
 * (may be NULL). */
void wk_library_lend(wk_library *lib, wk_doc_info *got, wk_doc_info *out);

/* Frees the strings of an info filled by a store and zeroes it. NULL-safe. */
void wk_info_clear(wk_doc_info *info);

/* The default library path: $XDG_DATA_HOME/wukong/library.db, or under
 * ~/.local/share. Malloc'd; NULL when neither XDG_DATA_HOME nor HOME is set. */
char *wk_library_default_path(void);


/* The text a page contributes to stage-1 search: its units' text, captions, figure
 * text and section titles. Page 0 is the document's head: title, file name, section
 * titles. The caller frees the result with free. */
char *wk_page_search_text(const wk_doc *doc, int page, const char *name);

/* Splits a question into search terms: folded words of 2+ characters (numbers of any
 * length), English stop words dropped, duplicates removed, at most `cap`. Returns the
 * count; the terms are malloc'd (free with wk_terms_free). */
int wk_search_terms(const char *question, char **terms, int cap);
void wk_terms_free(char **terms, int n);

/* The tokens of a document's units (text and figure text), as docs.tokens holds. */
int wk_doc_tokens(const wk_doc *doc);

/* A backend's query of its record columns with one text parameter: *found, and
 * *ambiguous when it gave more than one row. */
typedef int (*wk_find_query)(wk_store *s, const char *sql, const char *arg, wk_doc_info *info,
                             int *found, int *ambiguous, wk_error *err);
/* find: runs the backend's queries by id, id prefix, name and path in turn (library.c). */
int wk_store_find(wk_store *s, const char *const *queries, int n, wk_find_query query,
                  const char *key, wk_doc_info *info, wk_error *err);

/* Where uploads of the library db_path (NULL: the default) are kept as <sha256>.pdf:
 * <db>.pdfs next to an SQLite file; for a library that keeps them itself (a URI), the
 * folder of this machine's copies under $XDG_CACHE_HOME. Malloc'd. */
char *wk_library_uploads_dir(const char *db_path);

/* ---- unit vectors in the library (vectors.c) ---- */

/* The name a model's vectors are kept under: the embedding model's name, or for the
 * unnamed "default" (a server serving one model) "default@" and the server's URL. */
void wk_vectors_model(const wk_llm_opts *opts, char *out, size_t cap);

/* count float32s to their stored form (*len bytes, malloc'd), and back into out. */
char *wk_vectors_pack(const float *vec, size_t count, size_t *len);
void wk_vectors_unpack(const void *blob, size_t count, float *out);

/* Gives the index of library document `id` its unit vectors for opts' model: the stored
 * ones, else wk_index_embed's (the parse cache or the server), which are then stored so
 * that the next question sends only itself. *sent (may be NULL): texts embedded. */
int wk_vectors_attach(wk_store *s, const char *id, wk_index *ix, const wk_llm_opts *opts,
                      int *sent, wk_error *err);

/* Stage 1 by vectors: every document with vectors of `model`, scored by its best unit's
 * cosine with q (dim floats, unit length), best first; *hits malloc'd. */
int wk_vectors_rank(wk_store *s, const char *model, const float *q, int dim, wk_doc_hit **hits,
                    int *n, wk_error *err);

/* The lexical ranking (lex, best first) fused with the dense one: each scaled to [0, 1]
 * (lexical by its best, cosines from the documents' median to the best), then
 * (1 - w) x lexical + w x dense; a document without vectors keeps its lexical score.
 * Writes at most cap hits of positive score, best first, to out; returns their count. */
int wk_vectors_fuse(const wk_doc_hit *lex, int nlex, wk_doc_hit *dense, int ndense, double w,
                    wk_doc_hit *out, int cap);

/* The file name part of a path. */
const char *wk_base_name(const char *path);

#endif /* WK_STORE_H */
