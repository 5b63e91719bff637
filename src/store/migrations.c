/*
 * migrations.c: the schema, as numbered steps. Each step runs in one
 * transaction with its schema_version row.
 *
 * Conventions: times are Unix seconds (UTC) in INTEGER columns; slugs and
 * handles are the stable public names; ids are internal. The journal is
 * protected against UPDATE and DELETE by triggers, so even a bug in pnyx
 * cannot rewrite history (someone editing the file by hand can, and
 * `pnyx journal verify` then names the entry).
 *
 * Add columns with ALTER TABLE ... ADD COLUMN and tables with CREATE
 * TABLE. A step that rebuilds a table (14, 16, 18, 20) lists the columns
 * it copies, so it keeps only the columns known when it was written: on a
 * branch made before another step added a column to that table, it drops
 * that column. Rebuild only when SQLite can change the table no other way
 * (a CHECK or a foreign key), list it in migrations_rebuilding, and merge
 * it alone.
 */
#include <stddef.h>

#include "migrations.h"
#include "banned.h"

const struct migration migrations[] = {
	{ 1,
	  "CREATE TABLE node ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  public_key BLOB NOT NULL,"
	  "  created_at INTEGER NOT NULL);"

	  "CREATE TABLE journal ("
	  "  seq INTEGER PRIMARY KEY,"
	  "  at INTEGER NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  body TEXT,"
	  "  action TEXT NOT NULL,"
	  "  payload TEXT NOT NULL,"
	  "  prev BLOB NOT NULL,"
	  "  hash BLOB NOT NULL);"
	  "CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal"
	  "  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	  "CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal"
	  "  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"

	  "CREATE TABLE journal_head ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  seq INTEGER NOT NULL,"
	  "  hash BLOB NOT NULL,"
	  "  signature BLOB NOT NULL);"

	  "CREATE TABLE accounts ("
	  "  id INTEGER PRIMARY KEY,"
	  "  handle TEXT NOT NULL UNIQUE,"
	  "  display_name TEXT NOT NULL,"
	  "  password_hash TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL);"

	  "CREATE TABLE sessions ("
	  "  token_hash BLOB PRIMARY KEY,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  created_at INTEGER NOT NULL,"
	  "  expires_at INTEGER NOT NULL);"
	  "CREATE INDEX sessions_account ON sessions(account_id);"

	  "CREATE TABLE communities ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  population INTEGER NOT NULL CHECK (population >= 0),"
	  "  created_at INTEGER NOT NULL);"

	  "CREATE TABLE bodies ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('local', 'delegate')),"
	  "  name TEXT NOT NULL,"
	  "  community_id INTEGER REFERENCES communities(id),"
	  "  statement TEXT NOT NULL,"
	  "  rules TEXT NOT NULL,"
	  "  schedule TEXT NOT NULL,"
	  "  founded_by INTEGER NOT NULL REFERENCES accounts(id),"
	  "  founded_at INTEGER NOT NULL,"
	  "  CHECK (kind <> 'local' OR community_id IS NOT NULL));"
	  /* at most one local assembly per community, whatever the code does */
	  "CREATE UNIQUE INDEX bodies_one_local ON bodies(community_id)"
	  "  WHERE kind = 'local';"

	  "CREATE TABLE memberships ("
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'excluded')),"
	  "  basis TEXT NOT NULL CHECK (basis IN ('lives', 'works')),"
	  "  since INTEGER NOT NULL,"
	  "  PRIMARY KEY (body_id, account_id));"
	  "CREATE INDEX memberships_account ON memberships(account_id);" },

	/* 2: the local assembly at work: meetings and motions. */
	{ 2,
	  "CREATE TABLE meetings ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  starts_at INTEGER NOT NULL,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('regular', 'extra')),"
	  "  place TEXT NOT NULL,"
	  "  declared_by INTEGER REFERENCES motions(id),"
	  "  code_secret BLOB NOT NULL,"
	  "  closed_at INTEGER,"
	  "  minutes TEXT,"
	  "  CHECK (kind = 'regular' OR declared_by IS NOT NULL),"
	  "  UNIQUE (body_id, starts_at));"

	  "CREATE TABLE attendance ("
	  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  checked_in_at INTEGER NOT NULL,"
	  "  method TEXT NOT NULL CHECK (method IN ('code', 'clerk')),"
	  "  PRIMARY KEY (meeting_id, account_id));"

	  "CREATE TABLE speakers ("
	  "  id INTEGER PRIMARY KEY,"
	  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  queued_at INTEGER NOT NULL,"
	  "  called_at INTEGER);"

	  "CREATE TABLE motions ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  meeting_id INTEGER REFERENCES meetings(id),"
	  "  parent_id INTEGER REFERENCES motions(id),"
	  "  committee_id INTEGER REFERENCES committees(id),"
	  "  kind TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  params TEXT NOT NULL,"
	  "  proposer INTEGER NOT NULL REFERENCES accounts(id),"
	  "  submitted_at INTEGER NOT NULL,"
	  "  position INTEGER NOT NULL,"
	  "  status TEXT NOT NULL CHECK (status IN ('submitted', 'voting',"
	  "    'adopted', 'rejected', 'no_quorum', 'withdrawn', 'void')),"
	  "  ballot TEXT NOT NULL CHECK (ballot IN ('open', 'secret')),"
	  "  vote_mode TEXT CHECK (vote_mode IN ('devices', 'hands', 'online', 'committee')),"
	  "  round INTEGER NOT NULL DEFAULT 0,"
	  "  rule TEXT,"
	  "  members_at_open INTEGER,"
	  "  voting_opened_at INTEGER,"
	  "  result TEXT,"
	  "  decided_at INTEGER);"
	  "CREATE INDEX motions_meeting ON motions(meeting_id, position);"
	  /* the kinds of motion decided by secret ballot, as the assembly
	   * chose (a JSON array of kind names) */
	  "ALTER TABLE bodies ADD COLUMN secret_kinds TEXT NOT NULL DEFAULT"
	  "  '[\"elect_holder\",\"exclude_member\",\"readmit_member\",\"recall_holder\"]';"
	  "CREATE INDEX motions_parent ON motions(parent_id);" },

	/* 3: how votes are kept: open, secret, counted by hands, remote,
	 * advisory. */
	{ 3,

	  /* open ballots: who took which position */
	  "CREATE TABLE votes ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  position TEXT NOT NULL,"
	  "  PRIMARY KEY (motion_id, round, account_id));"
	  /* secret ballots: who voted, kept apart from what was chosen */
	  "CREATE TABLE voters ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  PRIMARY KEY (motion_id, round, account_id));"
	  /* secret ballots and shows of hands: counts only, one row per
	   * position, all made when the vote opens and kept in key order
	   * (no rowid), so neither order nor time links a ballot to a voter */
	  "CREATE TABLE ballot_counts ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  position TEXT NOT NULL,"
	  "  n INTEGER NOT NULL CHECK (n >= 0),"
	  "  PRIMARY KEY (motion_id, round, position)) WITHOUT ROWID;"

	  "CREATE TABLE advisory ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  position TEXT NOT NULL,"
	  "  comment TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (motion_id, account_id));"

	  "CREATE TABLE remote_votes ("
	  "  motion_id INTEGER PRIMARY KEY REFERENCES motions(id),"
	  "  mode TEXT NOT NULL CHECK (mode IN ('online', 'mail')),"
	  "  opens_at INTEGER NOT NULL,"
	  "  closes_at INTEGER NOT NULL,"
	  "  authorised_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  CHECK (closes_at > opens_at));" },

	/* 4: what decisions make: laws, offices, committees. */
	{ 4,

	  "CREATE TABLE laws ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  number INTEGER NOT NULL,"
	  "  status TEXT NOT NULL CHECK (status IN ('in_force', 'repealed')),"
	  "  UNIQUE (body_id, number));"
	  "CREATE TABLE law_versions ("
	  "  law_id INTEGER NOT NULL REFERENCES laws(id),"
	  "  version INTEGER NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  change TEXT NOT NULL CHECK (change IN ('enact', 'amend', 'repeal')),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (law_id, version));"

	  "CREATE TABLE offices ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  name TEXT NOT NULL,"
	  "  duties TEXT NOT NULL,"
	  "  holder_id INTEGER REFERENCES accounts(id),"
	  "  created_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  UNIQUE (body_id, name));"

	  "CREATE TABLE committees ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  name TEXT NOT NULL,"
	  "  scope TEXT NOT NULL,"
	  "  decision_kinds TEXT NOT NULL,"
	  "  ends_at INTEGER NOT NULL,"
	  "  created_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  revoked_by INTEGER REFERENCES motions(id));"
	  "CREATE TABLE committee_members ("
	  "  committee_id INTEGER NOT NULL REFERENCES committees(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  PRIMARY KEY (committee_id, account_id));" },
	/* 5: voluntary federation: delegate assemblies, their member
	 * assemblies, delegations, declarations and proposals that travel. */
	{ 5,
	  "ALTER TABLE bodies ADD COLUMN purpose TEXT;"
	  "ALTER TABLE bodies ADD COLUMN region TEXT;"
	  /* how a delegate assembly weighs its members' voices */
	  "ALTER TABLE bodies ADD COLUMN weighting TEXT"
	  "  CHECK (weighting IN ('assembly', 'population'));"
	  "ALTER TABLE bodies ADD COLUMN founded_by_motion INTEGER REFERENCES motions(id);"

	  /* a delegate is a member of the delegate assembly on the basis
	   * 'delegate': SQLite cannot widen a CHECK in place, so the table is
	   * rebuilt (nothing references it) */
	  "CREATE TABLE memberships_5 ("
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'excluded')),"
	  "  basis TEXT NOT NULL CHECK (basis IN ('lives', 'works', 'delegate')),"
	  "  since INTEGER NOT NULL,"
	  "  PRIMARY KEY (body_id, account_id));"
	  "INSERT INTO memberships_5 SELECT body_id, account_id, status, basis, since"
	  "  FROM memberships;"
	  "DROP TABLE memberships;"
	  "ALTER TABLE memberships_5 RENAME TO memberships;"
	  "CREATE INDEX memberships_account ON memberships(account_id);"

	  /* which assemblies belong to which delegate assembly */
	  "CREATE TABLE federation_members ("
	  "  federation_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  member_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'suspended')),"
	  "  since INTEGER NOT NULL,"
	  "  changed_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  PRIMARY KEY (federation_id, member_id),"
	  "  CHECK (federation_id <> member_id));"
	  "CREATE INDEX federation_members_member ON federation_members(member_id);"
	  /* every change of that status, with the decision that made it */
	  "CREATE TABLE federation_changes ("
	  "  id INTEGER PRIMARY KEY,"
	  "  federation_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  member_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'suspended')),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL);"

	  "CREATE TABLE delegations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  federation_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  member_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  mandate TEXT NOT NULL,"
	  "  elected_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  elected_at INTEGER NOT NULL,"
	  "  recalled_by INTEGER REFERENCES motions(id),"
	  "  recalled_at INTEGER);"
	  /* one current seat per person per delegate assembly */
	  "CREATE UNIQUE INDEX delegations_one_seat ON delegations(federation_id,"
	  "  account_id) WHERE recalled_by IS NULL;"
	  "CREATE INDEX delegations_member ON delegations(member_id, federation_id);"

	  "CREATE TABLE declarations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  about_motion INTEGER NOT NULL REFERENCES motions(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX declarations_about ON declarations(about_motion);"

	  "CREATE TABLE proposals ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  created_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  created_at INTEGER NOT NULL);"
	  "CREATE TABLE proposal_versions ("
	  "  proposal_id INTEGER NOT NULL REFERENCES proposals(id),"
	  "  version INTEGER NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  rationale TEXT NOT NULL,"
	  "  condition TEXT NOT NULL,"
	  "  adopted_by INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (proposal_id, version));"
	  /* who was offered which version, by whom (the originator, or a
	   * delegate assembly that accepted it and passed it on) */
	  "CREATE TABLE proposal_offers ("
	  "  proposal_id INTEGER NOT NULL REFERENCES proposals(id),"
	  "  version INTEGER NOT NULL,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  offered_by INTEGER NOT NULL REFERENCES bodies(id),"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (proposal_id, version, body_id));"
	  /* every answer, kept: the latest per assembly and version counts */
	  "CREATE TABLE proposal_answers ("
	  "  id INTEGER PRIMARY KEY,"
	  "  proposal_id INTEGER NOT NULL REFERENCES proposals(id),"
	  "  version INTEGER NOT NULL,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  answer TEXT NOT NULL CHECK (answer IN ('accept', 'reject', 'amend',"
	  "    'repealed')),"
	  "  counter_text TEXT,"
	  "  reasons TEXT NOT NULL,"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX proposal_answers_by ON proposal_answers(proposal_id, version,"
	  "  body_id, id);"
	  "CREATE INDEX proposals_body ON proposals(body_id);"

	  /* a law that came from a federation names the proposal version */
	  "ALTER TABLE laws ADD COLUMN proposal_id INTEGER REFERENCES proposals(id);"
	  "ALTER TABLE law_versions ADD COLUMN proposal_id INTEGER REFERENCES proposals(id);"
	  "ALTER TABLE law_versions ADD COLUMN proposal_version INTEGER;" },
	/* 6: the running counts that let a proposal's status be read at once
	 * in a federation of hundreds of thousands of assemblies
	 * (src/gov/federation/fed_tree.c, src/gov/federation/proposal_count.c), filled from the
	 * tables of step 5. */
	{ 6,
	  /* every assembly beneath a delegate assembly, at any depth, with
	   * the number of distinct paths of active memberships to it */
	  "CREATE TABLE fed_below ("
	  "  ancestor_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  paths INTEGER NOT NULL CHECK (paths > 0),"
	  "  PRIMARY KEY (ancestor_id, body_id)) WITHOUT ROWID;"
	  "CREATE INDEX fed_below_up ON fed_below(body_id, ancestor_id);"
	  /* for a delegate assembly: the distinct local assemblies beneath
	   * it, their population, and how many assemblies beneath it are
	   * reached by more than one path */
	  "ALTER TABLE bodies ADD COLUMN locals_below INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE bodies ADD COLUMN population_below INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE bodies ADD COLUMN shared_below INTEGER NOT NULL DEFAULT 0;"
	  "INSERT INTO fed_below(ancestor_id, body_id, paths)"
	  "  WITH RECURSIVE p(a, b) AS ("
	  "    SELECT federation_id, member_id FROM federation_members"
	  "      WHERE status = 'active'"
	  "    UNION ALL SELECT p.a, f.member_id FROM p JOIN federation_members f"
	  "      ON f.federation_id = p.b AND f.status = 'active')"
	  "  SELECT a, b, count(*) FROM p GROUP BY a, b;"
	  "UPDATE bodies SET"
	  "  locals_below = (SELECT count(*) FROM fed_below f JOIN bodies l"
	  "    ON l.id = f.body_id AND l.kind = 'local' WHERE f.ancestor_id = bodies.id),"
	  "  population_below = (SELECT coalesce(sum(c.population), 0) FROM fed_below f"
	  "    JOIN bodies l ON l.id = f.body_id AND l.kind = 'local'"
	  "    JOIN communities c ON c.id = l.community_id WHERE f.ancestor_id = bodies.id),"
	  "  shared_below = (SELECT count(*) FROM fed_below f"
	  "    WHERE f.ancestor_id = bodies.id AND f.paths > 1)"
	  "  WHERE kind = 'delegate';"

	  /* per proposal version and assembly: whether its latest answer is
	   * accept, and the accepting local assemblies beneath it reached
	   * through accepting delegate assemblies (counted once per path),
	   * with their population */
	  "CREATE TABLE proposal_sums ("
	  "  proposal_id INTEGER NOT NULL REFERENCES proposals(id),"
	  "  version INTEGER NOT NULL,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  accepted INTEGER NOT NULL DEFAULT 0,"
	  "  locals INTEGER NOT NULL DEFAULT 0,"
	  "  population INTEGER NOT NULL DEFAULT 0,"
	  "  PRIMARY KEY (proposal_id, version, body_id)) WITHOUT ROWID;"
	  "CREATE INDEX proposal_sums_body ON proposal_sums(body_id);"
	  /* 1 once every counting local assembly holds the version's law,
	   * since the condition was last found met */
	  "ALTER TABLE proposal_versions ADD COLUMN met INTEGER NOT NULL DEFAULT 0;"
	  "INSERT INTO proposal_sums(proposal_id, version, body_id, accepted)"
	  "  SELECT a.proposal_id, a.version, a.body_id, 1 FROM proposal_answers a"
	  "  WHERE a.answer = 'accept' AND a.id = (SELECT max(b.id) FROM proposal_answers b"
	  "    WHERE b.proposal_id = a.proposal_id AND b.version = a.version"
	  "    AND b.body_id = a.body_id);"
	  "INSERT INTO proposal_sums(proposal_id, version, body_id, locals, population)"
	  "  WITH RECURSIVE up(p, v, x, pop) AS ("
	  "    SELECT s.proposal_id, s.version, f.federation_id, c.population"
	  "      FROM proposal_sums s JOIN bodies l ON l.id = s.body_id AND l.kind = 'local'"
	  "      JOIN communities c ON c.id = l.community_id"
	  "      JOIN federation_members f ON f.member_id = s.body_id AND f.status = 'active'"
	  "      WHERE s.accepted = 1"
	  "    UNION ALL SELECT up.p, up.v, f.federation_id, up.pop FROM up"
	  "      JOIN proposal_sums s ON s.proposal_id = up.p AND s.version = up.v"
	  "        AND s.body_id = up.x AND s.accepted = 1"
	  "      JOIN federation_members f ON f.member_id = up.x AND f.status = 'active')"
	  "  SELECT p, v, x, count(*), sum(pop) FROM up WHERE true GROUP BY p, v, x"
	  "  ON CONFLICT (proposal_id, version, body_id) DO UPDATE SET"
	  "    locals = excluded.locals, population = excluded.population;" },

	/* 7: ranked ballots, for electing several delegates at once by STV
	 * (src/gov/procedure/ranked.c). */
	{ 7,

	  /* open ballots: each ranking with its voter (a JSON array of
	   * handles, first preference first) */
	  "CREATE TABLE ranked_ballots ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  ranking TEXT NOT NULL,"
	  "  PRIMARY KEY (motion_id, round, account_id));"
	  /* secret ballots: the rankings alone, each under a random key and
	   * kept in key order (no rowid), so neither order nor time links a
	   * ranking to a voter; who voted is in voters */
	  "CREATE TABLE ranked_secret ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  key BLOB NOT NULL CHECK (length(key) = 16),"
	  "  ranking TEXT NOT NULL,"
	  "  PRIMARY KEY (motion_id, round, key)) WITHOUT ROWID;" },

	/* 8: presence ends, and its record stays. Each check-in is a row of
	 * its own; when membership or a delegate's seat ends during a meeting
	 * in session the row gets left_at and why, and stops counting. A
	 * person who comes back (rejoined, readmitted, seated again) checks in
	 * again: a new row. The rows of meetings still in session for people
	 * no longer members are ended as the code now ends them. */
	{ 8,
	  "CREATE TABLE attendance_kept ("
	  "  id INTEGER PRIMARY KEY,"
	  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  checked_in_at INTEGER NOT NULL,"
	  "  method TEXT NOT NULL CHECK (method IN ('code', 'clerk')),"
	  "  left_at INTEGER,"
	  "  left_reason TEXT CHECK (left_reason IN ('left', 'excluded', 'seat_ended')),"
	  "  CHECK ((left_at IS NULL) = (left_reason IS NULL)));"
	  "INSERT INTO attendance_kept(meeting_id, account_id, checked_in_at, method)"
	  "  SELECT meeting_id, account_id, checked_in_at, method FROM attendance"
	  "  ORDER BY checked_in_at, meeting_id, account_id;"
	  "DROP TABLE attendance;"
	  "ALTER TABLE attendance_kept RENAME TO attendance;"
	  /* present once at a time; any number of earlier stays */
	  "CREATE UNIQUE INDEX attendance_present ON attendance(meeting_id, account_id)"
	  "  WHERE left_at IS NULL;"
	  "CREATE INDEX attendance_account ON attendance(account_id);"
	  "UPDATE attendance SET left_at = (SELECT ms.since FROM memberships ms"
	  "    JOIN meetings mt ON mt.body_id = ms.body_id"
	  "    WHERE mt.id = attendance.meeting_id AND ms.account_id = attendance.account_id),"
	  "  left_reason = (SELECT CASE WHEN ms.status = 'excluded' THEN 'excluded'"
	  "    WHEN ms.basis = 'delegate' THEN 'seat_ended' ELSE 'left' END"
	  "    FROM memberships ms JOIN meetings mt ON mt.body_id = ms.body_id"
	  "    WHERE mt.id = attendance.meeting_id AND ms.account_id = attendance.account_id)"
	  "  WHERE meeting_id IN (SELECT id FROM meetings WHERE closed_at IS NULL)"
	  "  AND NOT EXISTS (SELECT 1 FROM memberships ms JOIN meetings mt"
	  "    ON mt.body_id = ms.body_id WHERE mt.id = attendance.meeting_id"
	  "    AND ms.account_id = attendance.account_id AND ms.status = 'active')"
	  "  AND EXISTS (SELECT 1 FROM memberships ms JOIN meetings mt"
	  "    ON mt.body_id = ms.body_id WHERE mt.id = attendance.meeting_id"
	  "    AND ms.account_id = attendance.account_id);" },
	/* 9: from which entry on the journal carries everything replay needs
	 * (src/gov/replay, docs/journal.md "Replay"): the start and place of
	 * every meeting an entry names. Entries are never rewritten, so the
	 * older ones cannot be back-filled; they are marked instead, and
	 * replay names this boundary when one of them lacks a field. */
	{ 9,
	  "CREATE TABLE journal_replay_from ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  seq INTEGER NOT NULL);"
	  "INSERT INTO journal_replay_from(id, seq)"
	  "  SELECT 1, coalesce(max(seq), 0) + 1 FROM journal;" },
	/* 10: discussion (src/gov/discussion): comments on a motion or on a
	 * proposal, threaded by reply_to (depth 0 for a comment, up to 3 for
	 * replies). A comment is never deleted: its author may withdraw it
	 * (withdrawn_at), and only an adopted motion of the assembly hides
	 * it (hidden_by, with the reason it gave). */
	{ 10,
	  "CREATE TABLE comments ("
	  "  id INTEGER PRIMARY KEY,"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  proposal_id INTEGER REFERENCES proposals(id),"
	  "  reply_to INTEGER REFERENCES comments(id),"
	  "  depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 3),"
	  "  author_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  text TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  withdrawn_at INTEGER,"
	  "  hidden_by INTEGER REFERENCES motions(id),"
	  "  hidden_reason TEXT,"
	  "  CHECK ((motion_id IS NULL) <> (proposal_id IS NULL)),"
	  "  CHECK ((reply_to IS NULL) = (depth = 0)),"
	  "  CHECK ((hidden_by IS NULL) = (hidden_reason IS NULL)));"
	  "CREATE INDEX comments_motion ON comments(motion_id) WHERE motion_id IS NOT NULL;"
	  "CREATE INDEX comments_proposal ON comments(proposal_id)"
	  "  WHERE proposal_id IS NOT NULL;"
	  "CREATE INDEX comments_reply ON comments(reply_to) WHERE reply_to IS NOT NULL;" },
	/* 11: notifications (src/gov/notice): derived from the journal and
	 * the schedule, never governance state, so replay neither rebuilds
	 * nor compares them (docs/journal.md). The notifier starts at the
	 * journal's head when the step runs: a database upgraded with years
	 * of history does not greet its members with all of it. */
	{ 11,
	  "CREATE TABLE notice_cursor ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  seq INTEGER NOT NULL);"
	  "INSERT INTO notice_cursor(id, seq)"
	  "  SELECT 1, coalesce(max(seq), 0) FROM journal;"
	  /* what the clock brought that was announced: 'meeting:ID' (a
	   * meeting began; it may be made after its start, by an assembly
	   * founded during its first one), 'remote:MOTION' (an online vote
	   * opened) */
	  "CREATE TABLE notice_clock ("
	  "  source TEXT PRIMARY KEY,"
	  "  at INTEGER NOT NULL);"
	  /* one row per person and thing that concerns them; source names
	   * what made it ('journal:SEQ:ROW', 'meeting:ID'), so a restart
	   * that fans an entry out again makes nothing twice */
	  "CREATE TABLE notifications ("
	  "  id INTEGER PRIMARY KEY,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  source TEXT NOT NULL,"
	  "  what TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  link TEXT NOT NULL,"
	  "  read_at INTEGER,"
	  /* 0: to be mailed; 1: mailed, or not to be (mail off when made) */
	  "  mailed INTEGER NOT NULL DEFAULT 1 CHECK (mailed IN (0, 1)),"
	  "  UNIQUE (account_id, source));"
	  "CREATE INDEX notifications_list ON notifications(account_id, id);"
	  "CREATE INDEX notifications_unmailed ON notifications(account_id)"
	  "  WHERE mailed = 0;"
	  "CREATE TABLE notice_settings ("
	  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
	  "  email TEXT,"
	  "  mail INTEGER NOT NULL DEFAULT 0 CHECK (mail IN (0, 1)));"
	  "CREATE TABLE mail_queue ("
	  "  id INTEGER PRIMARY KEY,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  recipient TEXT NOT NULL,"
	  "  subject TEXT NOT NULL,"
	  "  body TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL,"
	  "  status TEXT NOT NULL DEFAULT 'queued'"
	  "    CHECK (status IN ('queued', 'sent', 'failed')),"
	  "  attempts INTEGER NOT NULL DEFAULT 0,"
	  "  next_at INTEGER NOT NULL,"
	  "  last_error TEXT,"
	  "  sent_at INTEGER);"
	  "CREATE INDEX mail_queue_due ON mail_queue(next_at) WHERE status = 'queued';"
	  "CREATE TABLE mail_state ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  last_success INTEGER,"
	  "  last_error TEXT,"
	  "  last_error_at INTEGER);"
	  "INSERT INTO mail_state(id) VALUES (1);" },
	/* 13: a motion's text as submitted, kept beside its text once an
	 * adopted amendment replaced it (procedure_kinds.c apply_amendment),
	 * so reading a motion never searches the journal for it. Motions
	 * already amended take it from their motion.submit entry, which is
	 * where it was read until now. */
	{ 13,
	  "ALTER TABLE motions ADD COLUMN original_text TEXT;"
	  "UPDATE motions SET original_text = (SELECT json_extract(j.payload, '$.text')"
	  "    FROM journal j WHERE j.action = 'motion.submit'"
	  "    AND json_extract(j.payload, '$.motion') = motions.id ORDER BY j.seq LIMIT 1)"
	  "  WHERE EXISTS (SELECT 1 FROM motions a WHERE a.parent_id = motions.id"
	  "    AND a.kind = 'amendment' AND a.status = 'adopted');" },
	/* 14: distributed democracy by lot, its foundation (src/gov/lot,
	 * docs/polities.md): regions (sets of communities, nested and
	 * overlapping), polities (an issue domain over a region, with one
	 * assembly of at most 150 seats in cohorts), the seats and their
	 * terms, each person's residence and their yearly consent.
	 *
	 * A polity's assembly is a body of the new kind 'polity', founded by
	 * nobody (the operator registers it): SQLite cannot widen a CHECK nor
	 * drop a NOT NULL in place, so bodies is rebuilt, with foreign keys
	 * off for this step and checked before it commits
	 * (migrations_rebuilding). */
	{ 14,
	  "CREATE TABLE bodies_14 ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('local', 'delegate', 'polity')),"
	  "  name TEXT NOT NULL,"
	  "  community_id INTEGER REFERENCES communities(id),"
	  "  statement TEXT NOT NULL,"
	  "  rules TEXT NOT NULL,"
	  "  schedule TEXT NOT NULL,"
	  /* NULL only for a polity's assembly, which no account founded */
	  "  founded_by INTEGER REFERENCES accounts(id),"
	  "  founded_at INTEGER NOT NULL,"
	  "  secret_kinds TEXT NOT NULL DEFAULT"
	  "    '[\"elect_holder\",\"exclude_member\",\"readmit_member\",\"recall_holder\"]',"
	  "  purpose TEXT,"
	  "  region TEXT,"
	  "  weighting TEXT CHECK (weighting IN ('assembly', 'population')),"
	  "  founded_by_motion INTEGER REFERENCES motions(id),"
	  "  locals_below INTEGER NOT NULL DEFAULT 0,"
	  "  population_below INTEGER NOT NULL DEFAULT 0,"
	  "  shared_below INTEGER NOT NULL DEFAULT 0,"
	  "  CHECK (kind <> 'local' OR community_id IS NOT NULL),"
	  "  CHECK (founded_by IS NOT NULL OR kind = 'polity'));"
	  "INSERT INTO bodies_14(id, slug, kind, name, community_id, statement, rules,"
	  "  schedule, founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below)"
	  "  SELECT id, slug, kind, name, community_id, statement, rules, schedule,"
	  "  founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below FROM bodies;"
	  "DROP TABLE bodies;"
	  "ALTER TABLE bodies_14 RENAME TO bodies;"
	  "CREATE UNIQUE INDEX bodies_one_local ON bodies(community_id)"
	  "  WHERE kind = 'local';"

	  "CREATE TABLE regions ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL);"
	  /* the communities a region names itself; those of the regions it
	   * is built from are its own too (src/gov/lot/region.c) */
	  "CREATE TABLE region_communities ("
	  "  region_id INTEGER NOT NULL REFERENCES regions(id),"
	  "  community_id INTEGER NOT NULL REFERENCES communities(id),"
	  "  PRIMARY KEY (region_id, community_id)) WITHOUT ROWID;"
	  "CREATE INDEX region_communities_community ON region_communities(community_id);"
	  "CREATE TABLE region_parts ("
	  "  region_id INTEGER NOT NULL REFERENCES regions(id),"
	  "  part_id INTEGER NOT NULL REFERENCES regions(id),"
	  "  PRIMARY KEY (region_id, part_id),"
	  "  CHECK (region_id <> part_id)) WITHOUT ROWID;"
	  "CREATE INDEX region_parts_part ON region_parts(part_id);"

	  "CREATE TABLE polities ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  description TEXT NOT NULL,"
	  "  region_id INTEGER NOT NULL REFERENCES regions(id),"
	  "  seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 150),"
	  "  cohorts INTEGER NOT NULL CHECK (cohorts IN (1, 2, 3, 6) AND cohorts <= seats),"
	  "  widest INTEGER NOT NULL DEFAULT 0 CHECK (widest IN (0, 1)),"
	  "  body_id INTEGER NOT NULL UNIQUE REFERENCES bodies(id),"
	  "  created_at INTEGER NOT NULL);"
	  /* one widest polity per deployment, whatever the code does */
	  "CREATE UNIQUE INDEX polities_one_widest ON polities(widest) WHERE widest = 1;"
	  /* every seat of a polity's assembly, its cohort and its current
	   * term; holder_id NULL while the seat is empty */
	  "CREATE TABLE polity_seats ("
	  "  polity_id INTEGER NOT NULL REFERENCES polities(id),"
	  "  seat INTEGER NOT NULL CHECK (seat >= 1),"
	  "  cohort INTEGER NOT NULL CHECK (cohort >= 1),"
	  "  term_starts INTEGER NOT NULL,"
	  "  term_ends INTEGER NOT NULL,"
	  "  holder_id INTEGER REFERENCES accounts(id),"
	  "  PRIMARY KEY (polity_id, seat),"
	  "  CHECK (term_ends > term_starts)) WITHOUT ROWID;"
	  /* one seat at a time, across every polity, whatever the code does */
	  "CREATE UNIQUE INDEX polity_seats_one ON polity_seats(holder_id)"
	  "  WHERE holder_id IS NOT NULL;"
	  /* the members of a polity's assembly are its seated citizens: their
	   * memberships have the basis 'lot' (nothing refers to memberships,
	   * so it is rebuilt as in step 5) */
	  "CREATE TABLE memberships_14 ("
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'excluded')),"
	  "  basis TEXT NOT NULL CHECK (basis IN ('lives', 'works', 'delegate', 'lot')),"
	  "  since INTEGER NOT NULL,"
	  "  PRIMARY KEY (body_id, account_id));"
	  "INSERT INTO memberships_14 SELECT body_id, account_id, status, basis, since"
	  "  FROM memberships;"
	  "DROP TABLE memberships;"
	  "ALTER TABLE memberships_14 RENAME TO memberships;"
	  "CREATE INDEX memberships_account ON memberships(account_id);"

	  /* where each person says they live: one community, changeable */
	  "CREATE TABLE residences ("
	  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
	  "  community_id INTEGER NOT NULL REFERENCES communities(id),"
	  "  since INTEGER NOT NULL);"
	  "CREATE INDEX residences_community ON residences(community_id);"
	  /* the latest consent each person gave: a citizen until expires_at */
	  "CREATE TABLE consents ("
	  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
	  "  given_at INTEGER NOT NULL,"
	  "  expires_at INTEGER NOT NULL,"
	  "  CHECK (expires_at > given_at));" },
	{ 15,
	  /* service by lot (src/gov/lot/renewal.c, summons.c; docs/polities.md):
	   * each polity's settings, changed only by its assembly's motion
	   * polity_settings; alternates 0 means as many as the seats, at
	   * least 5 */
	  "CREATE TABLE polity_settings ("
	  "  polity_id INTEGER PRIMARY KEY REFERENCES polities(id),"
	  "  seed_source TEXT NOT NULL,"
	  "  commit_days INTEGER NOT NULL DEFAULT 14 CHECK (commit_days BETWEEN 1 AND 365),"
	  "  witnesses INTEGER NOT NULL DEFAULT 2 CHECK (witnesses BETWEEN 1 AND 50),"
	  "  alternates INTEGER NOT NULL DEFAULT 0 CHECK (alternates BETWEEN 0 AND 1000),"
	  "  answer_days INTEGER NOT NULL DEFAULT 21 CHECK (answer_days BETWEEN 8 AND 365),"
	  "  excuse_reasons TEXT NOT NULL,"
	  "  excuse_rule TEXT NOT NULL DEFAULT 'grant' CHECK (excuse_rule IN ('grant', 'refuse')),"
	  "  no_answer TEXT NOT NULL DEFAULT 'vacate' CHECK (no_answer IN ('vacate')));"
	  "INSERT INTO polity_settings(polity_id, seed_source, excuse_reasons)"
	  "  SELECT id, 'Dice thrown at the public drawing session on the draw date,"
	  " entered by its witnesses', '[\"illness\",\"care of a dependant\",\"hardship\","
	  "\"conflict of interest\"]' FROM polities;"
	  /* a renewal of a cohort: committed (the pool's leaves published),
	   * then drawn when enough witnesses entered the same seed text */
	  "CREATE TABLE renewals ("
	  "  id INTEGER PRIMARY KEY,"
	  "  polity_id INTEGER NOT NULL REFERENCES polities(id),"
	  "  cohort INTEGER NOT NULL CHECK (cohort >= 1),"
	  "  kind TEXT NOT NULL CHECK (kind IN ('regular', 'supplementary')),"
	  "  committed_at INTEGER NOT NULL,"
	  "  draw_at INTEGER NOT NULL,"
	  "  term_ends INTEGER NOT NULL,"
	  "  seats INTEGER NOT NULL CHECK (seats >= 0),"
	  "  alternates INTEGER NOT NULL CHECK (alternates >= 0),"
	  "  witnesses INTEGER NOT NULL CHECK (witnesses >= 1),"
	  "  seed_source TEXT NOT NULL,"
	  "  commitment TEXT NOT NULL,"
	  "  pool_size INTEGER NOT NULL CHECK (pool_size >= 0),"
	  "  seed_text TEXT,"
	  "  seed TEXT,"
	  "  drawn_at INTEGER);"
	  "CREATE UNIQUE INDEX renewals_regular ON renewals(polity_id, cohort, draw_at)"
	  "  WHERE kind = 'regular';"
	  /* the published leaves, in canonical order */
	  "CREATE TABLE renewal_leaves ("
	  "  renewal_id INTEGER NOT NULL REFERENCES renewals(id),"
	  "  position INTEGER NOT NULL CHECK (position >= 0),"
	  "  leaf TEXT NOT NULL,"
	  "  PRIMARY KEY (renewal_id, position)) WITHOUT ROWID;"
	  /* each person's receipt: private, never journalled (the journal
	   * has the leaves only) */
	  "CREATE TABLE renewal_salts ("
	  "  renewal_id INTEGER NOT NULL REFERENCES renewals(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  leaf TEXT NOT NULL,"
	  "  salt TEXT NOT NULL,"
	  "  PRIMARY KEY (renewal_id, account_id)) WITHOUT ROWID;"
	  "CREATE INDEX renewal_salts_account ON renewal_salts(account_id);"
	  "CREATE TABLE renewal_witnesses ("
	  "  renewal_id INTEGER NOT NULL REFERENCES renewals(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  text TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (renewal_id, account_id)) WITHOUT ROWID;"
	  /* the ranked list of a draw (place: 1, 2, ... in the order the
	   * seed gives, docs/sortition.md section 6): the drawn, then the
	   * alternates; state
	   * 'waiting' (an alternate not yet called), 'called' (summoned) or
	   * 'skipped' (no longer eligible when their turn came: why) */
	  "CREATE TABLE renewal_ranks ("
	  "  renewal_id INTEGER NOT NULL REFERENCES renewals(id),"
	  "  place INTEGER NOT NULL CHECK (place >= 1),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  leaf TEXT NOT NULL,"
	  "  drawn INTEGER NOT NULL CHECK (drawn IN (0, 1)),"
	  "  state TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'skipped')),"
	  "  why TEXT,"
	  "  PRIMARY KEY (renewal_id, place)) WITHOUT ROWID;"
	  /* a person's summons and, once accepted, their seat; place: theirs
	   * in the draw's list (below 1: summoned again after deferring) */
	  "CREATE TABLE summons ("
	  "  id INTEGER PRIMARY KEY,"
	  "  renewal_id INTEGER NOT NULL REFERENCES renewals(id),"
	  "  place INTEGER NOT NULL,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  polity_id INTEGER NOT NULL REFERENCES polities(id),"
	  "  cohort INTEGER NOT NULL,"
	  "  state TEXT NOT NULL CHECK (state IN ('summoned', 'excuse_requested',"
	  "    'accepted', 'excused', 'deferred', 'no_answer', 'term_ended', 'resigned',"
	  "    'removed')),"
	  "  reason TEXT,"
	  "  summoned_at INTEGER NOT NULL,"
	  "  deadline INTEGER NOT NULL,"
	  "  seat INTEGER,"
	  "  ended_at INTEGER,"
	  "  resummoned INTEGER NOT NULL DEFAULT 0 CHECK (resummoned IN (0, 1)),"
	  "  UNIQUE (renewal_id, place));"
	  "CREATE INDEX summons_account ON summons(account_id);"
	  /* a controlled clock (simulation and tests only: pnyx init
	   * --controlled-clock): the server's time is the wall's plus offset */
	  "CREATE TABLE sim_clock ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  offset INTEGER NOT NULL CHECK (offset >= 0));" },
	/* 16: workplaces that govern themselves, their foundation
	 * (src/gov/economy, docs/economy.md): an enterprise is a body of the
	 * new kind 'enterprise', located in a community; what it provides and
	 * the conditions of membership it set are its own row; an admission
	 * is the enterprise's decision that a person may join (they join
	 * themselves, once); a membership of a local assembly on the basis
	 * 'works' may name the enterprise it rests on (NULL for the rows made
	 * before, and for work in a place not registered here).
	 *
	 * bodies is rebuilt to widen its CHECK, as in step 14 (foreign keys
	 * off for this step, checked before it commits). No column anywhere
	 * ranks one member of an enterprise above another: a membership is
	 * the same row in every body. */
	{ 16,
	  "CREATE TABLE bodies_16 ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('local', 'delegate', 'polity', 'enterprise')),"
	  "  name TEXT NOT NULL,"
	  "  community_id INTEGER REFERENCES communities(id),"
	  "  statement TEXT NOT NULL,"
	  "  rules TEXT NOT NULL,"
	  "  schedule TEXT NOT NULL,"
	  "  founded_by INTEGER REFERENCES accounts(id),"
	  "  founded_at INTEGER NOT NULL,"
	  "  secret_kinds TEXT NOT NULL DEFAULT"
	  "    '[\"elect_holder\",\"exclude_member\",\"readmit_member\",\"recall_holder\"]',"
	  "  purpose TEXT,"
	  "  region TEXT,"
	  "  weighting TEXT CHECK (weighting IN ('assembly', 'population')),"
	  "  founded_by_motion INTEGER REFERENCES motions(id),"
	  "  locals_below INTEGER NOT NULL DEFAULT 0,"
	  "  population_below INTEGER NOT NULL DEFAULT 0,"
	  "  shared_below INTEGER NOT NULL DEFAULT 0,"
	  "  CHECK (kind NOT IN ('local', 'enterprise') OR community_id IS NOT NULL),"
	  "  CHECK (founded_by IS NOT NULL OR kind = 'polity'));"
	  "INSERT INTO bodies_16(id, slug, kind, name, community_id, statement, rules,"
	  "  schedule, founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below)"
	  "  SELECT id, slug, kind, name, community_id, statement, rules, schedule,"
	  "  founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below FROM bodies;"
	  "DROP TABLE bodies;"
	  "ALTER TABLE bodies_16 RENAME TO bodies;"
	  "CREATE UNIQUE INDEX bodies_one_local ON bodies(community_id)"
	  "  WHERE kind = 'local';"
	  "CREATE INDEX bodies_community ON bodies(community_id);"

	  "CREATE TABLE enterprises ("
	  "  body_id INTEGER PRIMARY KEY REFERENCES bodies(id),"
	  "  provides TEXT NOT NULL,"
	  "  conditions TEXT NOT NULL DEFAULT '',"
	  "  conditions_motion INTEGER REFERENCES motions(id),"
	  "  conditions_at INTEGER);"
	  /* motion_id NULL: named by the founders at the founding */
	  "CREATE TABLE enterprise_admissions ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  admitted_at INTEGER NOT NULL,"
	  "  joined_at INTEGER,"
	  /* the local assembly's decision that voided the admission */
	  "  voided_by INTEGER REFERENCES motions(id),"
	  "  CHECK (joined_at IS NULL OR joined_at >= admitted_at));"
	  /* one admission waiting per person and enterprise, whatever the code does */
	  "CREATE UNIQUE INDEX enterprise_admissions_waiting"
	  "  ON enterprise_admissions(body_id, account_id)"
	  "  WHERE joined_at IS NULL AND voided_by IS NULL;"
	  /* an enterprise's decision the local assembly declared void because
	   * it conflicts with one of its laws: both decisions, the law, why */
	  "CREATE TABLE enterprise_voids ("
	  "  motion_id INTEGER PRIMARY KEY REFERENCES motions(id),"
	  "  voided_by INTEGER NOT NULL UNIQUE REFERENCES motions(id),"
	  "  law_id INTEGER NOT NULL REFERENCES laws(id),"
	  "  reasons TEXT NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "ALTER TABLE memberships ADD COLUMN enterprise_id INTEGER REFERENCES bodies(id);" },
	/* 17: stratification by quotas in the renewals (src/gov/lot/quota.c,
	 * docs/polities.md "Stratified renewals"): each person's
	 * self-declared profile (a value per category), a polity's quotas
	 * (a JSON array of {"category","value","min","max"}, NULL: none),
	 * and for each renewal drawn with quotas what its commitment
	 * published (quotas, profiles by leaf, the LEXIMIN distribution's
	 * types and the lottery of panels: JSON) and each leaf's profile. */
	{ 17,
	  "CREATE TABLE profiles ("
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  category TEXT NOT NULL,"
	  "  value TEXT NOT NULL,"
	  "  PRIMARY KEY (account_id, category)) WITHOUT ROWID;"
	  "ALTER TABLE polity_settings ADD COLUMN quotas TEXT;"
	  "ALTER TABLE renewals ADD COLUMN strata TEXT;"
	  "ALTER TABLE renewal_leaves ADD COLUMN profile TEXT;" },
	/* 18: a summons left unanswered at its deadline is treated as the
	 * polity says (no_answer): 'vacate' (the seat goes to the next
	 * alternate) or 'defer' (the person is summoned again at the cohort's
	 * next renewal, as if they had deferred, once). polity_settings is
	 * rebuilt to widen its CHECK, keeping step 17's quotas; nothing
	 * refers to it. */
	{ 18,
	  "CREATE TABLE polity_settings_18 ("
	  "  polity_id INTEGER PRIMARY KEY REFERENCES polities(id),"
	  "  seed_source TEXT NOT NULL,"
	  "  commit_days INTEGER NOT NULL DEFAULT 14 CHECK (commit_days BETWEEN 1 AND 365),"
	  "  witnesses INTEGER NOT NULL DEFAULT 2 CHECK (witnesses BETWEEN 1 AND 50),"
	  "  alternates INTEGER NOT NULL DEFAULT 0 CHECK (alternates BETWEEN 0 AND 1000),"
	  "  answer_days INTEGER NOT NULL DEFAULT 21 CHECK (answer_days BETWEEN 8 AND 365),"
	  "  excuse_reasons TEXT NOT NULL,"
	  "  excuse_rule TEXT NOT NULL DEFAULT 'grant' CHECK (excuse_rule IN ('grant', 'refuse')),"
	  "  no_answer TEXT NOT NULL DEFAULT 'vacate' CHECK (no_answer IN ('vacate', 'defer')),"
	  "  quotas TEXT);"
	  "INSERT INTO polity_settings_18 SELECT polity_id, seed_source, commit_days, witnesses,"
	  "  alternates, answer_days, excuse_reasons, excuse_rule, no_answer, quotas"
	  "  FROM polity_settings;"
	  "DROP TABLE polity_settings;"
	  "ALTER TABLE polity_settings_18 RENAME TO polity_settings;" },
	/* 19: good standing in the sharing economy, and contributions and
	 * reputation without prices (src/gov/economy/standing.c,
	 * contributions.c; docs/economy.md). The records follow ValueFlows:
	 * a commitment (what an enterprise decided to provide, how much,
	 * per period), an economic event (a delivery: deliverService,
	 * produce or transfer, to a person, an enterprise or nobody named),
	 * an appreciation (of one delivery, by whoever took it: words and
	 * whether it met the need, no score). A standing is the local
	 * assembly's decision about an enterprise, or exceptionally a
	 * person by name, citing the record (JSON, as the decision read
	 * it); the review cycle is the assembly's decision too. A person's
	 * basis (child, retired...) is their own statement. */
	{ 19,
	  "CREATE TABLE standing_cycles ("
	  "  body_id INTEGER PRIMARY KEY REFERENCES bodies(id),"
	  "  months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 60),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  set_at INTEGER NOT NULL);"
	  "CREATE TABLE standings ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  enterprise_id INTEGER REFERENCES bodies(id),"
	  "  account_id INTEGER REFERENCES accounts(id),"
	  "  standing TEXT NOT NULL CHECK (standing IN ('good', 'probation', 'outside')),"
	  "  must_change TEXT,"
	  "  review_by INTEGER,"
	  "  record TEXT NOT NULL,"
	  "  motion_id INTEGER NOT NULL UNIQUE REFERENCES motions(id),"
	  "  decided_at INTEGER NOT NULL,"
	  "  CHECK ((enterprise_id IS NULL) <> (account_id IS NULL)),"
	  "  CHECK (standing <> 'probation' OR (must_change IS NOT NULL"
	  "    AND review_by IS NOT NULL)));"
	  "CREATE INDEX standings_enterprise ON standings(enterprise_id, decided_at);"
	  "CREATE INDEX standings_account ON standings(account_id, decided_at);"
	  "CREATE TABLE standing_bases ("
	  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
	  "  basis TEXT NOT NULL CHECK (basis IN ('child', 'retired', 'carer', 'student',"
	  "    'unable_to_work')),"
	  "  note TEXT NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE TABLE commitments ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  action TEXT NOT NULL CHECK (action IN ('deliverService', 'produce', 'transfer')),"
	  "  what TEXT NOT NULL,"
	  "  quantity INTEGER NOT NULL CHECK (quantity >= 1),"
	  "  unit TEXT NOT NULL,"
	  "  period TEXT NOT NULL CHECK (period IN ('week', 'month', 'quarter', 'year')),"
	  "  motion_id INTEGER NOT NULL UNIQUE REFERENCES motions(id),"
	  "  since INTEGER NOT NULL,"
	  "  ended_by INTEGER REFERENCES motions(id),"
	  "  ended_at INTEGER);"
	  "CREATE INDEX commitments_body ON commitments(body_id);"
	  "CREATE TABLE deliveries ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  commitment_id INTEGER REFERENCES commitments(id),"
	  "  action TEXT NOT NULL CHECK (action IN ('deliverService', 'produce', 'transfer')),"
	  "  what TEXT NOT NULL,"
	  "  quantity INTEGER NOT NULL CHECK (quantity >= 1),"
	  "  unit TEXT NOT NULL,"
	  "  to_account INTEGER REFERENCES accounts(id),"
	  "  to_body INTEGER REFERENCES bodies(id),"
	  "  note TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  recorded_by INTEGER NOT NULL REFERENCES accounts(id),"
	  "  recorded_at INTEGER NOT NULL,"
	  "  CHECK (to_account IS NULL OR to_body IS NULL),"
	  "  CHECK (at <= recorded_at));"
	  "CREATE INDEX deliveries_body ON deliveries(body_id, at);"
	  "CREATE INDEX deliveries_to_account ON deliveries(to_account);"
	  "CREATE INDEX deliveries_to_body ON deliveries(to_body, at);"
	  "CREATE TABLE appreciations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  delivery_id INTEGER NOT NULL UNIQUE REFERENCES deliveries(id),"
	  "  by_account INTEGER NOT NULL REFERENCES accounts(id),"
	  "  by_body INTEGER REFERENCES bodies(id),"
	  "  text TEXT NOT NULL,"
	  "  met_need INTEGER NOT NULL CHECK (met_need IN (0, 1)),"
	  "  at INTEGER NOT NULL);" },
	/* 20: federations of enterprises and volunteer militias (issue 15,
	 * items 4 and 7; src/gov/federation, src/gov/economy/militia.c,
	 * docs/economy.md). A delegate assembly says whom it federates:
	 * 'assemblies' (every one before this step; NULL reads the same) or
	 * 'enterprises'. A
	 * militia is a body of the new kind 'militia', formed once every
	 * local assembly its formation names has adopted the same terms; its
	 * volunteers are members on the new basis 'volunteer'.
	 *
	 * bodies and memberships are rebuilt to widen their CHECKs, as in
	 * steps 14 and 16 (foreign keys off for this step, checked before it
	 * commits). */
	{ 20,
	  "CREATE TABLE bodies_20 ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('local', 'delegate', 'polity', 'enterprise',"
	  "    'militia')),"
	  "  name TEXT NOT NULL,"
	  "  community_id INTEGER REFERENCES communities(id),"
	  "  statement TEXT NOT NULL,"
	  "  rules TEXT NOT NULL,"
	  "  schedule TEXT NOT NULL,"
	  "  founded_by INTEGER REFERENCES accounts(id),"
	  "  founded_at INTEGER NOT NULL,"
	  "  secret_kinds TEXT NOT NULL DEFAULT"
	  "    '[\"elect_holder\",\"exclude_member\",\"readmit_member\",\"recall_holder\"]',"
	  "  purpose TEXT,"
	  "  region TEXT,"
	  "  weighting TEXT CHECK (weighting IN ('assembly', 'population')),"
	  "  founded_by_motion INTEGER REFERENCES motions(id),"
	  "  locals_below INTEGER NOT NULL DEFAULT 0,"
	  "  population_below INTEGER NOT NULL DEFAULT 0,"
	  "  shared_below INTEGER NOT NULL DEFAULT 0,"
	  "  federates TEXT CHECK (federates IN ('assemblies', 'enterprises')),"
	  "  CHECK (kind NOT IN ('local', 'enterprise') OR community_id IS NOT NULL),"
	  "  CHECK (founded_by IS NOT NULL OR kind = 'polity'),"
	  "  CHECK (federates IS NULL OR kind = 'delegate'));"
	  "INSERT INTO bodies_20(id, slug, kind, name, community_id, statement, rules,"
	  "  schedule, founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below, federates)"
	  "  SELECT id, slug, kind, name, community_id, statement, rules, schedule,"
	  "  founded_by, founded_at, secret_kinds, purpose, region, weighting,"
	  "  founded_by_motion, locals_below, population_below, shared_below,"
	  "  CASE kind WHEN 'delegate' THEN 'assemblies' END FROM bodies;"
	  "DROP TABLE bodies;"
	  "ALTER TABLE bodies_20 RENAME TO bodies;"
	  "CREATE UNIQUE INDEX bodies_one_local ON bodies(community_id)"
	  "  WHERE kind = 'local';"
	  "CREATE INDEX bodies_community ON bodies(community_id);"

	  "CREATE TABLE memberships_20 ("
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  status TEXT NOT NULL CHECK (status IN ('active', 'left', 'excluded')),"
	  "  basis TEXT NOT NULL CHECK (basis IN ('lives', 'works', 'delegate', 'lot',"
	  "    'volunteer')),"
	  "  since INTEGER NOT NULL,"
	  "  enterprise_id INTEGER REFERENCES bodies(id),"
	  "  PRIMARY KEY (body_id, account_id));"
	  "INSERT INTO memberships_20 SELECT body_id, account_id, status, basis, since,"
	  "  enterprise_id FROM memberships;"
	  "DROP TABLE memberships;"
	  "ALTER TABLE memberships_20 RENAME TO memberships;"
	  "CREATE INDEX memberships_account ON memberships(account_id);"

	  /* a militia's terms, as the first assembly adopted them; body_id
	   * once every named assembly has adopted the same (NULL before);
	   * dissolved_by: a named assembly's decision ending it, or ending its
	   * formation before it was formed */
	  "CREATE TABLE militias ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  purpose TEXT NOT NULL,"
	  "  terms TEXT NOT NULL,"
	  "  proposed_at INTEGER NOT NULL,"
	  "  body_id INTEGER UNIQUE REFERENCES bodies(id),"
	  "  formed_at INTEGER,"
	  "  dissolved_by INTEGER REFERENCES motions(id),"
	  "  dissolved_at INTEGER,"
	  "  CHECK ((body_id IS NULL) = (formed_at IS NULL)),"
	  "  CHECK ((dissolved_by IS NULL) = (dissolved_at IS NULL)));"
	  /* each assembly the formation names, and its adopting decision */
	  "CREATE TABLE militia_assemblies ("
	  "  militia_id INTEGER NOT NULL REFERENCES militias(id),"
	  "  assembly_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  at INTEGER,"
	  "  PRIMARY KEY (militia_id, assembly_id)) WITHOUT ROWID;"
	  "CREATE INDEX militia_assemblies_by ON militia_assemblies(assembly_id);" },
	/* 21: languages (docs/translating.md). An assembly's language, chosen
	 * at its founding (journalled in body.found): its minutes are written
	 * in it. A person's language of the pages, their own preference like
	 * their e-mail address (notice_settings): not a decision, not in the
	 * journal; without a row, the browser's languages decide. */
	{ 21,
	  "ALTER TABLE bodies ADD COLUMN language TEXT NOT NULL DEFAULT 'en';"
	  "CREATE TABLE person_languages ("
	  "  account_id INTEGER PRIMARY KEY REFERENCES accounts(id),"
	  "  language TEXT NOT NULL);" },
	/* 22: the clerk's decision on an excuse is kept beside the person's
	 * reason, which it used to overwrite (summons.reason): granted or
	 * refused, and the clerk's reason. A database made before keeps
	 * both from its journal, as replay rebuilds them: the last decision
	 * of each summons, and the last reason its person gave. */
	{ 22,
	  "ALTER TABLE summons ADD COLUMN excuse_decision TEXT"
	  "  CHECK (excuse_decision IN ('granted', 'refused'));"
	  "ALTER TABLE summons ADD COLUMN decision_reason TEXT;"
	  "UPDATE summons SET"
	  "  excuse_decision = (SELECT CASE WHEN json_extract(j.payload, '$.grant')"
	  "    THEN 'granted' ELSE 'refused' END FROM journal j WHERE"
	  "    j.action = 'summons.excuse' AND json_extract(j.payload, '$.summons') = summons.id"
	  "    ORDER BY j.seq DESC LIMIT 1),"
	  "  decision_reason = (SELECT json_extract(j.payload, '$.reason') FROM journal j WHERE"
	  "    j.action = 'summons.excuse' AND json_extract(j.payload, '$.summons') = summons.id"
	  "    ORDER BY j.seq DESC LIMIT 1),"
	  "  reason = (SELECT json_extract(j.payload, '$.reason') FROM journal j WHERE"
	  "    j.action = 'summons.answer' AND json_extract(j.payload, '$.summons') = summons.id"
	  "    AND json_extract(j.payload, '$.reason') IS NOT NULL ORDER BY j.seq DESC LIMIT 1)"
	  "  WHERE id IN (SELECT json_extract(payload, '$.summons') FROM journal"
	  "    WHERE action = 'summons.excuse');" },
	/* 23: issue 15's leftovers (docs/economy.md). A delivery recorded by
	 * mistake is corrected by a new record pointing at it (its
	 * replacement, or none when it did not happen), never rewritten; a
	 * motion closed by something other than a vote or its proposer says
	 * why (a militia dissolved); a body that no longer meets (a militia
	 * dissolved) has its date, and no meeting is made after it. */
	{ 23,
	  "CREATE TABLE delivery_corrections ("
	  "  delivery_id INTEGER PRIMARY KEY REFERENCES deliveries(id),"
	  "  replacement_id INTEGER UNIQUE REFERENCES deliveries(id),"
	  "  reason TEXT NOT NULL,"
	  "  by_account INTEGER NOT NULL REFERENCES accounts(id),"
	  "  at INTEGER NOT NULL);"
	  "ALTER TABLE motions ADD COLUMN closed_reason TEXT;"
	  "ALTER TABLE bodies ADD COLUMN dissolved_at INTEGER;" },
	/* 24: a community divides, or several unite, by their own decisions
	 * (src/gov/community, docs/communities.md). What a community covers,
	 * in words; an assembly that ended by dividing or uniting (it decides
	 * nothing more); which bodies came from which; which law of a new
	 * register came from which law of an old one; and each member of a
	 * divided assembly's choice of their new community. */
	{ 24,
	  "ALTER TABLE communities ADD COLUMN areas TEXT;"
	  "CREATE TABLE body_ends ("
	  "  body_id INTEGER PRIMARY KEY REFERENCES bodies(id),"
	  "  how TEXT NOT NULL CHECK (how IN ('divided', 'united')),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  at INTEGER NOT NULL);"
	  "CREATE TABLE body_lineage ("
	  "  from_body INTEGER NOT NULL REFERENCES bodies(id),"
	  "  to_body INTEGER NOT NULL REFERENCES bodies(id),"
	  "  how TEXT NOT NULL CHECK (how IN ('divided', 'united', 'regional')),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  PRIMARY KEY (from_body, to_body)) WITHOUT ROWID;"
	  "CREATE INDEX body_lineage_to ON body_lineage(to_body);"
	  "CREATE TABLE law_origins ("
	  "  law_id INTEGER NOT NULL REFERENCES laws(id),"
	  "  from_law INTEGER NOT NULL REFERENCES laws(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  PRIMARY KEY (law_id, from_law)) WITHOUT ROWID;"
	  "CREATE TABLE community_choices ("
	  "  from_body INTEGER NOT NULL REFERENCES bodies(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  basis TEXT NOT NULL,"
	  "  chosen INTEGER REFERENCES bodies(id),"
	  "  first_at INTEGER,"
	  "  changes INTEGER NOT NULL DEFAULT 0,"
	  "  at INTEGER,"
	  "  PRIMARY KEY (from_body, account_id)) WITHOUT ROWID;"
	  "CREATE INDEX community_choices_account ON community_choices(account_id);"
	  /* a union's terms, as the first named assembly adopted them; body_id
	   * once every named assembly has adopted the same (NULL before) */
	  "CREATE TABLE unions ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  terms TEXT NOT NULL,"
	  "  proposed_at INTEGER NOT NULL,"
	  "  body_id INTEGER UNIQUE REFERENCES bodies(id),"
	  "  united_at INTEGER,"
	  "  CHECK ((body_id IS NULL) = (united_at IS NULL)));"
	  "CREATE TABLE union_assemblies ("
	  "  union_id INTEGER NOT NULL REFERENCES unions(id),"
	  "  assembly_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  at INTEGER,"
	  "  PRIMARY KEY (union_id, assembly_id)) WITHOUT ROWID;" },
	/* 25: the harm question (src/gov/cases, docs/cases.md): the civil
	 * service of each polity, its cases, each step of a case, the
	 * recommendations of the civil service; a law version a remedy
	 * wrote (or its withdrawal) names its case. */
	{ 25,
	  "CREATE TABLE civil_servants ("
	  "  polity_id INTEGER NOT NULL REFERENCES polities(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  added_at INTEGER NOT NULL,"
	  "  PRIMARY KEY (polity_id, account_id)) WITHOUT ROWID;"
	  "CREATE TABLE cases ("
	  "  id INTEGER PRIMARY KEY,"
	  "  polity_id INTEGER NOT NULL REFERENCES polities(id),"
	  "  law_number INTEGER,"
	  "  absence TEXT,"
	  "  title TEXT NOT NULL,"
	  "  statement TEXT NOT NULL,"
	  "  petitioner_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  state TEXT NOT NULL,"
	  "  opened_at INTEGER NOT NULL,"
	  "  findings TEXT,"
	  "  deadline INTEGER,"
	  "  review_at INTEGER,"
	  "  remedy_id INTEGER,"
	  "  review_harm INTEGER,"
	  "  updated_at INTEGER NOT NULL,"
	  "  CHECK ((law_number IS NULL) <> (absence IS NULL)));"
	  "CREATE INDEX cases_by_polity ON cases(polity_id, state);"
	  "CREATE TABLE case_steps ("
	  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
	  "  n INTEGER NOT NULL,"
	  "  step TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  motion_id INTEGER,"
	  "  note TEXT,"
	  "  PRIMARY KEY (case_id, n)) WITHOUT ROWID;"
	  "CREATE TABLE case_recommendations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
	  "  author_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  law_number INTEGER,"
	  "  base_version INTEGER,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  rationale TEXT NOT NULL,"
	  "  effect TEXT NOT NULL,"
	  "  measures TEXT NOT NULL,"
	  "  alternatives TEXT NOT NULL,"
	  "  submitted_at INTEGER NOT NULL,"
	  "  state TEXT NOT NULL,"
	  "  motion_id INTEGER,"
	  "  reasons TEXT,"
	  "  law_version INTEGER);"
	  "CREATE INDEX case_recommendations_by_case ON case_recommendations(case_id);"
	  "ALTER TABLE law_versions ADD COLUMN case_id INTEGER;"
	  "ALTER TABLE law_versions ADD COLUMN case_change TEXT"
	  "  CHECK (case_change IN ('remedy', 'withdrawal'));" },
	/* 26: messages between nodes (docs/nodes.md, issue 17). What this
	 * node's assemblies decided about assemblies on other nodes, and what
	 * other nodes asked of its assemblies (node_relations: governance,
	 * rebuilt from the decisions and the activities received); the
	 * activities received, by id, so that a resend is dropped
	 * (node_inbox: rebuilt from node.receive); the other nodes this one
	 * has heard of, with the key each signs with, pinned at first
	 * contact, and how delivery to it goes (node_peers: operational); the
	 * activities to deliver, in order per peer (node_outbox:
	 * operational); the address this node is reached at (node_self:
	 * written by serve). */
	{ 26,
	  "CREATE TABLE node_relations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  remote_actor TEXT NOT NULL,"
	  "  side TEXT NOT NULL CHECK (side IN ('member', 'host')),"
	  "  status TEXT NOT NULL CHECK (status IN ('requested', 'offered', 'active',"
	  "    'refused', 'ended')),"
	  "  request_id TEXT NOT NULL,"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  decided_by INTEGER REFERENCES motions(id),"
	  "  since INTEGER NOT NULL,"
	  "  changed_at INTEGER NOT NULL);"
	  "CREATE INDEX node_relations_body ON node_relations(body_id);"
	  "CREATE INDEX node_relations_actor ON node_relations(remote_actor);"
	  "CREATE TABLE node_inbox ("
	  "  activity_id TEXT PRIMARY KEY,"
	  "  peer TEXT NOT NULL,"
	  "  type TEXT NOT NULL,"
	  "  received_at INTEGER NOT NULL,"
	  "  head_seq INTEGER,"
	  "  head_hash TEXT) WITHOUT ROWID;"
	  "CREATE TABLE node_peers ("
	  "  origin TEXT PRIMARY KEY,"
	  "  public_key BLOB CHECK (public_key IS NULL OR length(public_key) = 32),"
	  "  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'unavailable')),"
	  "  failing_since INTEGER,"
	  "  last_success INTEGER,"
	  "  last_error TEXT,"
	  "  first_seen INTEGER NOT NULL) WITHOUT ROWID;"
	  "CREATE TABLE node_outbox ("
	  "  id INTEGER PRIMARY KEY,"
	  "  peer TEXT NOT NULL,"
	  "  inbox TEXT NOT NULL,"
	  "  activity_id TEXT NOT NULL UNIQUE,"
	  "  activity TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL,"
	  "  attempts INTEGER NOT NULL DEFAULT 0,"
	  "  next_ms INTEGER NOT NULL DEFAULT 0,"
	  "  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'delivered',"
	  "    'refused')),"
	  "  done_at INTEGER,"
	  "  last_status INTEGER,"
	  "  last_error TEXT);"
	  "CREATE INDEX node_outbox_queue ON node_outbox(peer, status, id);"
	  /* the delegates a member assembly sends to a delegate assembly on
	   * another node: on the member's node, made by its decision
	   * (delegate a handle, motion_id the electing decision); on the
	   * delegate assembly's node, by the credential received (delegate
	   * the person's actor address, elected_by the decision's address) */
	  "CREATE TABLE node_credentials ("
	  "  id INTEGER PRIMARY KEY,"
	  "  relation_id INTEGER NOT NULL REFERENCES node_relations(id),"
	  "  delegate TEXT NOT NULL,"
	  "  mandate TEXT NOT NULL,"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  elected_by TEXT,"
	  "  credential_id TEXT NOT NULL,"
	  "  since INTEGER NOT NULL,"
	  "  recalled_by TEXT,"
	  "  recalled_at INTEGER);"
	  "CREATE INDEX node_credentials_relation ON node_credentials(relation_id);"
	  "CREATE TABLE node_self ("
	  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	  "  base TEXT NOT NULL);" },
	/* 27: an assembly changes its language by a decision (change_language,
	 * src/gov/assembly/assembly_kinds.c): each change, with the language
	 * it replaced, so that a meeting's minutes and projector speak the
	 * language the assembly had when the meeting began (a change decided
	 * during a meeting counts from the next one). bodies.language stays
	 * the language now. */
	{ 27,
	  "CREATE TABLE body_languages ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  since INTEGER NOT NULL,"
	  "  language TEXT NOT NULL,"
	  "  previous TEXT NOT NULL,"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id));"
	  "CREATE INDEX body_languages_by ON body_languages(body_id, since);" },
	/* 28: evidence on a case (src/gov/cases/evidence.c, docs/cases.md):
	 * each piece, its text and files with their sizes, types and
	 * BLAKE2b-256 hashes (journalled), their bytes and names (never
	 * journalled: a sealed piece must not be public, and the journal
	 * is; replay copies them from the live database, checking each
	 * against its journalled hash), and the sealing decision; the
	 * evidence briefs asked of the civil service; the rules of a
	 * polity's cases its assembly sets (who may petition, whether
	 * evidence may be anonymous). */
	{ 28,
	  "CREATE TABLE case_evidence ("
	  "  id INTEGER PRIMARY KEY,"
	  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
	  "  submitter_id INTEGER REFERENCES accounts(id),"
	  "  submitted_at INTEGER NOT NULL,"
	  "  brief INTEGER NOT NULL DEFAULT 0,"
	  "  sealed_at INTEGER,"
	  "  sealed_motion INTEGER REFERENCES motions(id),"
	  "  sealed_reasons TEXT);"
	  "CREATE INDEX case_evidence_by_case ON case_evidence(case_id);"
	  "CREATE TABLE case_evidence_files ("
	  "  evidence_id INTEGER NOT NULL REFERENCES case_evidence(id),"
	  "  n INTEGER NOT NULL,"
	  "  type TEXT NOT NULL,"
	  "  size INTEGER NOT NULL,"
	  "  hash TEXT NOT NULL,"
	  "  PRIMARY KEY (evidence_id, n)) WITHOUT ROWID;"
	  "CREATE TABLE case_evidence_content ("
	  "  evidence_id INTEGER NOT NULL REFERENCES case_evidence(id),"
	  "  n INTEGER NOT NULL,"
	  "  name TEXT NOT NULL,"
	  "  bytes BLOB NOT NULL,"
	  "  PRIMARY KEY (evidence_id, n)) WITHOUT ROWID;"
	  /* the evidence briefs the assembly asks of the civil service: open
	   * until a civil servant submits one (evidence_id) */
	  "CREATE TABLE case_briefs ("
	  "  id INTEGER PRIMARY KEY,"
	  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  requested_at INTEGER NOT NULL,"
	  "  deadline INTEGER NOT NULL,"
	  "  instructions TEXT,"
	  "  evidence_id INTEGER REFERENCES case_evidence(id));"
	  "CREATE INDEX case_briefs_by_case ON case_briefs(case_id);"
	  "CREATE TABLE polity_case_rules ("
	  "  polity_id INTEGER PRIMARY KEY REFERENCES polities(id),"
	  "  petitioners TEXT NOT NULL CHECK (petitioners IN ('citizens', 'members',"
	  "    'residents')),"
	  "  anonymous_evidence INTEGER NOT NULL,"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  since INTEGER NOT NULL);" },
	/* 29: the sharing economy (src/gov/sharing, docs/sharing.md, issue
	 * 16): economies that local assemblies join by their own decisions
	 * (join_sharing_economy); the register of what enterprises in good
	 * standing offer (goods: products with a stock, unique items, services
	 * with a capacity), its stock as each enterprise updates it
	 * (good_stock), what members take freely (takes), and who opted out by
	 * their own act (sharing_optouts: each change, the last one counts);
	 * the goods a local assembly declared scarce, with the policy it set,
	 * until it lifts it (scarcities); its rounds (rounds), each one's
	 * requests with the need declared and, once allocated, what each
	 * received (round_requests), and each request's salt, the person's
	 * receipt, never journalled (round_salts).
	 * No column holds a price: nothing here is bought or sold. */
	{ 29,
	  "CREATE TABLE sharing_economies ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  founded_at INTEGER NOT NULL,"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id));"
	  "CREATE TABLE sharing_assemblies ("
	  "  id INTEGER PRIMARY KEY,"
	  "  economy_id INTEGER NOT NULL REFERENCES sharing_economies(id),"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  joined_at INTEGER NOT NULL,"
	  "  left_by INTEGER REFERENCES motions(id),"
	  "  left_at INTEGER);"
	  "CREATE INDEX sharing_assemblies_by ON sharing_assemblies(body_id);"
	  "CREATE TABLE goods ("
	  "  id INTEGER PRIMARY KEY,"
	  "  economy_id INTEGER NOT NULL REFERENCES sharing_economies(id),"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  kind TEXT NOT NULL CHECK (kind IN ('product', 'item', 'service')),"
	  "  name TEXT NOT NULL,"
	  "  description TEXT NOT NULL,"
	  "  unit TEXT NOT NULL,"
	  "  units TEXT NOT NULL,"
	  "  stock INTEGER NOT NULL CHECK (stock >= 0),"
	  "  condition TEXT NOT NULL DEFAULT '',"
	  "  location TEXT NOT NULL DEFAULT '',"
	  "  holder INTEGER REFERENCES accounts(id),"
	  "  due_at INTEGER,"
	  "  offered_by INTEGER NOT NULL REFERENCES accounts(id),"
	  "  offered_at INTEGER NOT NULL,"
	  "  withdrawn_at INTEGER);"
	  "CREATE INDEX goods_by_economy ON goods(economy_id, name);"
	  "CREATE TABLE good_stock ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  stock INTEGER NOT NULL,"
	  "  previous INTEGER NOT NULL,"
	  "  note TEXT NOT NULL,"
	  "  by_account INTEGER NOT NULL REFERENCES accounts(id),"
	  "  at INTEGER NOT NULL);"
	  "CREATE TABLE takes ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  body_id INTEGER REFERENCES bodies(id),"
	  "  quantity INTEGER NOT NULL CHECK (quantity >= 1),"
	  "  at INTEGER NOT NULL,"
	  "  returned_at INTEGER,"
	  "  motion_id INTEGER REFERENCES motions(id));"
	  "CREATE INDEX takes_by_account ON takes(account_id, at);"
	  "CREATE INDEX takes_by_good ON takes(good_id, at);"
	  "CREATE TABLE sharing_optouts ("
	  "  id INTEGER PRIMARY KEY,"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  opted_out INTEGER NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX sharing_optouts_by ON sharing_optouts(account_id, id);"
	  "CREATE TABLE scarcities ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  categories TEXT NOT NULL,"
	  "  cap INTEGER NOT NULL,"
	  "  round_days INTEGER NOT NULL,"
	  "  loan_days INTEGER NOT NULL DEFAULT 0,"
	  "  declared_at INTEGER NOT NULL,"
	  "  lifted_by INTEGER REFERENCES motions(id),"
	  "  lifted_at INTEGER);"
	  "CREATE INDEX scarcities_by_good ON scarcities(good_id);"
	  "CREATE TABLE rounds ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  scarcity_id INTEGER NOT NULL REFERENCES scarcities(id),"
	  "  opens_at INTEGER NOT NULL,"
	  "  closes_at INTEGER NOT NULL,"
	  "  closed_at INTEGER,"
	  "  supply INTEGER,"
	  "  commitment BLOB,"
	  "  source TEXT,"
	  "  result TEXT,"
	  "  result_hash BLOB,"
	  "  allocated_at INTEGER);"
	  "CREATE INDEX rounds_by_good ON rounds(good_id, opens_at);"
	  "CREATE TABLE round_requests ("
	  "  id INTEGER PRIMARY KEY,"
	  "  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  category INTEGER NOT NULL,"
	  "  amount INTEGER NOT NULL CHECK (amount >= 1),"
	  "  leaf BLOB NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  alloc_num INTEGER,"
	  "  alloc_den INTEGER,"
	  "  place INTEGER,"
	  "  UNIQUE (round_id, account_id));"
	  "CREATE TABLE round_salts ("
	  "  request_id INTEGER PRIMARY KEY REFERENCES round_requests(id),"
	  "  salt BLOB NOT NULL);" },
	/* 30: proposals and answers between nodes (docs/nodes.md, issue 17).
	 * node_offers: the versions of proposals a delegate assembly here
	 * offered to its member assemblies on other nodes ('sent': made by
	 * the decision that offered, activity_id the Offer's name under
	 * /activities/), and those a member assembly here was offered by a
	 * delegate assembly elsewhere ('received': made by node.receive,
	 * activity_id the Offer's address, with the text as offered); met_at:
	 * when the delegate assembly's node said the version's condition was
	 * met (sent: told; received: heard), law_number the law it entered
	 * the member's register as, by the member's own acceptance.
	 * node_answers: each answer to an offer, the member's decision
	 * (motion_id on its node, decision its address on the other), with
	 * the population it reported. Governance: rebuilt from the journal. */
	{ 30,
	  "CREATE TABLE node_offers ("
	  "  id INTEGER PRIMARY KEY,"
	  "  relation_id INTEGER NOT NULL REFERENCES node_relations(id),"
	  "  side TEXT NOT NULL CHECK (side IN ('sent', 'received')),"
	  "  activity_id TEXT NOT NULL UNIQUE,"
	  "  proposal_id INTEGER REFERENCES proposals(id),"
	  "  proposal TEXT,"
	  "  version INTEGER NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  rationale TEXT NOT NULL,"
	  "  condition TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  met_at INTEGER,"
	  "  law_number INTEGER);"
	  "CREATE INDEX node_offers_proposal ON node_offers(proposal_id, version);"
	  "CREATE INDEX node_offers_relation ON node_offers(relation_id);"
	  "CREATE TABLE node_answers ("
	  "  id INTEGER PRIMARY KEY,"
	  "  offer_id INTEGER NOT NULL REFERENCES node_offers(id),"
	  "  answer TEXT NOT NULL CHECK (answer IN ('accept', 'reject', 'amend')),"
	  "  counter_text TEXT,"
	  "  reasons TEXT NOT NULL,"
	  "  motion_id INTEGER REFERENCES motions(id),"
	  "  decision TEXT,"
	  "  activity_id TEXT NOT NULL,"
	  "  population INTEGER NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX node_answers_offer ON node_answers(offer_id, id);"
	  /* the votes of delegates of member assemblies on other nodes in a
	   * delegate assembly here, cast there, delivered signed, each
	   * naming the credential it is cast under (the latest per round);
	   * withdrawn when the credential is recalled while the vote is open */
	  "CREATE TABLE node_votes ("
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  round INTEGER NOT NULL,"
	  "  credential_id INTEGER NOT NULL REFERENCES node_credentials(id),"
	  "  position TEXT NOT NULL,"
	  "  activity_id TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  PRIMARY KEY (motion_id, round, credential_id)) WITHOUT ROWID;"
	  "CREATE INDEX node_votes_credential ON node_votes(credential_id);" },
	/* 31: testimony on a case (src/gov/cases/testimony.c, docs/cases.md):
	 * the witnesses a decision of the polity's assembly scheduled at one
	 * of its meetings, each a person of the deployment or a name, with a
	 * time; what the clerk recorded of each at that meeting. */
	{ 31,
	  "CREATE TABLE case_testimony ("
	  "  id INTEGER PRIMARY KEY,"
	  "  case_id INTEGER NOT NULL REFERENCES cases(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),"
	  "  account_id INTEGER REFERENCES accounts(id),"
	  "  name TEXT NOT NULL,"
	  "  at INTEGER NOT NULL,"
	  "  outcome TEXT CHECK (outcome IN ('testified', 'absent')),"
	  "  summary TEXT,"
	  "  recorded_at INTEGER,"
	  "  recorded_by INTEGER REFERENCES accounts(id));"
	  "CREATE INDEX case_testimony_by_meeting ON case_testimony(meeting_id, at);"
	  "CREATE INDEX case_testimony_by_case ON case_testimony(case_id);" },
	/* 32: households, allotments and barter (src/gov/sharing/household.c,
	 * allot_kinds.c, docs/sharing.md "Households, allotments and barter").
	 * households: declared by a person, who is its first member;
	 * household_members: each person named is invited and joins by their
	 * own act (joined_at), and leaves by their own act (left_at); a person
	 * is in one household at a time. allotments: land or means of
	 * production a local assembly allots by decision (allot_means) to a
	 * household that opted out or to a workshop, until revoked by decision
	 * (revoke_allotment). barter_terms: the terms of membership a local
	 * assembly sets by decision (set_barter_terms), the latest counting.
	 * barters: what for what between a household and a member or an
	 * enterprise, recorded by one side and confirmed by the other; good_id
	 * the register's good that what an enterprise received joined.
	 * No column holds a price. */
	{ 32,
	  "CREATE TABLE households ("
	  "  id INTEGER PRIMARY KEY,"
	  "  slug TEXT NOT NULL UNIQUE,"
	  "  name TEXT NOT NULL,"
	  "  declared_by INTEGER NOT NULL REFERENCES accounts(id),"
	  "  declared_at INTEGER NOT NULL);"
	  "CREATE TABLE household_members ("
	  "  id INTEGER PRIMARY KEY,"
	  "  household_id INTEGER NOT NULL REFERENCES households(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  invited_at INTEGER NOT NULL,"
	  "  joined_at INTEGER,"
	  "  left_at INTEGER);"
	  "CREATE INDEX household_members_by ON household_members(account_id, household_id);"
	  "CREATE TABLE allotments ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  household_id INTEGER REFERENCES households(id),"
	  "  enterprise_id INTEGER REFERENCES bodies(id),"
	  "  what TEXT NOT NULL,"
	  "  quantity INTEGER,"
	  "  unit TEXT NOT NULL,"
	  "  purpose TEXT NOT NULL,"
	  "  priority TEXT NOT NULL,"
	  "  until INTEGER,"
	  "  at INTEGER NOT NULL,"
	  "  revoked_by INTEGER REFERENCES motions(id),"
	  "  revoked_at INTEGER);"
	  "CREATE INDEX allotments_by_body ON allotments(body_id, at);"
	  "CREATE TABLE barter_terms ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  motion_id INTEGER NOT NULL REFERENCES motions(id),"
	  "  taken_goods INTEGER NOT NULL,"
	  "  classes TEXT NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX barter_terms_by_body ON barter_terms(body_id, id);"
	  "CREATE TABLE barters ("
	  "  id INTEGER PRIMARY KEY,"
	  "  household_id INTEGER NOT NULL REFERENCES households(id),"
	  "  account_id INTEGER REFERENCES accounts(id),"
	  "  enterprise_id INTEGER REFERENCES bodies(id),"
	  "  household_gives TEXT NOT NULL,"
	  "  household_quantity INTEGER NOT NULL,"
	  "  household_unit TEXT NOT NULL,"
	  "  other_gives TEXT NOT NULL,"
	  "  other_quantity INTEGER NOT NULL,"
	  "  other_unit TEXT NOT NULL,"
	  "  recorded_by INTEGER NOT NULL REFERENCES accounts(id),"
	  "  recorded_at INTEGER NOT NULL,"
	  "  recorded_side TEXT NOT NULL CHECK (recorded_side IN ('household', 'other')),"
	  "  confirmed_by INTEGER REFERENCES accounts(id),"
	  "  confirmed_at INTEGER,"
	  "  good_id INTEGER REFERENCES goods(id));"
	  "CREATE INDEX barters_by_household ON barters(household_id, id);" },
	/* 34: lending single items, completed (src/gov/sharing/lending.c,
	 * docs/sharing.md "Lending"): each policy's days to collect a hold
	 * and days an item rests between loans (lending_terms, beside the
	 * scarcity it belongs to); the holds an item won in a round gives,
	 * each waiting to be collected until its date, then collected or
	 * expired and passed to the next by the round's lottery order
	 * (item_holds); and until when a returned item rests (item_rests). */
	{ 34,
	  "CREATE TABLE lending_terms ("
	  "  scarcity_id INTEGER PRIMARY KEY REFERENCES scarcities(id),"
	  "  collect_days INTEGER NOT NULL,"
	  "  buffer_days INTEGER NOT NULL);"
	  "CREATE TABLE item_holds ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	  "  request_id INTEGER NOT NULL REFERENCES round_requests(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  since INTEGER NOT NULL,"
	  "  until INTEGER,"
	  "  state TEXT NOT NULL CHECK (state IN ('waiting', 'collected', 'expired')),"
	  "  ended_at INTEGER);"
	  "CREATE INDEX item_holds_by_good ON item_holds(good_id, state);"
	  "CREATE TABLE item_rests ("
	  "  good_id INTEGER PRIMARY KEY REFERENCES goods(id),"
	  "  until INTEGER NOT NULL);" },
	/* 33: a round's requests read in order, by the index alone
	 * (src/gov/sharing/rounds.c: the commitment and the allocation read
	 * every request of the round; bench/economy/round measured a million
	 * requests over 10,000 rounds, each read from scattered rows of the
	 * table without it). */
	{ 33,
	  "CREATE INDEX round_requests_by_round ON round_requests(round_id, id, category,"
	  "  amount, leaf);"
	  /* and probabilistic serial as a policy (src/gov/sharing/ps.c): a
	   * scarcity's policy and its group of alternatives (JSON, the goods'
	   * numbers, the declared good first); a round's supply of each
	   * alternative; each request's ranking (the goods' numbers, best
	   * first), its exact shares ([[num, den], ...], aligned with the
	   * ranking) and the good it received */
	  "ALTER TABLE scarcities ADD COLUMN policy TEXT NOT NULL DEFAULT 'serial'"
	  "  CHECK (policy IN ('serial', 'probabilistic_serial'));"
	  "ALTER TABLE scarcities ADD COLUMN alternatives TEXT;"
	  "ALTER TABLE rounds ADD COLUMN supplies TEXT;"
	  "ALTER TABLE round_requests ADD COLUMN ranking TEXT;"
	  "ALTER TABLE round_requests ADD COLUMN shares TEXT;"
	  "ALTER TABLE round_requests ADD COLUMN assigned INTEGER REFERENCES goods(id);" },
	/* 35: following a body from the fediverse (src/gov/nodes/follow.c,
	 * docs/nodes.md, "Followers"): who follows each body from another
	 * server (node_followers: operational, not a decision: no assembly
	 * decides who reads its public record); the posts already queued for
	 * them, so each is sent once (node_posts: operational); and how each
	 * activity waiting in node_outbox is signed: with the node's Ed25519
	 * key for pnyx nodes, with its RSA key for the fediverse's servers. */
	{ 35,
	  "CREATE TABLE node_followers ("
	  "  id INTEGER PRIMARY KEY,"
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  actor TEXT NOT NULL,"
	  "  inbox TEXT NOT NULL,"
	  "  shared_inbox TEXT,"
	  "  follow_id TEXT NOT NULL,"
	  "  since INTEGER NOT NULL,"
	  "  UNIQUE (body_id, actor));"
	  "CREATE TABLE node_posts ("
	  "  body_id INTEGER NOT NULL REFERENCES bodies(id),"
	  "  what TEXT NOT NULL CHECK (what IN ('motion', 'meeting')),"
	  "  record_id INTEGER NOT NULL,"
	  "  queued_at INTEGER NOT NULL,"
	  "  PRIMARY KEY (body_id, what, record_id)) WITHOUT ROWID;"
	  "ALTER TABLE node_outbox ADD COLUMN signer TEXT NOT NULL DEFAULT 'ed25519'"
	  "  CHECK (signer IN ('ed25519', 'rsa'));" },
	/* 36: memberships across nodes end and are suspended by decision,
	 * declarations cross, keys rotate (src/gov/nodes/leave.c, declare.c,
	 * keys.c,
	 * docs/nodes.md). What ended a relation and what suspended it (NULL
	 * when it is not): the name of the decision here (leave-N, remove-N,
	 * suspend-N) or the id of the activity that arrived; the declarations
	 * of a delegate assembly on another node received by a member
	 * assembly here (the declaration's title and text, the address of the
	 * decision it is about and of the declaring decision there). */
	{ 36,
	  "ALTER TABLE node_relations ADD COLUMN ended_by TEXT;"
	  "ALTER TABLE node_relations ADD COLUMN suspended_by TEXT;"
	  "CREATE TABLE node_declarations ("
	  "  id INTEGER PRIMARY KEY,"
	  "  relation_id INTEGER NOT NULL REFERENCES node_relations(id),"
	  "  activity_id TEXT NOT NULL UNIQUE,"
	  "  title TEXT NOT NULL,"
	  "  text TEXT NOT NULL,"
	  "  about TEXT,"
	  "  decision TEXT NOT NULL,"
	  "  at INTEGER NOT NULL);"
	  "CREATE INDEX node_declarations_relation ON node_declarations(relation_id);"
	  /* the keys other nodes signed with before they rotated them, each
	   * refused since (node_peers holds the current one): operational */
	  "CREATE TABLE node_peer_keys ("
	  "  origin TEXT NOT NULL,"
	  "  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	  "  until INTEGER NOT NULL,"
	  "  rotation TEXT NOT NULL,"
	  "  PRIMARY KEY (origin, public_key)) WITHOUT ROWID;" },
	/* 37: an item's loan history (src/gov/sharing/lending.c, docs/
	 * sharing.md "An item's loan history"): each time someone held a
	 * unique item, how it came to them (taken freely, won in a round and
	 * held at once, or collected from a hold), until when it was lent,
	 * how often they renewed it, when they returned it and the note on
	 * its condition they left then. Earlier takes of items are carried
	 * over; items won in rounds before this migration were not in takes
	 * and start their history here. Replay rebuilds the history from the
	 * whole journal, so on a database upgraded with items won in rounds
	 * (or renewed) before 37, `journal verify --state` names `loans`: the
	 * tables alone do not say when those items came back. */
	{ 37,
	  "CREATE TABLE loans ("
	  "  id INTEGER PRIMARY KEY,"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  account_id INTEGER NOT NULL REFERENCES accounts(id),"
	  "  how TEXT NOT NULL CHECK (how IN ('take', 'round', 'hold')),"
	  "  round_id INTEGER REFERENCES rounds(id),"
	  "  from_at INTEGER NOT NULL,"
	  "  due_at INTEGER,"
	  "  renewals INTEGER NOT NULL DEFAULT 0 CHECK (renewals >= 0),"
	  "  returned_at INTEGER,"
	  "  condition_note TEXT NOT NULL DEFAULT '');"
	  "CREATE INDEX loans_by_good ON loans(good_id, from_at);"
	  "INSERT INTO loans(good_id, account_id, how, from_at, returned_at)"
	  "  SELECT t.good_id, t.account_id, 'take', t.at, t.returned_at FROM takes t"
	  "  JOIN goods g ON g.id = t.good_id WHERE g.kind = 'item' ORDER BY t.id;" },
	/* 38: the names of assemblies on other nodes, as their actor
	 * documents gave them when this node fetched them (a key, before a
	 * first delivery): shown with the node beside the address, never a
	 * decision (operational, like node_peers) */
	{ 38,
	  "CREATE TABLE node_actor_names ("
	  "  actor TEXT PRIMARY KEY,"
	  "  name TEXT NOT NULL,"
	  "  fetched_at INTEGER NOT NULL) WITHOUT ROWID;" },
	/* 39: a barter not yet confirmed ends without effect: withdrawn by
	 * the side that recorded it, or declined by the other side
	 * (src/gov/sharing/barter.c, barter.withdraw and barter.decline). */
	{ 39,
	  "ALTER TABLE barters ADD COLUMN ended_by INTEGER REFERENCES accounts(id);"
	  "ALTER TABLE barters ADD COLUMN ended_at INTEGER;"
	  "ALTER TABLE barters ADD COLUMN ended_how TEXT"
	  "  CHECK (ended_how IN ('withdrawn', 'declined'));" },
	/* 40: a delegate assembly here that accepts a proposal offered from
	 * another node passes it on to its own members, and reports their
	 * answers back up (src/gov/nodes/relay.c, docs/nodes.md, "Two levels
	 * across nodes"). proposals.relay_of: the membership (node_relations,
	 * side 'member') it came through, and relay_proposal the proposal's
	 * address there (NULL for a proposal made here). node_answers.locals:
	 * how many local assemblies beneath an answering delegate assembly
	 * accepted (NULL: the answer is one local assembly's); beneath: what
	 * each of them answered, and which node reported it (JSON). */
	{ 40,
	  "ALTER TABLE proposals ADD COLUMN relay_of INTEGER REFERENCES node_relations(id);"
	  "ALTER TABLE proposals ADD COLUMN relay_proposal TEXT;"
	  "CREATE UNIQUE INDEX proposals_relay ON proposals(relay_of, relay_proposal)"
	  "  WHERE relay_of IS NOT NULL;"
	  "ALTER TABLE node_answers ADD COLUMN locals INTEGER;"
	  "ALTER TABLE node_answers ADD COLUMN beneath TEXT;" },
	/* 41: a round's allocation in a table of its own, appended in the
	 * round's order (src/gov/sharing/rounds.c, docs/sharing.md "Speed"):
	 * written into each request's row, a million requests over 10,000
	 * rounds cost bench/economy/round about 5.7 s of processor (each
	 * update rewrites a row somewhere in the table); appended by round
	 * and request, the rows fill pages one after the other. num/den:
	 * what the request received (a unit good's den is 1); place: its
	 * place in its category's lottery order (0: no lot). The columns
	 * the allocation was written to before are moved, then dropped.
	 * Each row names its request within its round, a key checked through
	 * round_requests_in_round, whose entries lie in the round's order:
	 * a key on the request's id alone was checked by reading each
	 * request's row, scattered through the table (4.5 s of the million
	 * more, measured). */
	{ 41,
	  "CREATE UNIQUE INDEX round_requests_in_round ON round_requests(round_id, id);"
	  "CREATE TABLE round_allocations ("
	  "  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	  "  request_id INTEGER NOT NULL,"
	  "  num INTEGER NOT NULL,"
	  "  den INTEGER NOT NULL CHECK (den >= 1),"
	  "  place INTEGER NOT NULL,"
	  "  PRIMARY KEY (round_id, request_id),"
	  "  FOREIGN KEY (round_id, request_id) REFERENCES round_requests(round_id, id))"
	  "  WITHOUT ROWID;"
	  "INSERT INTO round_allocations(round_id, request_id, num, den, place)"
	  "  SELECT round_id, id, alloc_num, alloc_den, coalesce(place, 0) FROM round_requests"
	  "  WHERE alloc_num IS NOT NULL ORDER BY round_id, id;"
	  "ALTER TABLE round_requests DROP COLUMN alloc_num;"
	  "ALTER TABLE round_requests DROP COLUMN alloc_den;"
	  "ALTER TABLE round_requests DROP COLUMN place;" },
	/* 42: a delegate assembly's answer from another node also says how
	 * many local assemblies there are beneath it in all, and their
	 * population (src/gov/nodes/relay.c, docs/nodes.md, "Shares across
	 * two levels"): the denominator of a share condition at the top, as
	 * locals_below and population_below are for a member on one node.
	 * NULL: a local assembly's answer, or a report made before the
	 * totals were sent (counted as documented there). */
	{ 42,
	  "ALTER TABLE node_answers ADD COLUMN total_locals INTEGER;"
	  "ALTER TABLE node_answers ADD COLUMN total_population INTEGER;" },
	/* 43: a rationing policy shared across a federation (src/gov/sharing/
	 * scarcity_fed.c, docs/sharing.md "Scarcity shared across a
	 * federation"): the proposal of a delegate assembly whose content is
	 * a policy for a good (declare) or its end (lift), with the policy's
	 * canonical parameters; a scarcity that came from one names it. */
	{ 43,
	  "CREATE TABLE proposal_scarcities ("
	  "  proposal_id INTEGER PRIMARY KEY REFERENCES proposals(id),"
	  "  good_id INTEGER NOT NULL REFERENCES goods(id),"
	  "  action TEXT NOT NULL CHECK (action IN ('declare', 'lift')),"
	  "  params TEXT NOT NULL);"
	  "ALTER TABLE scarcities ADD COLUMN proposal_id INTEGER REFERENCES proposals(id);" },
	/* 44: the allocation's rows without the check of their request.
	 * Checking that each row names a request of its round cost a search
	 * of round_requests_in_round per row, about a fifth of closing and
	 * drawing a million requests (bench/economy/round, docs/sharing.md
	 * "Speed"); the rows are written by one function only
	 * (sharing_allocations_write), from the requests it has just read
	 * in the same transaction, requests are never deleted, and `pnyx
	 * journal verify --state` rebuilds the table from the journal and
	 * names any row that differs. The round is still a key of rounds.
	 * The index the check needed goes with it. Nothing references
	 * round_allocations, so it is rebuilt with foreign keys on. */
	{ 44,
	  "CREATE TABLE round_allocations_44 ("
	  "  round_id INTEGER NOT NULL REFERENCES rounds(id),"
	  "  request_id INTEGER NOT NULL,"
	  "  num INTEGER NOT NULL,"
	  "  den INTEGER NOT NULL CHECK (den >= 1),"
	  "  place INTEGER NOT NULL,"
	  "  PRIMARY KEY (round_id, request_id))"
	  "  WITHOUT ROWID;"
	  "INSERT INTO round_allocations_44(round_id, request_id, num, den, place)"
	  "  SELECT round_id, request_id, num, den, place FROM round_allocations"
	  "  ORDER BY round_id, request_id;"
	  "DROP TABLE round_allocations;"
	  "ALTER TABLE round_allocations_44 RENAME TO round_allocations;"
	  "DROP INDEX round_requests_in_round;" },
	/* 45: need shown by evidence reviewed by a committee (issue 16,
	 * src/gov/sharing/need.c, docs/sharing.md "Evidence of need"). A
	 * category of a policy names the committee (scarcities.categories);
	 * a request under it carries evidence (round_evidence: the committee
	 * that reviews it, and its verdict; round_evidence_files: each item's
	 * type, size and hash, as journalled; round_evidence_content: the
	 * bytes and names, outside the journal, copied by replay where they
	 * hash to their entry's). round_requests.moved_to: the category a
	 * request whose evidence was not accepted by the close is counted
	 * under (the policy's last, or one past it: the unreserved rest). */
	{ 45,
	  "ALTER TABLE round_requests ADD COLUMN moved_to INTEGER;"
	  "CREATE TABLE round_evidence ("
	  "  request_id INTEGER PRIMARY KEY REFERENCES round_requests(id),"
	  "  committee_id INTEGER NOT NULL REFERENCES committees(id),"
	  "  verdict TEXT CHECK (verdict IN ('accepted', 'refused')),"
	  "  reason TEXT,"
	  "  reviewed_by INTEGER REFERENCES accounts(id),"
	  "  reviewed_at INTEGER);"
	  "CREATE INDEX round_evidence_by_committee ON round_evidence(committee_id);"
	  "CREATE TABLE round_evidence_files ("
	  "  request_id INTEGER NOT NULL REFERENCES round_requests(id),"
	  "  n INTEGER NOT NULL,"
	  "  type TEXT NOT NULL,"
	  "  size INTEGER NOT NULL,"
	  "  hash TEXT NOT NULL,"
	  "  PRIMARY KEY (request_id, n)) WITHOUT ROWID;"
	  "CREATE TABLE round_evidence_content ("
	  "  request_id INTEGER NOT NULL REFERENCES round_requests(id),"
	  "  n INTEGER NOT NULL,"
	  "  name TEXT NOT NULL,"
	  "  bytes BLOB NOT NULL,"
	  "  PRIMARY KEY (request_id, n)) WITHOUT ROWID;" },
	/* 46: the overdue-item block looks at every item a person holds,
	 * in any economy (src/gov/sharing/register.c sharing_overdue): the
	 * goods held, by holder, without reading the whole register. */
	{ 46,
	  "CREATE INDEX goods_by_holder ON goods(holder) WHERE holder IS NOT NULL;" },
	/* 47: closing and drawing every round due (bench/economy/round,
	 * docs/sharing.md "Speed"), measured.
	 * A round's requests are read by the index alone again
	 * (src/gov/sharing/rounds.c instance_build): since 45 the close and the
	 * draw read coalesce(moved_to, category), and moved_to was not in
	 * round_requests_by_round, so every request was looked up again in the
	 * table, scattered: a million requests over 10,000 rounds took 5.4 s of
	 * processor time to close and draw, 3.1 s with moved_to in the index.
	 * round_allocations no longer references rounds: the check was a
	 * search of rounds for every row written, a tenth of the instructions
	 * of closing and drawing. As for the request (44), the rows are written
	 * by one function only, for the round it has just loaded and updates
	 * in the same transaction, and `pnyx journal verify --state` rebuilds
	 * the table from the journal and names any row that differs. Nothing
	 * references round_allocations, so it is rebuilt with foreign keys on. */
	{ 47,
	  "DROP INDEX round_requests_by_round;"
	  "CREATE INDEX round_requests_by_round ON round_requests(round_id, id, category,"
	  "  amount, leaf, moved_to);"
	  "CREATE TABLE round_allocations_47 ("
	  "  round_id INTEGER NOT NULL,"
	  "  request_id INTEGER NOT NULL,"
	  "  num INTEGER NOT NULL,"
	  "  den INTEGER NOT NULL CHECK (den >= 1),"
	  "  place INTEGER NOT NULL,"
	  "  PRIMARY KEY (round_id, request_id))"
	  "  WITHOUT ROWID;"
	  "INSERT INTO round_allocations_47(round_id, request_id, num, den, place)"
	  "  SELECT round_id, request_id, num, den, place FROM round_allocations"
	  "  ORDER BY round_id, request_id;"
	  "DROP TABLE round_allocations;"
	  "ALTER TABLE round_allocations_47 RENAME TO round_allocations;" },
	/* 48: a review's journal entry names neither the request nor the
	 * verdict (src/gov/sharing/sealed.c): replay finds the review it
	 * commits to among those made at the entry's moment, by this index,
	 * instead of hashing every review of the round. */
	{ 48,
	  "CREATE INDEX round_evidence_by_review ON round_evidence(reviewed_at)"
	  " WHERE reviewed_at IS NOT NULL;" },
	{ 0, NULL },
};

const int migrations_rebuilding[] = { 14, 16, 20, 0 };
