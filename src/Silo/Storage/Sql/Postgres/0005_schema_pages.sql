-- Sources schema, version 5, PostgreSQL: the pages of a source's discovery past the first, written
-- once per check by the source's grain and read by GET /api/v1/sources/{id}/schema/.
--
-- Why a table of its own: the first page lives in the source's row (its last probe), which every
-- read of the source loads; the rest is read only by whoever pages through it. Paging reads what
-- the check found, so it never contacts the source. checked_at names the check the pages belong
-- to (Unix milliseconds), so a cursor of an earlier check is refused rather than mixed with a later one.

CREATE TABLE sources_schema_page
(
    source_id  BIGINT  NOT NULL,
    page       INTEGER NOT NULL,
    checked_at BIGINT  NOT NULL,
    -- The page's discovery JSON, as the API answers it.
    body       TEXT    NOT NULL,
    PRIMARY KEY (source_id, page)
);
