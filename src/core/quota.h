/*
 * quota.h: a stratified selection problem (docs/sortition.md section 8):
 * categories (gender, age...), each with values (features) carrying a
 * minimum and a maximum number of panel seats, and a pool of people each
 * having one value per category. People with the same values in every
 * category form a *type*; panels are counted per type.
 *
 * Two file formats are read, both as parsed CSV tables:
 *   - the Sortition Foundation's features.csv: feature,value,min,max
 *     [,min_flex,max_flex] (there "feature" is the category);
 *   - the replication data of Flanigan et al. (2021), categories.csv:
 *     category,feature,min,max.
 * The respondents table has one column per category, named like it, and an
 * id column (the one named by the caller, else "id", else a column whose
 * name ends in "_id"); without one, people are numbered from 1 in file
 * order.
 *
 * Ownership: px_quota_load() fills struct px_quota with heap memory that
 * px_quota_release() frees; strings point into the caller's tables, which
 * must outlive it.
 */
#ifndef PNYX_QUOTA_H
#define PNYX_QUOTA_H

#include <stddef.h>
#include <stdint.h>
#include "errors.h"

struct csv_table;
struct px_error;

struct px_feature {
	const char *value;
	size_t cat;         /* index into categories */
	int64_t min, max;   /* seats, after clamping max to the panel size */
	size_t available;   /* people in the pool who have it */
	size_t line;        /* line in the categories file */
};

struct px_quota {
	size_t k;           /* panel size */
	size_t ncat, nfeat, npeople, ntypes;
	const char **cats;
	struct px_feature *feat;
	const char **ids;          /* npeople */
	char *id_store;            /* ids made from row numbers */
	size_t *person_type;       /* npeople */
	size_t *type_feat;         /* ntypes * ncat: feature index */
	size_t *type_count;        /* ntypes */
	size_t **type_members;     /* ntypes lists of person indices, ids ascending */
};

/*
 * Build the problem. On bad input returns PX_E_BAD_INPUT with
 * *which = 0 for the categories table, 1 for the respondents, and *line
 * the line in that file.
 */
int px_quota_load(struct px_quota *q, const struct csv_table *cats,
		  const struct csv_table *people, const char *id_column,
		  size_t k, int *which, size_t *line, struct px_error *err) PX_MUST_CHECK;
void px_quota_release(struct px_quota *q);

/* Whether a panel given as counts per type meets every quota. */
int px_quota_panel_ok(const struct px_quota *q, const int *counts);

/*
 * Explain why no panel can meet the quotas: appends one line per reason
 * to out (a NUL-terminated buffer of size cap). Checks single features
 * (not enough people), categories (minimums above or maximums below the
 * panel size) and, when those pass, which single quotas, once relaxed,
 * make a panel possible. Returns the number of reasons found.
 */
size_t px_quota_explain(const struct px_quota *q, char *out, size_t cap);

#endif
