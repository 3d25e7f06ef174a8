/* llm_ask.c: wk_ask_llm, sampling and the model's answer in one call, kept for the
 * callers of the C API: it is the ask service (ask.c) with the model and no fallback. */
#include "llm.h"

#include <string.h>

int wk_ask_llm(const wk_llm_opts *opts, const wk_index *const *indexes,
               const wk_doc *const *docs, int n, const char *question,
               const wk_ask_opts *ask, wk_selection **sel, wk_answer **out, wk_timing *ms,
               wk_error *err)
{
	if (sel)
		*sel = NULL;
	if (out)
		*out = NULL;
	if (!indexes || n < 1 || !docs || !out || !opts)
		return wk_set_error(err, WK_EINVAL, "language model: no document to ask");
	wk_ask_policy policy;
	wk_ask_policy_init(&policy);
	policy.llm = opts;
	policy.give_up_after = 0; /* one question: nothing to give up on */
	if (ask) {
		policy.budget = ask->budget;
		policy.scorer = ask->scorer;
	}
	wk_asker *asker;
	int rc = wk_asker_new(&policy, &asker, err);
	if (rc)
		return rc;
	wk_ask_source src = {.docs = docs, .indexes = indexes, .n = n};
	wk_ask_calls calls = {.on_text = opts->on_text, .cancel = opts->cancel, .user = opts->user};
	wk_ask_result *r = NULL;
	rc = wk_ask(asker, &src, question, &calls, &r, err);
	if (r && ms) {
		ms->sample += r->ms.sample;
		ms->answer += r->ms.answer;
	}
	if (rc == WK_OK) {
		*out = r->answer;
		r->answer = NULL;
		if (sel) {
			*sel = r->sel;
			r->sel = NULL;
		}
	}
	wk_ask_result_free(r);
	wk_asker_free(asker);
	return rc;
}
