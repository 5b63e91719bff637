/*
 * replay_state.c: which tables are governance state, and the comparison of
 * a live database with its replay.
 *
 * One row per table (`compared` below): the query that reads it in key
 * order, how many leading columns are the key, and which of the table's
 * columns the query covers. The same query runs on both databases and the
 * two row streams are walked in step; the first row one side lacks, or
 * the first column that differs, is the difference reported.
 *
 * Governance state is what the journal proves: every row an entry makes.
 * Derived tables and columns (fed_below, proposal_sums, a delegate
 * assembly's locals_below and the like, a proposal version's met) are
 * rebuilt by the same code as the live path and compared too. Operational
 * rows are neither rebuilt nor compared, each for the reason given in
 * `operational`: they are not decisions, or the journal must not hold them.
 *
 * Meetings are keyed by body and start, not by id (replay.c says why);
 * tables that name a meeting show its start instead of its id. A regular
 * meeting the schedule made and nothing refers to is not in the record.
 */
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "store/store.h"
#include "gov/replay/replay.h"
#include "banned.h"

/* A meeting is in the record once anything refers to it. */
#define MEETING_IN_RECORD \
	"(m.kind = 'extra' OR m.closed_at IS NOT NULL" \
	" OR EXISTS (SELECT 1 FROM attendance a WHERE a.meeting_id = m.id)" \
	" OR EXISTS (SELECT 1 FROM motions x WHERE x.meeting_id = m.id)" \
	" OR EXISTS (SELECT 1 FROM case_testimony t WHERE t.meeting_id = m.id))"

