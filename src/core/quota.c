/*
 * quota.c: loading a stratified selection problem from its two tables,
 * grouping people into types, and explaining infeasible quotas.
 * Invariants after a successful load: every person has exactly one
 * feature per category; types are numbered in order of first appearance
 * in the respondents file; each type's members are sorted by id bytes.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "csv.h"
#include "errors.h"
#include "num.h"
#include "panelip.h"
#include "quota.h"
#include "banned.h"

static int same_trimmed(const char *a, const char *b)
{
	while (isspace((unsigned char)*a))
		a++;
	while (isspace((unsigned char)*b))
		b++;
	size_t la = strlen(a), lb = strlen(b);
	while (la && isspace((unsigned char)a[la - 1]))
		la--;
	while (lb && isspace((unsigned char)b[lb - 1]))
		lb--;
	return la == lb && !memcmp(a, b, la);
}

static long find_col(const struct csv_table *t, const char *name)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (same_trimmed(csv_cell(t, 0, c), name))
			return (long)c;
	return csv_column(t, name);
}

static long id_col_of(const struct csv_table *t, const char *want)
{
	if (want)
		return find_col(t, want);
	long c = csv_column(t, "id");
	if (c >= 0)
		return c;
	for (size_t i = 0; i < t->ncols; i++) {
		const char *h = csv_cell(t, 0, i);
		size_t l = strlen(h);
		if (l >= 3 && !strcasecmp(h + l - 3, "_id"))
			return (long)i;
	}
	return -1;
}

struct id_idx {
	const char *id;
	size_t idx;
};

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct id_idx *)a)->id, ((const struct id_idx *)b)->id);
}

/* Sort idx[0..n-1] (person indices) by their ids' bytes. */
static int sort_by_id(const struct px_quota *q, size_t *idx, size_t n)
{
	struct id_idx *tmp = px_mallocarray(n ? n : 1, sizeof(*tmp));
	if (!tmp)
		return PX_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		tmp[i].id = q->ids[idx[i]];
		tmp[i].idx = idx[i];
	}
	qsort(tmp, n, sizeof(*tmp), by_id);
	for (size_t i = 0; i < n; i++)
		idx[i] = tmp[i].idx;
	free(tmp);
	return 0;
}

/* FNV-1a over a person's value indices. */
static size_t hash_values(const size_t *v, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++) {
		h ^= (uint64_t)v[i];
		h *= 1099511628211u;
	}
	return (size_t)(h ^ (h >> 29));
}

/* Double the type table (entries type + 1, 0 empty), rehashing. */
static int grow_types(const struct px_quota *q, size_t **tab, size_t *size)
{
	size_t n = *size ? 2 * *size : 1024;
	size_t *nt = calloc(n, sizeof(size_t));
	if (!nt)
		return PX_E_NOMEM;
	for (size_t t = 0; t < q->ntypes; t++) {
		size_t h = hash_values(q->type_feat + t * q->ncat, q->ncat) & (n - 1);
		while (nt[h])
			h = (h + 1) & (n - 1);
		nt[h] = t + 1;
	}
	free(*tab);
	*tab = nt;
	*size = n;
	return 0;
}

static int parse_seats(const char *s, int64_t *out)
{
	while (isspace((unsigned char)*s))
		s++;
	char tmp[32];
	size_t l = strlen(s);
	while (l && isspace((unsigned char)s[l - 1]))
		l--;
	if (l == 0 || l >= sizeof(tmp))
		return PX_E_BAD_INPUT;
	memcpy(tmp, s, l);
	tmp[l] = '\0';
	return num_parse_i64(tmp, 0, 1000000000, out);
}

