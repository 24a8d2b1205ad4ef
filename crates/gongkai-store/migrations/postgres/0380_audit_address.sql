-- Where a change came from: the client address of the web request that made it (as the
-- server decided it: the peer, or what a configured proxy forwarded), '' for the command line
-- and for entries written before this column. Part of the entry's hash when not empty, so
-- the chain of older entries still verifies.
ALTER TABLE audit_log ADD COLUMN address TEXT NOT NULL DEFAULT '';