static const struct state_table {
	const char *table;
	int nkey;
	const char *sql;
	const char *covers; /* the table's columns the query reads, space-separated */
	const char *skips;  /* columns left out, each for the reason in `operational` */
} compared[] = {
	{ "accounts", 1,
	  "SELECT id, handle, display_name, created_at FROM accounts ORDER BY id",
	  "id handle display_name created_at", "password_hash" },
	{ "communities", 1,
	  "SELECT id, slug, name, population, created_at, areas FROM communities ORDER BY id",
	  "id slug name population created_at areas", "" },
	{ "bodies", 1,
	  "SELECT id, slug, kind, name, community_id, statement, rules, schedule, founded_by,"
	  " founded_at, secret_kinds, purpose, region, weighting, founded_by_motion,"
	  " locals_below, population_below, shared_below, federates, language, dissolved_at"
	  " FROM bodies ORDER BY id",
	  "id slug kind name community_id statement rules schedule founded_by founded_at"
	  " secret_kinds purpose region weighting founded_by_motion locals_below"
	  " population_below shared_below federates language dissolved_at", "" },
	{ "memberships", 2,
	  "SELECT body_id, account_id, status, basis, since, enterprise_id FROM memberships"
	  " ORDER BY 1, 2",
	  "body_id account_id status basis since enterprise_id", "" },
	{ "meetings", 2,
	  "SELECT body_id, starts_at, kind, place, declared_by, closed_at, minutes"
	  " FROM meetings m WHERE " MEETING_IN_RECORD " ORDER BY 1, 2",
	  "id body_id starts_at kind place declared_by closed_at minutes", "code_secret" },
	{ "attendance", 4,
	  "SELECT m.body_id, m.starts_at AS meeting_starts_at, a.account_id, a.checked_in_at,"
	  " a.method, a.left_at, a.left_reason FROM attendance a JOIN meetings m"
	  " ON m.id = a.meeting_id ORDER BY 1, 2, 3, 4",
	  "meeting_id account_id checked_in_at method left_at left_reason", "id" },
	{ "motions", 1,
	  "SELECT x.id, x.body_id, (SELECT m.starts_at FROM meetings m WHERE m.id ="
	  " x.meeting_id) AS meeting_starts_at, x.parent_id, x.committee_id, x.kind, x.title,"
	  " x.text, x.params, x.proposer, x.submitted_at, x.position, x.status, x.ballot,"
	  " x.vote_mode, x.round, x.rule, x.members_at_open, x.voting_opened_at, x.result,"
	  " x.decided_at, x.original_text, x.closed_reason FROM motions x ORDER BY 1",
	  "id body_id meeting_id parent_id committee_id kind title text params proposer"
	  " submitted_at position status ballot vote_mode round rule members_at_open"
	  " voting_opened_at result decided_at original_text closed_reason", "" },
	{ "votes", 3,
	  "SELECT motion_id, round, account_id, position FROM votes ORDER BY 1, 2, 3",
	  "motion_id round account_id position", "" },
	{ "voters", 3,
	  "SELECT motion_id, round, account_id FROM voters ORDER BY 1, 2, 3",
	  "motion_id round account_id", "" },
	/* a secret vote still running: its counts are not in the journal */
	{ "ballot_counts", 3,
	  "SELECT b.motion_id, b.round, b.position, b.n FROM ballot_counts b"
	  " WHERE NOT EXISTS (SELECT 1 FROM motions x WHERE x.id = b.motion_id"
	  " AND x.status = 'voting' AND x.round = b.round AND x.ballot = 'secret'"
	  " AND x.vote_mode <> 'hands') ORDER BY 1, 2, 3",
	  "motion_id round position n", "" },
	{ "advisory", 2,
	  "SELECT motion_id, account_id, position, comment, at FROM advisory ORDER BY 1, 2",
	  "motion_id account_id position comment at", "" },
	{ "comments", 1,
	  "SELECT id, motion_id, proposal_id, reply_to, depth, author_id, text, at,"
	  " withdrawn_at, hidden_by, hidden_reason FROM comments ORDER BY 1",
	  "id motion_id proposal_id reply_to depth author_id text at withdrawn_at hidden_by"
	  " hidden_reason", "" },
	{ "remote_votes", 1,
	  "SELECT motion_id, mode, opens_at, closes_at, authorised_by FROM remote_votes"
	  " ORDER BY 1",
	  "motion_id mode opens_at closes_at authorised_by", "" },
	{ "laws", 1,
	  "SELECT id, body_id, number, status, proposal_id FROM laws ORDER BY 1",
	  "id body_id number status proposal_id", "" },
	{ "law_versions", 2,
	  "SELECT law_id, version, title, text, change, motion_id, at, proposal_id,"
	  " proposal_version, case_id, case_change FROM law_versions ORDER BY 1, 2",
	  "law_id version title text change motion_id at proposal_id proposal_version"
	  " case_id case_change", "" },
	{ "offices", 1,
	  "SELECT id, body_id, name, duties, holder_id, created_by FROM offices ORDER BY 1",
	  "id body_id name duties holder_id created_by", "" },
	{ "committees", 1,
	  "SELECT id, body_id, name, scope, decision_kinds, ends_at, created_by, revoked_by"
	  " FROM committees ORDER BY 1",
	  "id body_id name scope decision_kinds ends_at created_by revoked_by", "" },
	{ "committee_members", 2,
	  "SELECT committee_id, account_id FROM committee_members ORDER BY 1, 2",
	  "committee_id account_id", "" },
	{ "federation_members", 2,
	  "SELECT federation_id, member_id, status, since, changed_by FROM federation_members"
	  " ORDER BY 1, 2",
	  "federation_id member_id status since changed_by", "" },
	{ "federation_changes", 1,
	  "SELECT id, federation_id, member_id, status, motion_id, at FROM federation_changes"
	  " ORDER BY 1",
	  "id federation_id member_id status motion_id at", "" },
	{ "delegations", 1,
	  "SELECT id, federation_id, member_id, account_id, mandate, elected_by, elected_at,"
	  " recalled_by, recalled_at FROM delegations ORDER BY 1",
	  "id federation_id member_id account_id mandate elected_by elected_at recalled_by"
	  " recalled_at", "" },
	{ "declarations", 1,
	  "SELECT id, body_id, about_motion, motion_id, at FROM declarations ORDER BY 1",
	  "id body_id about_motion motion_id at", "" },
	{ "proposals", 1,
	  "SELECT id, body_id, created_by, created_at, relay_of, relay_proposal FROM"
	  " proposals ORDER BY 1",
	  "id body_id created_by created_at relay_of relay_proposal", "" },
	{ "proposal_versions", 2,
	  "SELECT proposal_id, version, title, text, rationale, condition, adopted_by, at, met"
	  " FROM proposal_versions ORDER BY 1, 2",
	  "proposal_id version title text rationale condition adopted_by at met", "" },
	{ "proposal_offers", 3,
	  "SELECT proposal_id, version, body_id, offered_by, at FROM proposal_offers"
	  " ORDER BY 1, 2, 3",
	  "proposal_id version body_id offered_by at", "" },
	{ "proposal_answers", 1,
	  "SELECT id, proposal_id, version, body_id, answer, counter_text, reasons, motion_id,"
	  " at FROM proposal_answers ORDER BY 1",
	  "id proposal_id version body_id answer counter_text reasons motion_id at", "" },
	{ "fed_below", 2,
	  "SELECT ancestor_id, body_id, paths FROM fed_below ORDER BY 1, 2",
	  "ancestor_id body_id paths", "" },
	{ "proposal_sums", 3,
	  "SELECT proposal_id, version, body_id, accepted, locals, population"
	  " FROM proposal_sums ORDER BY 1, 2, 3",
	  "proposal_id version body_id accepted locals population", "" },
	{ "ranked_ballots", 3,
	  "SELECT motion_id, round, account_id, ranking FROM ranked_ballots ORDER BY 1, 2, 3",
	  "motion_id round account_id ranking", "" },
	/* distributed democracy by lot (src/gov/lot) */
	{ "regions", 1,
	  "SELECT id, slug, name, created_at FROM regions ORDER BY 1",
	  "id slug name created_at", "" },
	{ "region_communities", 2,
	  "SELECT region_id, community_id FROM region_communities ORDER BY 1, 2",
	  "region_id community_id", "" },
	{ "region_parts", 2,
	  "SELECT region_id, part_id FROM region_parts ORDER BY 1, 2",
	  "region_id part_id", "" },
	{ "polities", 1,
	  "SELECT id, slug, name, description, region_id, seats, cohorts, widest, body_id,"
	  " created_at FROM polities ORDER BY 1",
	  "id slug name description region_id seats cohorts widest body_id created_at", "" },
	{ "polity_seats", 2,
	  "SELECT polity_id, seat, cohort, term_starts, term_ends, holder_id FROM polity_seats"
	  " ORDER BY 1, 2",
	  "polity_id seat cohort term_starts term_ends holder_id", "" },
	{ "residences", 1,
	  "SELECT account_id, community_id, since FROM residences ORDER BY 1",
	  "account_id community_id since", "" },
	{ "consents", 1,
	  "SELECT account_id, given_at, expires_at FROM consents ORDER BY 1",
	  "account_id given_at expires_at", "" },
	{ "profiles", 2,
	  "SELECT account_id, category, value FROM profiles ORDER BY 1, 2",
	  "account_id category value", "" },
	{ "polity_settings", 1,
	  "SELECT polity_id, seed_source, commit_days, witnesses, alternates, answer_days,"
	  " excuse_reasons, excuse_rule, no_answer, quotas FROM polity_settings ORDER BY 1",
	  "polity_id seed_source commit_days witnesses alternates answer_days excuse_reasons"
	  " excuse_rule no_answer quotas", "" },
	{ "renewals", 1,
	  "SELECT id, polity_id, cohort, kind, committed_at, draw_at, term_ends, seats,"
	  " alternates, witnesses, seed_source, commitment, pool_size, seed_text, seed,"
	  " drawn_at, strata FROM renewals ORDER BY 1",
	  "id polity_id cohort kind committed_at draw_at term_ends seats alternates witnesses"
	  " seed_source commitment pool_size seed_text seed drawn_at strata", "" },
	{ "renewal_leaves", 2,
	  "SELECT renewal_id, position, leaf, profile FROM renewal_leaves ORDER BY 1, 2",
	  "renewal_id position leaf profile", "" },
	{ "renewal_witnesses", 2,
	  "SELECT renewal_id, account_id, text, at FROM renewal_witnesses ORDER BY 1, 2",
	  "renewal_id account_id text at", "" },
	{ "renewal_ranks", 2,
	  "SELECT renewal_id, place, account_id, leaf, drawn, state, why FROM renewal_ranks"
	  " ORDER BY 1, 2",
	  "renewal_id place account_id leaf drawn state why", "" },
	{ "summons", 1,
	  "SELECT id, renewal_id, place, account_id, polity_id, cohort, state, reason,"
	  " summoned_at, deadline, seat, ended_at, resummoned, excuse_decision,"
	  " decision_reason FROM summons ORDER BY 1",
	  "id renewal_id place account_id polity_id cohort state reason summoned_at deadline"
	  " seat ended_at resummoned excuse_decision decision_reason", "" },
	{ "civil_servants", 2,
	  "SELECT polity_id, account_id, added_at FROM civil_servants ORDER BY 1, 2",
	  "polity_id account_id added_at", "" },
	{ "cases", 1,
	  "SELECT id, polity_id, law_number, absence, title, statement, petitioner_id, state,"
	  " opened_at, findings, deadline, review_at, remedy_id, review_harm, updated_at"
	  " FROM cases ORDER BY 1",
	  "id polity_id law_number absence title statement petitioner_id state opened_at"
	  " findings deadline review_at remedy_id review_harm updated_at", "" },
	{ "case_steps", 2,
	  "SELECT case_id, n, step, at, actor, motion_id, note FROM case_steps ORDER BY 1, 2",
	  "case_id n step at actor motion_id note", "" },
	{ "case_recommendations", 1,
	  "SELECT id, case_id, author_id, law_number, base_version, title, text, rationale,"
	  " effect, measures, alternatives, submitted_at, state, motion_id, reasons,"
	  " law_version FROM case_recommendations ORDER BY 1",
	  "id case_id author_id law_number base_version title text rationale effect measures"
	  " alternatives submitted_at state motion_id reasons law_version", "" },
	{ "case_evidence", 1,
	  "SELECT id, case_id, submitter_id, submitted_at, brief, sealed_at, sealed_motion,"
	  " sealed_reasons FROM case_evidence ORDER BY 1",
	  "id case_id submitter_id submitted_at brief sealed_at sealed_motion sealed_reasons",
	  "" },
	{ "case_briefs", 1,
	  "SELECT id, case_id, motion_id, requested_at, deadline, instructions, evidence_id"
	  " FROM case_briefs ORDER BY 1",
	  "id case_id motion_id requested_at deadline instructions evidence_id", "" },
	{ "case_evidence_files", 2,
	  "SELECT evidence_id, n, type, size, hash FROM case_evidence_files ORDER BY 1, 2",
	  "evidence_id n type size hash", "" },
	/* outside the journal (a sealed piece must not be public): copied
	 * by replay only where the bytes hash to their entry's hash */
	{ "case_evidence_content", 2,
	  "SELECT evidence_id, n, name, bytes FROM case_evidence_content ORDER BY 1, 2",
	  "evidence_id n name bytes", "" },
	{ "case_testimony", 1,
	  "SELECT t.id, t.case_id, t.motion_id, (SELECT m.starts_at FROM meetings m WHERE"
	  " m.id = t.meeting_id) AS meeting_starts_at, t.account_id, t.name, t.at, t.outcome,"
	  " t.summary, t.recorded_at, t.recorded_by FROM case_testimony t ORDER BY 1",
	  "id case_id motion_id meeting_id account_id name at outcome summary recorded_at"
	  " recorded_by", "" },
	{ "polity_case_rules", 1,
	  "SELECT polity_id, petitioners, anonymous_evidence, motion_id, since"
	  " FROM polity_case_rules ORDER BY 1",
	  "polity_id petitioners anonymous_evidence motion_id since", "" },
	{ "enterprises", 1,
	  "SELECT body_id, provides, conditions, conditions_motion, conditions_at"
	  " FROM enterprises ORDER BY 1",
	  "body_id provides conditions conditions_motion conditions_at", "" },
	{ "enterprise_admissions", 1,
	  "SELECT id, body_id, account_id, motion_id, admitted_at, joined_at, voided_by"
	  " FROM enterprise_admissions ORDER BY 1",
	  "id body_id account_id motion_id admitted_at joined_at voided_by", "" },
	{ "enterprise_voids", 1,
	  "SELECT motion_id, voided_by, law_id, reasons, at FROM enterprise_voids ORDER BY 1",
	  "motion_id voided_by law_id reasons at", "" },
	{ "standing_cycles", 1,
	  "SELECT body_id, months, motion_id, set_at FROM standing_cycles ORDER BY 1",
	  "body_id months motion_id set_at", "" },
	{ "standings", 1,
	  "SELECT id, body_id, enterprise_id, account_id, standing, must_change, review_by,"
	  " record, motion_id, decided_at FROM standings ORDER BY 1",
	  "id body_id enterprise_id account_id standing must_change review_by record"
	  " motion_id decided_at", "" },
	{ "standing_bases", 1,
	  "SELECT account_id, basis, note, at FROM standing_bases ORDER BY 1",
	  "account_id basis note at", "" },
	{ "commitments", 1,
	  "SELECT id, body_id, action, what, quantity, unit, period, motion_id, since,"
	  " ended_by, ended_at FROM commitments ORDER BY 1",
	  "id body_id action what quantity unit period motion_id since ended_by ended_at", "" },
	{ "deliveries", 1,
	  "SELECT id, body_id, commitment_id, action, what, quantity, unit, to_account,"
	  " to_body, note, at, recorded_by, recorded_at FROM deliveries ORDER BY 1",
	  "id body_id commitment_id action what quantity unit to_account to_body note at"
	  " recorded_by recorded_at", "" },
	{ "delivery_corrections", 1,
	  "SELECT delivery_id, replacement_id, reason, by_account, at"
	  " FROM delivery_corrections ORDER BY 1",
	  "delivery_id replacement_id reason by_account at", "" },
	{ "appreciations", 1,
	  "SELECT id, delivery_id, by_account, by_body, text, met_need, at"
	  " FROM appreciations ORDER BY 1",
	  "id delivery_id by_account by_body text met_need at", "" },
	/* src/gov/sharing: the sharing economy */
	{ "sharing_economies", 1,
	  "SELECT id, slug, name, founded_at, motion_id FROM sharing_economies ORDER BY 1",
	  "id slug name founded_at motion_id", "" },
	{ "sharing_assemblies", 1,
	  "SELECT id, economy_id, body_id, motion_id, joined_at, left_by, left_at"
	  " FROM sharing_assemblies ORDER BY 1",
	  "id economy_id body_id motion_id joined_at left_by left_at", "" },
	{ "goods", 1,
	  "SELECT id, economy_id, body_id, kind, name, description, unit, units, stock,"
	  " condition, location, holder, due_at, offered_by, offered_at, withdrawn_at"
	  " FROM goods ORDER BY 1",
	  "id economy_id body_id kind name description unit units stock condition location"
	  " holder due_at offered_by offered_at withdrawn_at", "" },
	{ "good_stock", 1,
	  "SELECT id, good_id, stock, previous, note, by_account, at FROM good_stock ORDER BY 1",
	  "id good_id stock previous note by_account at", "" },
	{ "takes", 1,
	  "SELECT id, good_id, account_id, body_id, quantity, at, returned_at, motion_id"
	  " FROM takes ORDER BY 1",
	  "id good_id account_id body_id quantity at returned_at motion_id", "" },
	{ "scarcities", 1,
	  "SELECT id, good_id, body_id, motion_id, categories, cap, round_days, loan_days,"
	  " declared_at, lifted_by, lifted_at, policy, alternatives, proposal_id FROM scarcities"
	  " ORDER BY 1",
	  "id good_id body_id motion_id categories cap round_days loan_days declared_at"
	  " lifted_by lifted_at policy alternatives proposal_id", "" },
	{ "proposal_scarcities", 1,
	  "SELECT proposal_id, good_id, action, params FROM proposal_scarcities ORDER BY 1",
	  "proposal_id good_id action params", "" },
	{ "rounds", 1,
	  "SELECT id, good_id, scarcity_id, opens_at, closes_at, closed_at, supply,"
	  " commitment, source, result, result_hash, allocated_at, supplies FROM rounds"
	  " ORDER BY 1",
	  "id good_id scarcity_id opens_at closes_at closed_at supply commitment source"
	  " result result_hash allocated_at supplies", "" },
	{ "round_requests", 1,
	  "SELECT id, round_id, account_id, category, amount, leaf, at, ranking, shares,"
	  " assigned, moved_to FROM round_requests ORDER BY 1",
	  "id round_id account_id category amount leaf at ranking shares assigned moved_to",
	  "" },
	{ "round_evidence", 1,
	  "SELECT request_id, committee_id, verdict, reason, reviewed_by, reviewed_at"
	  " FROM round_evidence ORDER BY 1",
	  "request_id committee_id verdict reason reviewed_by reviewed_at", "" },
	{ "round_evidence_files", 2,
	  "SELECT request_id, n, type, size, hash FROM round_evidence_files ORDER BY 1, 2",
	  "request_id n type size hash", "" },
	/* outside the journal (only the requester and the committee see
	 * it): copied by replay only where the bytes hash to their entry's */
	{ "round_evidence_content", 2,
	  "SELECT request_id, n, name, bytes FROM round_evidence_content ORDER BY 1, 2",
	  "request_id n name bytes", "" },
	{ "round_allocations", 1,
	  "SELECT round_id, request_id, num, den, place FROM round_allocations ORDER BY 1, 2",
	  "round_id request_id num den place", "" },
	{ "lending_terms", 1,
	  "SELECT scarcity_id, collect_days, buffer_days FROM lending_terms ORDER BY 1",
	  "scarcity_id collect_days buffer_days", "" },
	{ "item_holds", 1,
	  "SELECT id, good_id, round_id, request_id, account_id, since, until, state,"
	  " ended_at FROM item_holds ORDER BY 1",
	  "id good_id round_id request_id account_id since until state ended_at", "" },
	{ "item_rests", 1,
	  "SELECT good_id, until FROM item_rests ORDER BY 1", "good_id until", "" },
	{ "loans", 1,
	  "SELECT id, good_id, account_id, how, round_id, from_at, due_at, renewals,"
	  " returned_at, condition_note FROM loans ORDER BY 1",
	  "id good_id account_id how round_id from_at due_at renewals returned_at"
	  " condition_note", "" },
	{ "sharing_optouts", 1,
	  "SELECT id, account_id, opted_out, at FROM sharing_optouts ORDER BY 1",
	  "id account_id opted_out at", "" },
	{ "households", 1,
	  "SELECT id, slug, name, declared_by, declared_at FROM households ORDER BY 1",
	  "id slug name declared_by declared_at", "" },
	{ "household_members", 1,
	  "SELECT id, household_id, account_id, invited_at, joined_at, left_at"
	  " FROM household_members ORDER BY 1",
	  "id household_id account_id invited_at joined_at left_at", "" },
	{ "allotments", 1,
	  "SELECT id, body_id, motion_id, household_id, enterprise_id, what, quantity, unit,"
	  " purpose, priority, until, at, revoked_by, revoked_at FROM allotments ORDER BY 1",
	  "id body_id motion_id household_id enterprise_id what quantity unit purpose"
	  " priority until at revoked_by revoked_at", "" },
	{ "barter_terms", 1,
	  "SELECT id, body_id, motion_id, taken_goods, classes, at FROM barter_terms"
	  " ORDER BY 1",
	  "id body_id motion_id taken_goods classes at", "" },
	{ "barters", 1,
	  "SELECT id, household_id, account_id, enterprise_id, household_gives,"
	  " household_quantity, household_unit, other_gives, other_quantity, other_unit,"
	  " recorded_by, recorded_at, recorded_side, confirmed_by, confirmed_at, good_id,"
	  " ended_by, ended_at, ended_how FROM barters ORDER BY 1",
	  "id household_id account_id enterprise_id household_gives household_quantity"
	  " household_unit other_gives other_quantity other_unit recorded_by recorded_at"
	  " recorded_side confirmed_by confirmed_at good_id ended_by ended_at ended_how", "" },
	{ "militias", 1,
	  "SELECT id, slug, name, purpose, terms, proposed_at, body_id, formed_at,"
	  " dissolved_by, dissolved_at FROM militias ORDER BY 1",
	  "id slug name purpose terms proposed_at body_id formed_at dissolved_by"
	  " dissolved_at", "" },
	{ "body_languages", 1,
	  "SELECT id, body_id, since, language, previous, motion_id FROM body_languages"
	  " ORDER BY id",
	  "id body_id since language previous motion_id", "" },
	{ "militia_assemblies", 2,
	  "SELECT militia_id, assembly_id, motion_id, at FROM militia_assemblies"
	  " ORDER BY 1, 2",
	  "militia_id assembly_id motion_id at", "" },
	/* src/gov/community: bounds changed by decision */
	{ "body_ends", 1,
	  "SELECT body_id, how, motion_id, at FROM body_ends ORDER BY 1",
	  "body_id how motion_id at", "" },
	{ "body_lineage", 2,
	  "SELECT from_body, to_body, how, motion_id FROM body_lineage ORDER BY 1, 2",
	  "from_body to_body how motion_id", "" },
	{ "law_origins", 2,
	  "SELECT law_id, from_law, motion_id FROM law_origins ORDER BY 1, 2",
	  "law_id from_law motion_id", "" },
	{ "community_choices", 2,
	  "SELECT from_body, account_id, basis, chosen, first_at, changes, at"
	  " FROM community_choices ORDER BY 1, 2",
	  "from_body account_id basis chosen first_at changes at", "" },
	{ "unions", 1,
	  "SELECT id, slug, terms, proposed_at, body_id, united_at FROM unions ORDER BY 1",
	  "id slug terms proposed_at body_id united_at", "" },
	{ "union_assemblies", 2,
	  "SELECT union_id, assembly_id, motion_id, at FROM union_assemblies ORDER BY 1, 2",
	  "union_id assembly_id motion_id at", "" },
	{ "node_relations", 1,
	  "SELECT id, body_id, remote_actor, side, status, request_id, motion_id, decided_by,"
	  " since, changed_at, ended_by, suspended_by FROM node_relations ORDER BY 1",
	  "id body_id remote_actor side status request_id motion_id decided_by since"
	  " changed_at ended_by suspended_by", "" },
	{ "node_declarations", 1,
	  "SELECT id, relation_id, activity_id, title, text, about, decision, at"
	  " FROM node_declarations ORDER BY 1",
	  "id relation_id activity_id title text about decision at", "" },
	{ "node_inbox", 1,
	  "SELECT activity_id, peer, type, received_at, head_seq, head_hash FROM node_inbox"
	  " ORDER BY 1",
	  "activity_id peer type received_at head_seq head_hash", "" },
	{ "node_credentials", 1,
	  "SELECT id, relation_id, delegate, mandate, motion_id, elected_by, credential_id,"
	  " since, recalled_by, recalled_at FROM node_credentials ORDER BY 1",
	  "id relation_id delegate mandate motion_id elected_by credential_id since"
	  " recalled_by recalled_at", "" },
	{ "node_offers", 1,
	  "SELECT id, relation_id, side, activity_id, proposal_id, proposal, version, title,"
	  " text, rationale, condition, at, met_at, law_number FROM node_offers ORDER BY 1",
	  "id relation_id side activity_id proposal_id proposal version title text rationale"
	  " condition at met_at law_number", "" },
	{ "node_answers", 1,
	  "SELECT id, offer_id, answer, counter_text, reasons, motion_id, decision,"
	  " activity_id, population, at, locals, beneath, total_locals, total_population"
	  " FROM node_answers ORDER BY 1",
	  "id offer_id answer counter_text reasons motion_id decision activity_id population"
	  " at locals beneath total_locals total_population", "" },
	{ "node_votes", 3,
	  "SELECT motion_id, round, credential_id, position, activity_id, at FROM node_votes"
	  " ORDER BY 1, 2, 3",
	  "motion_id round credential_id position activity_id at", "" },
};