static int load_categories(struct px_quota *q, const struct csv_table *t,
			   size_t *line, struct px_error *err)
{
	long ccat = find_col(t, "category"), cval = find_col(t, "feature");
	if (ccat < 0) { /* the Sortition Foundation's names */
		ccat = find_col(t, "feature");
		cval = find_col(t, "value");
	}
	long cmin = find_col(t, "min"), cmax = find_col(t, "max");
	*line = 1;
	if (ccat < 0 || cval < 0 || cmin < 0 || cmax < 0)
		return px_fail(err, PX_E_BAD_INPUT, NULL,
			       "the header must be category,feature,min,max or feature,value,min,max");
	size_t n = t->nrows - 1;
	q->feat = calloc(n ? n : 1, sizeof(*q->feat));
	q->cats = calloc(n ? n : 1, sizeof(*q->cats));
	if (!q->feat || !q->cats)
		return px_fail(err, PX_E_NOMEM, NULL, NULL);
	for (size_t r = 1; r < t->nrows; r++) {
		struct px_feature *f = &q->feat[q->nfeat];
		const char *cat = csv_cell(t, r, (size_t)ccat);
		*line = t->lines[r];
		f->value = csv_cell(t, r, (size_t)cval);
		f->line = t->lines[r];
		if (!*cat || !*f->value)
			return px_fail(err, PX_E_BAD_INPUT, NULL,
				       "the category and the value must not be empty");
		if (parse_seats(csv_cell(t, r, (size_t)cmin), &f->min) ||
		    parse_seats(csv_cell(t, r, (size_t)cmax), &f->max))
			return px_fail(err, PX_E_BAD_INPUT, NULL,
				       "min and max must be whole numbers of seats");
		if (f->min > f->max)
			return px_fail(err, PX_E_BAD_INPUT, NULL,
				       "min %lld is above max %lld",
				       (long long)f->min, (long long)f->max);
		if (f->max > (int64_t)q->k)
			f->max = (int64_t)q->k;
		size_t c;
		for (c = 0; c < q->ncat; c++)
			if (same_trimmed(q->cats[c], cat))
				break;
		if (c == q->ncat)
			q->cats[q->ncat++] = cat;
		f->cat = c;
		for (size_t g = 0; g < q->nfeat; g++)
			if (q->feat[g].cat == c && same_trimmed(q->feat[g].value, f->value))
				return px_fail(err, PX_E_BAD_INPUT, NULL,
					       "the value '%.40s' of '%.40s' appears twice",
					       f->value, cat);
		q->nfeat++;
	}
	if (!q->nfeat)
		return px_fail(err, PX_E_BAD_INPUT, NULL, "no categories");
	return 0;
}

