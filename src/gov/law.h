/*
 * law.h: the register of an assembly's laws. A law has a number (1, 2, ...
 * per assembly) and versions; every version is linked to the adopted
 * motion that made it (enact, amend or repeal). Repealed laws stay in the
 * register. Only motion effects (motion_kinds.c) write here.
 */
#ifndef PNYX_LAW_H
#define PNYX_LAW_H

#include <jansson.h>
#include <stdint.h>

#include "gov.h"

struct store;

/* Effects (inside the decision's transaction). */
int law_enact(struct store *s, int64_t body_id, const char *title,
	      const char *text, int64_t motion_id, int64_t now,
	      int64_t *number);
int law_amend(struct store *s, int64_t body_id, int64_t number,
	      const char *title, const char *text, int64_t motion_id,
	      int64_t now, int64_t *version, struct px_error *err);
int law_repeal(struct store *s, int64_t body_id, int64_t number,
	       int64_t motion_id, int64_t now, int64_t *version,
	       struct px_error *err);
/* PX_E_NOT_FOUND (field) unless law number exists in body; *in_force. */
int law_exists(struct store *s, int64_t body_id, int64_t number,
	       int *in_force, struct px_error *err, const char *field);

/* [{"number","title","status","version","updated_at"}] */
int gov_law_list(const struct gov_ctx *ctx, const char *body_slug,
		 json_t **out, struct px_error *err);
/* The law with every version: {"number","status","versions":[{"version",
 * "title","text","change","motion","at"}]} */
int gov_law_get(const struct gov_ctx *ctx, const char *body_slug,
		int64_t number, json_t **out, struct px_error *err);
/* What changed between two versions of a law (from < to; 0 means "the
 * version before to"): {"number","from","to","added","deleted",
 * "lines":[{"op":"same"|"del"|"add","text"}]} */
int gov_law_diff(const struct gov_ctx *ctx, const char *body_slug,
		 int64_t number, int64_t from, int64_t to, json_t **out,
		 struct px_error *err);
/* The register as one Markdown document (laws in force, then repealed). */
int gov_law_export(const struct gov_ctx *ctx, const char *body_slug,
		   char **out, struct px_error *err);

#endif
