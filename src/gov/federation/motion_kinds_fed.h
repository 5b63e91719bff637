/*
 * motion_kinds_fed.c: the kinds of motion of voluntary federation, for
 * the table federation_kinds at the end of motion_kinds_fed.c. Each pair checks a motion's parameters at
 * submission and applies its effect inside the deciding transaction.
 *
 *   found_federation     {"slug","name","purpose","region","statement",
 *                         "rule","schedule","weighting"?,"delegate"?,
 *                         "mandate"?}  a new delegate assembly; the founding
 *                         assembly is its first member (and, when named,
 *                         sends its first delegate)
 *   join_federation      {"federation": slug}
 *   leave_federation     {"federation": slug}
 *   elect_delegates      {"federation", "delegate": handle, "mandate"}
 *                         one seat by the decision rule; or {"federation",
 *                         "seats": 2..50, "candidates": [handle], "mandate",
 *                         "method"?} several seats by STV over ranked
 *                         ballots (ranked.h)
 *   recall_delegate      {"federation", "delegate": handle}
 *   suspend_member       {"member": slug}     (a delegate assembly)
 *   restore_member       {"member": slug}     (a delegate assembly)
 *   change_weighting     {"weighting": "assembly"|"population"}
 *   declaration          {"motion": id}       about another assembly's
 *                                             decision; the text is the
 *                                             declaration
 *   adopt_proposal       {"rationale", "condition"}  title and text are the
 *                                             proposal's (a delegate assembly)
 *   new_proposal_version {"proposal", "rationale", "condition"?}
 *   answer_proposal      {"proposal", "version", "answer": "accept"|
 *                         "reject"|"amend", "counter_text"?, "reasons"?}
 */
#ifndef PNYX_MOTION_KINDS_FED_H
#define PNYX_MOTION_KINDS_FED_H

#include "gov/procedure/procedure.h"

#define FED_KIND_PROTO(name) \
	int fk_check_##name(struct store *s, int64_t body_id, const struct kind_args *a, \
			    json_t *canon, struct px_error *err); \
	int fk_apply_##name(struct store *s, const struct motion_effect *m, \
			 json_t *j, struct px_error *err)

FED_KIND_PROTO(found_federation);
FED_KIND_PROTO(join_federation);
FED_KIND_PROTO(leave_federation);
FED_KIND_PROTO(elect_delegates);
FED_KIND_PROTO(recall_delegate);
FED_KIND_PROTO(suspend_member);
FED_KIND_PROTO(restore_member);
FED_KIND_PROTO(change_weighting);
FED_KIND_PROTO(declaration);
FED_KIND_PROTO(adopt_proposal);
FED_KIND_PROTO(new_proposal_version);
FED_KIND_PROTO(answer_proposal);

#endif