int px_quota_load(struct px_quota *q, const struct csv_table *cats,
		  const struct csv_table *people, const char *id_column,
		  size_t k, int *which, size_t *line, struct px_error *err)
{
	int rc;
	long *colof = NULL;
	size_t *pf = NULL, *tab = NULL, tsize = 0;
	memset(q, 0, sizeof(*q));
	q->k = k;
	*which = 0;
	if ((rc = load_categories(q, cats, line, err)))
		goto out;
	*which = 1;
	*line = 1;
	colof = calloc(q->ncat, sizeof(*colof));
	q->npeople = people->nrows - 1;
	size_t np = q->npeople ? q->npeople : 1;
	pf = px_callocarray2(np, q->ncat, sizeof(*pf));
	q->ids = calloc(np, sizeof(*q->ids));
	q->person_type = calloc(np, sizeof(*q->person_type));
	q->type_feat = px_callocarray2(np, q->ncat, sizeof(*q->type_feat));
	q->type_count = calloc(np, sizeof(*q->type_count));
	if (!colof || !pf || !q->ids || !q->person_type || !q->type_feat ||
	    !q->type_count) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (size_t c = 0; c < q->ncat; c++) {
		colof[c] = find_col(people, q->cats[c]);
		if (colof[c] < 0) {
			rc = px_fail(err, PX_E_BAD_INPUT, NULL,
				     "no column for the category '%.60s'", q->cats[c]);
			goto out;
		}
	}
	long idc = id_col_of(people, id_column);
	if (id_column && idc < 0) {
		rc = px_fail(err, PX_E_BAD_INPUT, NULL, "no column '%.60s'", id_column);
		goto out;
	}
	if (idc < 0) {
		q->id_store = px_mallocarray(np, 24);
		if (!q->id_store) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	}
	for (size_t i = 0; i < q->npeople; i++) {
		size_t r = i + 1;
		*line = people->lines[r];
		if (idc >= 0) {
			q->ids[i] = csv_cell(people, r, (size_t)idc);
			if (!*q->ids[i]) {
				rc = px_fail(err, PX_E_BAD_INPUT, NULL, "the id is empty");
				goto out;
			}
			for (const unsigned char *c = (const unsigned char *)q->ids[i]; *c; c++)
				if (*c < 0x20 || *c == 0x7f) {
					rc = px_fail(err, PX_E_BAD_INPUT, NULL,
						     "the id contains a control character");
					goto out;
				}
		} else {
			char *s = q->id_store + i * 24;
			snprintf(s, 24, "%zu", r);
			q->ids[i] = s;
		}
		for (size_t c = 0; c < q->ncat; c++) {
			const char *v = csv_cell(people, r, (size_t)colof[c]);
			size_t f;
			for (f = 0; f < q->nfeat; f++)
				if (q->feat[f].cat == c && same_trimmed(q->feat[f].value, v))
					break;
			if (f == q->nfeat) {
				rc = px_fail(err, PX_E_BAD_INPUT, NULL,
					     "'%.40s' is not a value of '%.40s' in the categories",
					     v, q->cats[c]);
				goto out;
			}
			pf[i * q->ncat + c] = f;
			q->feat[f].available++;
		}
		/* The type by a hash of its values (open addressing, the table
		 * at most half full): a linear search over thousands of types
		 * took 3 s of processor on a million people (issue 19). */
		size_t t, h = hash_values(pf + i * q->ncat, q->ncat);
		if (2 * (q->ntypes + 1) > tsize && (rc = grow_types(q, &tab, &tsize))) {
			rc = px_fail(err, rc, NULL, NULL);
			goto out;
		}
		for (h &= tsize - 1;; h = (h + 1) & (tsize - 1)) {
			t = tab[h];
			if (t == 0 || !memcmp(q->type_feat + (t - 1) * q->ncat, pf + i * q->ncat,
					      q->ncat * sizeof(*pf)))
				break;
		}
		if (t == 0) {
			t = q->ntypes;
			memcpy(q->type_feat + t * q->ncat, pf + i * q->ncat,
			       q->ncat * sizeof(*pf));
			q->ntypes++;
			tab[h] = t + 1;
		} else {
			t--;
		}
		q->person_type[i] = t;
		q->type_count[t]++;
	}
	q->type_members = calloc(q->ntypes ? q->ntypes : 1, sizeof(*q->type_members));
	if (!q->type_members) {
		rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
		goto out;
	}
	for (size_t t = 0; t < q->ntypes; t++) {
		q->type_members[t] = px_mallocarray(q->type_count[t], sizeof(size_t));
		if (!q->type_members[t]) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	}
	{
		size_t *fill = calloc(q->ntypes ? q->ntypes : 1, sizeof(size_t));
		if (!fill) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		for (size_t i = 0; i < q->npeople; i++) {
			size_t t = q->person_type[i];
			q->type_members[t][fill[t]++] = i;
		}
		free(fill);
	}
	for (size_t t = 0; t < q->ntypes; t++)
		if (sort_by_id(q, q->type_members[t], q->type_count[t])) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
	/* Duplicate ids: adjacent within a type after sorting is not enough,
	 * so compare across the whole pool once. */
	{
		size_t *all = px_mallocarray(np, sizeof(size_t));
		if (!all) {
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		for (size_t i = 0; i < q->npeople; i++)
			all[i] = i;
		if (sort_by_id(q, all, q->npeople)) {
			free(all);
			rc = px_fail(err, PX_E_NOMEM, NULL, NULL);
			goto out;
		}
		for (size_t i = 1; i < q->npeople; i++)
			if (!strcmp(q->ids[all[i - 1]], q->ids[all[i]])) {
				size_t a = all[i - 1] > all[i] ? all[i - 1] : all[i];
				*line = people->lines[a + 1];
				rc = px_fail(err, PX_E_BAD_INPUT, NULL,
					     "the id '%.60s' appears twice", q->ids[a]);
				free(all);
				goto out;
			}
		free(all);
	}
	if (q->k == 0 || q->k > q->npeople) {
		*line = 0;
		rc = px_fail(err, PX_E_OUT_OF_RANGE, "panel-size",
			     "the panel size must be between 1 and the %zu people in the pool",
			     q->npeople);
		goto out;
	}
out:
	free(colof);
	free(pf);
	free(tab);
	if (rc)
		px_quota_release(q);
	return rc;
}

void px_quota_release(struct px_quota *q)
{
	if (q->type_members)
		for (size_t t = 0; t < q->ntypes; t++)
			free(q->type_members[t]);
	free(q->type_members);
	free(q->feat);
	free(q->cats);
	free(q->ids);
	free(q->id_store);
	free(q->person_type);
	free(q->type_feat);
	free(q->type_count);
	memset(q, 0, sizeof(*q));
}

int px_quota_panel_ok(const struct px_quota *q, const int *counts)
{
	int64_t total = 0, *per = calloc(q->nfeat, sizeof(int64_t));
	int ok = per != NULL;
	for (size_t t = 0; ok && t < q->ntypes; t++) {
		if (counts[t] < 0 || (size_t)counts[t] > q->type_count[t])
			ok = 0;
		total += counts[t];
		for (size_t c = 0; ok && c < q->ncat; c++)
			per[q->type_feat[t * q->ncat + c]] += counts[t];
	}
	for (size_t f = 0; ok && f < q->nfeat; f++)
		if (per[f] < q->feat[f].min || per[f] > q->feat[f].max)
			ok = 0;
	if (total != (int64_t)q->k)
		ok = 0;
	free(per);
	return ok;
}

static size_t say(char *out, size_t cap, const char *fmt, const char *a,
		  const char *b, long long x, long long y)
{
	size_t l = strlen(out);
	if (l < cap)
		snprintf(out + l, cap - l, fmt, a, b, x, y);
	return 1;
}

size_t px_quota_explain(const struct px_quota *q, char *out, size_t cap)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t f = 0; f < q->nfeat; f++)
		if ((size_t)q->feat[f].min > q->feat[f].available)
			n += say(out, cap, "%s=%s needs at least %lld seats but only %lld people have it\n",
				 q->cats[q->feat[f].cat], q->feat[f].value,
				 (long long)q->feat[f].min, (long long)q->feat[f].available);
	for (size_t c = 0; c < q->ncat; c++) {
		long long lo = 0, hi = 0;
		for (size_t f = 0; f < q->nfeat; f++) {
			if (q->feat[f].cat != c)
				continue;
			lo += q->feat[f].min;
			long long m = q->feat[f].max;
			hi += m < (long long)q->feat[f].available ? m : (long long)q->feat[f].available;
		}
		if (lo > (long long)q->k)
			n += say(out, cap, "%s%s: the minimums add up to %lld, more than the panel size %lld\n",
				 q->cats[c], "", lo, (long long)q->k);
		if (hi < (long long)q->k)
			n += say(out, cap, "%s%s: at most %lld seats can be filled (maximums and people available), fewer than the panel size %lld\n",
				 q->cats[c], "", hi, (long long)q->k);
	}
	if (n)
		return n;
	/* Only combinations conflict: find the single quotas whose relaxation
	 * would allow a panel. */
	struct px_panelip *ip = px_panelip_new(q);
	if (!ip)
		return 0;
	for (size_t f = 0; f < q->nfeat; f++) {
		px_panelip_relax(ip, f, 1);
		if (px_panelip_solve(ip, NULL, NULL, NULL) == 0)
			n += say(out, cap, "%s=%s: the quota %lld..%lld conflicts with the others (relaxing it alone allows a panel)\n",
				 q->cats[q->feat[f].cat], q->feat[f].value,
				 (long long)q->feat[f].min, (long long)q->feat[f].max);
		px_panelip_relax(ip, f, 0);
	}
	px_panelip_free(ip);
	if (!n)
		n += say(out, cap, "%s%sthe quotas conflict in combination: no single quota's relaxation allows a panel (%lld categories, panel size %lld)\n",
			 "", "", (long long)q->ncat, (long long)q->k);
	return n;
}