/* What is neither rebuilt nor compared, and why. A column is named
 * "table.column". docs/journal.md repeats this list. */
static const struct {
	const char *name;
	const char *why;
} operational[] = {
	{ "node", "the node's key: copied, and checked by journal verify" },
	{ "journal", "the journal itself: copied, and checked by journal verify" },
	{ "journal_head", "the signed head: copied, and checked by journal verify" },
	{ "schema_version", "the program's migrations, not a decision" },
	{ "journal_replay_from", "where the journal began to carry what replay needs" },
	{ "sessions", "sign-ins: never journalled (a token is a secret)" },
	{ "round_salts", "each request's receipt in a round of a scarce good: a secret,"
	  " never journalled (the journal commits to it; replay reads it to check the"
	  " commitment, and copies it)" },
	{ "renewal_salts", "each person's receipt for a draw: a secret, never journalled"
			   " (the leaves they make are, and are compared)" },
	{ "sim_clock", "a controlled clock's offset (simulation and tests), not a decision" },
	{ "speakers", "the floor queue of a meeting in session, not a decision" },
	{ "ranked_secret", "secret rankings under random keys: the decision journals them"
			   " sorted, and the count made again from them is compared" },
	{ "accounts.password_hash", "a secret, never journalled" },
	{ "meetings.code_secret", "the room code's secret, never journalled" },
	{ "attendance.id", "a row number: each stay is known by its meeting, person and arrival" },
	/* src/gov/notice: made from the journal after the decisions, by a
	 * thread of its own; personal settings and mail are no decision */
	{ "notifications", "derived from the journal and the schedule (src/gov/notice)" },
	{ "notice_cursor", "how far the notifier has read the journal" },
	{ "notice_clock", "the meetings begun and online votes opened that were announced" },
	{ "notice_settings", "a person's e-mail address and choice of mail, not a decision" },
	{ "mail_queue", "mail waiting or sent, not a decision" },
	{ "person_languages", "a person's language of the pages, not a decision" },
	{ "mail_state", "the mail server's last success and error" },
	{ "node_peers", "the other nodes heard of, their keys as first fetched and how"
	  " delivery to them goes: not a decision (docs/nodes.md)" },
	{ "node_outbox", "activities waiting for delivery or delivered: the decisions that"
	  " made them are journalled" },
	{ "node_self", "the address the node serves at, written by serve" },
	{ "node_followers", "who follows a body from another server: reading a public"
	  " record is no decision (docs/nodes.md, choice 7)" },
	{ "node_posts", "the posts already queued for a body's followers" },
	{ "node_peer_keys", "the keys other nodes signed with before they rotated them:"
	  " like node_peers, not a decision (docs/nodes.md)" },
	{ "node_actor_names", "the names other nodes' actor documents gave their"
	  " assemblies, as last fetched: shown, not decided (docs/nodes.md)" },
};

