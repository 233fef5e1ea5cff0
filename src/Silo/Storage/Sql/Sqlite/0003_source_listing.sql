-- Sources schema, version 3, SQLite: the columns a listing filters by, written with each row, so
-- that a page of the account's listing is one query over the table and its indexes, with no grain
-- asked. The payload stays the source of truth; these columns are copies of what it holds.
--
-- Rows stored before this version have NULL here until SourceColumnsBackfill fills them from their
-- payload at the next start (a source's own next write fills them as well).

-- The status from the last probe alone, leaving time out: what a listing shows as of now also
-- takes credential_expires_at into account (SourceHealth.StatusAt), in the query itself.
ALTER TABLE sources_source ADD COLUMN status TEXT;
-- When a credential stops working (Unix milliseconds, rounded up), or NULL when none says so.
ALTER TABLE sources_source ADD COLUMN credential_expires_at INTEGER;
-- The display name (account_name), and the form a name search matches: lower case, folded by
-- the service rather than the engine so both engines match alike.
ALTER TABLE sources_source ADD COLUMN account_name TEXT;
ALTER TABLE sources_source ADD COLUMN name_folded TEXT;
-- Unix milliseconds.
ALTER TABLE sources_source ADD COLUMN created_at INTEGER;
ALTER TABLE sources_source ADD COLUMN updated_at INTEGER;
ALTER TABLE sources_source ADD COLUMN next_check_at INTEGER;

-- Each index holds the columns its query filters on, so rows that do not match are passed over
-- inside the index: a column added here sits after the payload in the row, and reading it from
-- the table means reading through the payload's overflow pages.
DROP INDEX sources_source_by_account;
CREATE INDEX sources_source_by_account ON sources_source (account, sequence DESC, name_folded);
CREATE INDEX sources_source_by_type ON sources_source (account, type, sequence DESC, name_folded);
CREATE INDEX sources_source_by_status ON sources_source (account, status, sequence DESC, credential_expires_at, type, name_folded);
-- The sources whose status as of now differs from their stored one (an expired or expiring credential).
CREATE INDEX sources_source_by_expiry ON sources_source (account, credential_expires_at, status, type, name_folded)
    WHERE credential_expires_at IS NOT NULL;
-- The rows still to be filled from their payload: empty once they are, so it costs writes nothing.
CREATE INDEX sources_source_unfilled ON sources_source (sequence) WHERE status IS NULL;
