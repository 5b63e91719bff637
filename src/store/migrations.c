/*
 * migrations.c: the schema, as numbered steps. Each step runs in one
 * transaction with its schema_version row.
 *
 * Conventions: times are Unix seconds (UTC) in INTEGER columns; slugs and
 * handles are the stable public names; ids are internal. The journal is
 * protected against UPDATE and DELETE by triggers, so even a bug in pnyx
 * cannot rewrite history (someone editing the file by hand can, and
 * `pnyx journal verify` then names the entry).
 */
#include <stddef.h>

#include "migrations.h"
#include "../banned.h"

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
	{ 0, NULL },
};