static int is_operational(const char *name)
{
	for (size_t i = 0; i < sizeof(operational) / sizeof(operational[0]); i++)
		if (!strcmp(operational[i].name, name))
			return 1;
	return 0;
}

/* Whether word is one of the space-separated words of list. */
static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int replay_unclassified(struct store *s, char *what, size_t n)
{
	sqlite3_stmt *tables = store_stmt(s, "SELECT name FROM sqlite_master WHERE"
		" type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
	int found = 0, src = 0;
	if (!tables) {
		snprintf(what, n, "the schema cannot be read");
		return 1;
	}
	while (!found && store_next(tables, &src)) {
		const char *t = (const char *)sqlite3_column_text(tables, 0);
		const struct state_table *spec = NULL;
		for (size_t i = 0; i < sizeof(compared) / sizeof(compared[0]); i++)
			if (!strcmp(compared[i].table, t))
				spec = &compared[i];
		if (!spec) {
			if (!is_operational(t)) {
				snprintf(what, n, "table %s", t);
				found = 1;
			}
			continue;
		}
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s')", t);
		sqlite3_stmt *cols = store_stmt(s, sql); /* the cache copies sql */
		int crc = 0;
		while (!found && store_next(cols, &crc)) {
			const char *col = (const char *)sqlite3_column_text(cols, 0);
			char full[128];
			snprintf(full, sizeof(full), "%s.%s", t, col);
			if (in_list(spec->covers, col) ||
			    (in_list(spec->skips, col) && is_operational(full)))
				continue;
			snprintf(what, n, "column %s", full);
			found = 1;
		}
		if (found)
			sqlite3_reset(cols);
		else if (crc) {
			snprintf(what, n, "the columns of %s cannot be read", t);
			found = 1;
		}
	}
	if (!found && src) {
		snprintf(what, n, "the schema cannot be read");
		found = 1;
	}
	sqlite3_reset(tables);
	return found;
}

/* ---- the walk in step ---- */

/* SQLite's order of storage classes: NULL, numbers, text, blobs. */
static int class_rank(int type)
{
	switch (type) {
	case SQLITE_NULL:
		return 0;
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		return 1;
	case SQLITE_TEXT:
		return 2;
	default:
		return 3;
	}
}

static int value_cmp(sqlite3_stmt *a, sqlite3_stmt *b, int i)
{
	int ta = sqlite3_column_type(a, i), tb = sqlite3_column_type(b, i);
	if (class_rank(ta) != class_rank(tb))
		return class_rank(ta) < class_rank(tb) ? -1 : 1;
	switch (class_rank(ta)) {
	case 0:
		return 0;
	case 1:
		if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) {
			sqlite3_int64 x = sqlite3_column_int64(a, i), y = sqlite3_column_int64(b, i);
			return x < y ? -1 : x > y;
		} else {
			double x = sqlite3_column_double(a, i), y = sqlite3_column_double(b, i);
			return x < y ? -1 : x > y;
		}
	default: {
		const void *x = ta == SQLITE_TEXT ? (const void *)sqlite3_column_text(a, i)
						  : sqlite3_column_blob(a, i);
		const void *y = tb == SQLITE_TEXT ? (const void *)sqlite3_column_text(b, i)
						  : sqlite3_column_blob(b, i);
		int nx = sqlite3_column_bytes(a, i), ny = sqlite3_column_bytes(b, i);
		int c = memcmp(x ? x : "", y ? y : "", (size_t)(nx < ny ? nx : ny));
		if (c)
			return c < 0 ? -1 : 1;
		return nx < ny ? -1 : nx > ny;
	}
	}
}

