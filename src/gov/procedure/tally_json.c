/*
 * tally_json.c: the JSON of a count's result, one definition for the
 * command line and the API.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/ballots.h"
#include "gov/procedure/procedure.h"
#include "banned.h"

static const char *const state_name[] = {
	[T_HOPEFUL] = "hopeful", [T_ELECTED] = "elected",
	[T_EXCLUDED] = "excluded", [T_WITHDRAWN] = "withdrawn",
};

static json_t *value_json(const struct tally_result *r, int64_t v)
{
	char buf[48];
	if (r->decimals == 0)
		return json_integer(v);
	tally_format(buf, sizeof(buf), v, r->decimals);
	return json_string(buf);
}

/* One value per candidate, keyed by name; f picks it from index c. */
static json_t *per_cand(const struct tally_result *r, const struct ballot_set *bs,
			const struct tally_round *t, const struct tally_round *prev,
			int what)
{
	json_t *v = json_object();
	for (size_t c = 0; v && c < r->ncand; c++) {
		json_t *x = what == 0 ? value_json(r, t->votes[c])
			  : what == 1 ? json_string(state_name[t->state[c]])
			  : value_json(r, t->votes[c] - prev->votes[c]);
		json_object_set_new(v, bs->names[c], x);
	}
	return v;
}

static json_t *names(const struct ballot_set *bs, const size_t *c, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(bs->names[c[i]]));
	return a;
}

/* A stage's or a note's values, as the record writes them: a reader's
 * language writes the sentence from its code and these (tally_words.c). */
static json_t *words_args(const struct tally_words *w)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < w->nargs; i++)
		json_array_append_new(a, json_string(w->args[i]));
	return a;
}

json_t *tally_result_json(const struct tally_result *r,
			  const struct ballot_set *bs)
{
	json_t *o = json_object(), *rank = json_array(), *rounds = json_array();
	json_t *notes = json_array(), *cands = json_array(), *level = NULL;
	if (!o || !rank || !rounds || !notes || !cands)
		goto fail;
	json_object_set_new(o, "method", json_string(r->method));
	json_object_set_new(o, "seats", json_integer((json_int_t)r->seats));
	json_object_set_new(o, "ballots", json_integer((json_int_t)r->ballots));
	json_object_set_new(o, "quota", r->quota >= 0 ? value_json(r, r->quota)
						      : json_null());
	json_object_set_new(o, "decimals", json_integer(r->decimals));
	json_object_set_new(o, "elected", names(bs, r->elected, r->nelected));
	/* The ranking is a list of levels; a level of several is a tie. */
	for (size_t i = 0; i < r->nranking; i++) {
		if (!i || r->rank_level[i] != r->rank_level[i - 1]) {
			level = json_array();
			json_array_append_new(rank, level);
		}
		json_array_append_new(level, json_string(bs->names[r->ranking[i]]));
	}
	json_object_set_new(o, "ranking", rank);
	rank = NULL;
	for (size_t k = 0; k < r->nrounds; k++) {
		const struct tally_round *t = &r->rounds[k];
		const struct tally_round *p = k ? &r->rounds[k - 1] : NULL;
		json_t *ro = json_object();
		json_object_set_new(ro, "label", json_string(t->label));
		json_object_set_new(ro, "code", json_string(tally_word_name(t->words.code)));
		json_object_set_new(ro, "args", words_args(&t->words));
		if (t->votes)
			json_object_set_new(ro, "votes", per_cand(r, bs, t, p, 0));
		if (t->state)
			json_object_set_new(ro, "state", per_cand(r, bs, t, p, 1));
		if (p && t->votes && p->votes)
			json_object_set_new(ro, "transfers", per_cand(r, bs, t, p, 2));
		if (t->nontransferable >= 0)
			json_object_set_new(ro, "non_transferable",
					    value_json(r, t->nontransferable));
		if (t->quota >= 0)
			json_object_set_new(ro, "quota", value_json(r, t->quota));
		json_array_append_new(rounds, ro);
	}
	json_object_set_new(o, "rounds", rounds);
	rounds = NULL;
	if (r->pairwise) {
		json_t *m = json_array();
		for (size_t i = 0; i < r->ncand; i++) {
			json_t *row = json_array();
			for (size_t j = 0; j < r->ncand; j++)
				json_array_append_new(row, json_integer(
					r->pairwise[i * r->ncand + j]));
			json_array_append_new(m, row);
		}
		json_object_set_new(o, "pairwise", m);
	}
	for (size_t c = 0; c < bs->ncand; c++)
		json_array_append_new(cands, json_string(bs->names[c]));
	json_object_set_new(o, "candidates", cands);
	cands = NULL;
	json_object_set_new(o, "seed", json_string(r->seed));
	json_object_set_new(o, "lots", json_integer((json_int_t)r->lots));
	for (const char *s = r->notes.buf; *s;) {
		const char *nl = strchr(s, '\n');
		if (!nl)
			nl = s + strlen(s);
		json_array_append_new(notes, json_stringn(s, (size_t)(nl - s)));
		s = *nl ? nl + 1 : nl;
	}
	json_object_set_new(o, "notes", notes);
	notes = json_array();
	for (size_t i = 0; notes && i < r->nnotes; i++)
		json_array_append_new(notes, json_pack("{s:s, s:o}", "code",
						       tally_word_name(r->note_words[i].code),
						       "args", words_args(&r->note_words[i])));
	json_object_set_new(o, "note_codes", notes);
	return o;
fail:
	json_decref(o);
	json_decref(rank);
	json_decref(rounds);
	json_decref(notes);
	json_decref(cands);
	return NULL;
}

