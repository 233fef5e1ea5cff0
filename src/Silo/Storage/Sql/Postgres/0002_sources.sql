-- Sources schema, version 2, PostgreSQL: one row per source, written by its grain through
-- SourceStore instead of the generic grain-state table.
--
-- Why a table of our own: the row is at once the grain's state (payload), the account's index
-- (account, sequence) and the health-check schedule (due_at), so a create is one INSERT in one
-- commit, listing is an index scan, and no reminder row is registered per source.

CREATE TABLE sources_source
(
    id          bigint  NOT NULL PRIMARY KEY,
    -- Creation order across the whole cluster: the account's listing is newest first by it.
    sequence    bigint  NOT NULL GENERATED ALWAYS AS IDENTITY,
    account     text    NOT NULL,
    type        text    NOT NULL,
    -- Bumped by every write of the grain: a write naming another version lost a race and changes nothing.
    row_version integer NOT NULL,
    -- The grain's SourceRecord in Orleans' binary format; its secrets are already sealed.
    payload     bytea   NOT NULL,
    -- When the next health check is due (Unix milliseconds); a sweep claims due rows by moving it on.
    due_at      bigint  NOT NULL
);

CREATE INDEX sources_source_by_account ON sources_source (account, sequence DESC);
CREATE INDEX sources_source_by_due ON sources_source (due_at);

-- Version 1 kept sources and account indexes as generic grain state and drove checks with one
-- reminder per source; neither is read any more.
DELETE FROM sources_reminder WHERE reminder_name = 'health';