/* The value for people: 42, "text" (shortened), null, x'00ff..'. */
static void render(sqlite3_stmt *st, int i, char *out, size_t n)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		snprintf(out, n, "null");
		break;
	case SQLITE_INTEGER:
		snprintf(out, n, "%lld", (long long)sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		snprintf(out, n, "%g", sqlite3_column_double(st, i));
		break;
	case SQLITE_TEXT: {
		/* on one line: control characters as \n, \t or \xNN */
		const unsigned char *t = sqlite3_column_text(st, i);
		int len = sqlite3_column_bytes(st, i), k;
		size_t o = (size_t)snprintf(out, n, "\"");
		for (k = 0; k < len && o + 8 < n && k < 120; k++) {
			if (t[k] == '\n' || t[k] == '\t')
				o += (size_t)snprintf(out + o, n - o, "\\%c", t[k] == '\n' ? 'n' : 't');
			else if (t[k] < 0x20 || t[k] == 0x7f)
				o += (size_t)snprintf(out + o, n - o, "\\x%02x", t[k]);
			else
				out[o++] = (char)t[k];
		}
		snprintf(out + o, n - o, "%s\"", k < len ? "..." : "");
		break;
	}
	default: {
		const unsigned char *b = sqlite3_column_blob(st, i);
		int len = sqlite3_column_bytes(st, i);
		size_t o = (size_t)snprintf(out, n, "x'");
		for (int k = 0; k < len && k < 16 && o + 3 < n; k++)
			o += (size_t)snprintf(out + o, n - o, "%02x", b[k]);
		snprintf(out + o, n - o, "%s'", len > 16 ? ".." : "");
	}
	}
}

