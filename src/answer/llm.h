/* answer/llm.h: internals of the language model backend (OpenAI-compatible chat
 * completions), shared by prompt.c (what is sent), llm.c (HTTP, retries, replies) and
 * llm_config.c (env and config file). Internal to libwukong.
 *
 * Ownership: every char * and json_t * handed out here belongs to the caller. */
#ifndef WK_ANSWER_LLM_H
#define WK_ANSWER_LLM_H

#include "../util/util.h"

#include <jansson.h>

/* Ceilings: a hostile or broken server meets a limit, not realloc forever. */
#define WK_LLM_MAX_LINE (1u << 20)    /* one SSE line */
#define WK_LLM_MAX_ANSWER (256u << 10) /* the answer text */
#define WK_LLM_MAX_IMAGES 16          /* images per request */

/* The built-in system instruction (the PDF-WuKong answering rules). */
extern const char wk_llm_system_prompt[];

/* Builds the chat completions request: model, messages (system instruction, then one
 * user message with the evidence blocks and the question), max_tokens, temperature,
 * stream. With opts->vision, figure and table crops are rendered from docs[i]->path and
 * added as image_url parts; a crop that cannot be rendered is left out (its text stays).
 * *nimages (may be NULL) receives the number of images attached. */
int wk_llm_request(const wk_llm_opts *opts, const wk_doc *const *docs,
                   const wk_selection *sel, const char *question, json_t **body,
                   int *nimages, wk_error *err);

/* Opens libcurl (curl_load.c) if not yet done: WK_OK, or WK_EIO saying what to install. */
int wk_curl_load(wk_error *err);

/* Standard base64 (RFC 4648, with padding) of `len` bytes; malloc'd, NUL-terminated. */
char *wk_base64(const unsigned char *data, size_t len);

/* The selection indices of the evidence ids cited in `text` ("[12]", "[3, 7]", "[3][7]"),
 * ids not sent dropped, each once, in order of first citation. Returns the count; *cited is
 * malloc'd (NULL when none). */
int wk_llm_cited(const wk_selection *sel, const char *text, int **cited);

/* 1 when the answer says the evidence does not contain the answer. */
int wk_llm_says_unanswerable(const char *text);

/* POSTs `body` (JSON) to the endpoint `suffix` ("/embeddings") under opts->url, with the
 * chat backend's timeouts, retries and error messages, and parses the 200 reply into
 * *reply_json (the caller decrefs it). `what` names the endpoint in messages. */
int wk_llm_post_json(const wk_llm_opts *opts, const char *suffix, const char *what,
                     const char *body, json_t **reply_json, wk_error *err);

/* 1 when an HTTP server answers GET /models under `base` within timeout_ms (any status:
 * a server is there); no key is sent. For serve's /healthz. */
int wk_llm_reachable(const char *base, long timeout_ms);

/* `url` without user, password, query and fragment (where keys hide), for showing;
 * malloc'd. */
char *wk_llm_public_url(const char *url);

/* Passages the model rates at most (wk_ask_opts.rerank_top is capped to it). */
#define WK_RERANK_MAX 50

/* Asks the chat model to rate texts[0..n) for `question`, 0 to 10, in one request;
 * ratings[i] = -1 for a passage it did not rate. WK_EPROTO when it rated none. */
int wk_rerank_rate(const wk_llm_opts *opts, const char *question, const char *const *texts,
                   int n, double *ratings, wk_error *err);

#endif /* WK_ANSWER_LLM_H */
