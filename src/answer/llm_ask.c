/* llm_ask.c: sample, then answer with the model, with the context-length rule: a server
 * that says the prompt is too long gets one more try with half the evidence budget. */
#include "llm.h"

static int sample(const wk_index *const *indexes, int n, const char *question,
                  const wk_ask_opts *ask, wk_selection **s, wk_error *err)
{
	return n == 1 ? wk_sample(indexes[0], question, ask, s, err)
	              : wk_sample_many(indexes, n, question, ask, s, err);
}

int wk_ask_llm(const wk_llm_opts *opts, const wk_index *const *indexes,
               const wk_doc *const *docs, int n, const char *question,
               const wk_ask_opts *ask, wk_selection **sel, wk_answer **out, wk_timing *ms,
               wk_error *err)
{
	if (sel)
		*sel = NULL;
	if (out)
		*out = NULL;
	if (!indexes || n < 1 || !docs || !out)
		return wk_set_error(err, WK_EINVAL, "language model: no document to ask");
	wk_ask_opts local;
	if (ask)
		local = *ask;
	else
		wk_ask_opts_init(&local);
	int rc = WK_ELIMIT;
	for (int tries = 0; tries < 2 && rc == WK_ELIMIT; tries++) {
		if (tries == 1) {
			if (local.budget / 2 < 16)
				break;
			local.budget /= 2;
		}
		wk_selection *s = NULL;
		double t0 = wk_now_ms();
		rc = sample(indexes, n, question, &local, &s, err);
		double t1 = wk_now_ms();
		if (ms)
			ms->sample += t1 - t0;
		if (rc != WK_OK)
			return rc; /* sampling failed: not the model's fault, nothing to retry */
		rc = wk_answer_llm(opts, docs, s, question, out, err);
		if (ms)
			ms->answer += wk_now_ms() - t1;
		if (rc == WK_OK && sel)
			*sel = s;
		else
			wk_selection_free(s);
	}
	return rc;
}