static void render_key(sqlite3_stmt *st, int nkey, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (int i = 0; i < nkey && o < n; i++) {
		char v[80];
		render(st, i, v, sizeof(v));
		o += (size_t)snprintf(out + o, n - o, "%s%s=%s", i ? ", " : "",
				      sqlite3_column_name(st, i), v);
	}
}

static int compare_table(const struct state_table *t, struct store *live,
			 struct store *out, struct replay_diff *d)
{
	sqlite3_stmt *a = store_stmt(live, t->sql);
	sqlite3_stmt *b = store_stmt(out, t->sql);
	if (!a || !b)
		return PX_E_DB;
	int ra = 0, rb = 0, rc = store_step(a, &ra);
	if (!rc)
		rc = store_step(b, &rb);
	while (!rc && (ra || rb)) {
		int side = 0; /* <0: live has a row replay lacks; >0: the other way */
		if (!ra)
			side = 1;
		else if (!rb)
			side = -1;
		else
			for (int i = 0; i < t->nkey && !side; i++)
				side = value_cmp(a, b, i);
		if (side) {
			d->differs = 1;
			snprintf(d->table, sizeof(d->table), "%s", t->table);
			render_key(side < 0 ? a : b, t->nkey, d->key, sizeof(d->key));
			snprintf(d->column, sizeof(d->column), "(row)");
			snprintf(d->live, sizeof(d->live), side < 0 ? "present" : "absent");
			snprintf(d->replayed, sizeof(d->replayed), side < 0 ? "absent" : "present");
			goto out;
		}
		d->rows++;
		for (int i = t->nkey; i < sqlite3_column_count(a); i++) {
			if (!value_cmp(a, b, i) && sqlite3_column_type(a, i) ==
			    sqlite3_column_type(b, i))
				continue;
			d->differs = 1;
			snprintf(d->table, sizeof(d->table), "%s", t->table);
			render_key(a, t->nkey, d->key, sizeof(d->key));
			snprintf(d->column, sizeof(d->column), "%s", sqlite3_column_name(a, i));
			render(a, i, d->live, sizeof(d->live));
			render(b, i, d->replayed, sizeof(d->replayed));
			goto out;
		}
		if ((rc = store_step(a, &ra)))
			break;
		rc = store_step(b, &rb);
	}
out:
	sqlite3_reset(a);
	sqlite3_reset(b);
	return rc;
}

int replay_compare(struct store *live, struct store *out, struct replay_diff *d)
{
	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < sizeof(compared) / sizeof(compared[0]); i++) {
		int rc = compare_table(&compared[i], live, out, d);
		if (rc || d->differs)
			return rc;
	}
	return 0;
}
