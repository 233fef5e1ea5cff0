-- Sources schema, version 3, PostgreSQL: the columns a listing filters by, written with each row,
-- so that a page of the account's listing is one query over the table and its indexes, with no
-- grain asked. The payload stays the source of truth; these columns are copies of what it holds.
--
-- Rows stored before this version have NULL here until SourceColumnsBackfill fills them from their
-- payload at the next start (a source's own next write fills them as well).

-- pg_trgm (shipped with PostgreSQL, a trusted extension: the database's owner may create it)
-- indexes the name search, a case-insensitive substring match.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE sources_source
    -- The status from the last probe alone, leaving time out: what a listing shows as of now also
    -- takes credential_expires_at into account (SourceHealth.StatusAt), in the query itself.
    ADD COLUMN status                text,
    -- When a credential stops working (Unix milliseconds, rounded up), or NULL when none says so.
    ADD COLUMN credential_expires_at bigint,
    -- The display name (account_name), and the form a name search matches: lower case, folded by
    -- the service rather than the engine so both engines match alike.
    ADD COLUMN account_name          text,
    ADD COLUMN name_folded           text,
    -- Unix milliseconds.
    ADD COLUMN created_at            bigint,
    ADD COLUMN updated_at            bigint,
    ADD COLUMN next_check_at         bigint;

CREATE INDEX sources_source_by_type ON sources_source (account, type, sequence DESC);
CREATE INDEX sources_source_by_status ON sources_source (account, status, sequence DESC);
CREATE INDEX sources_source_by_type_status ON sources_source (account, type, status, sequence DESC);
-- The sources whose status as of now differs from their stored one (an expired or expiring credential).
CREATE INDEX sources_source_by_expiry ON sources_source (account, credential_expires_at)
    WHERE credential_expires_at IS NOT NULL;
CREATE INDEX sources_source_by_name ON sources_source USING gin (name_folded gin_trgm_ops);
-- The rows still to be filled from their payload: empty once they are, so it costs writes nothing.
CREATE INDEX sources_source_unfilled ON sources_source (sequence) WHERE status IS NULL;
