-- Sources schema, version 6, PostgreSQL: a mark per source whose probe is doing heavy work (a FILE
-- import, DuckDB, an XLSX sheet, a key derivation), written before the work starts and removed
-- when it ends. A mark left behind names a check that never finished: the node that ran it went
-- down, maybe because of it, so the source is held out of the health sweep until its owner
-- changes it or asks for a test (docs/probing.md, "Checks that stopped a node").

CREATE TABLE sources_probe_mark
(
    source_id bigint NOT NULL PRIMARY KEY,
    -- The silo that wrote it (Orleans' parsable silo address, generation included): a mark whose
    -- silo the cluster declared dead is left behind, and a surviving node handles it.
    node      text   NOT NULL,
    -- Which probe wrote it, so a probe ending late does not remove a newer probe's mark.
    probe     bigint NOT NULL,
    -- Unix milliseconds.
    marked_at bigint NOT NULL
);
