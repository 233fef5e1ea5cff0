-- Sources schema, version 1, SQLite (embedded mode: one node, localhost clustering, so no
-- membership tables). Grain state, reminders, and the catalogue of statements that the Orleans
-- ADO.NET providers look up by key. Written for this service; the providers only fix the
-- catalogue's name, the statement keys, the @parameter names and the result column names.
-- SQLite has no dollar quoting, so a quote inside a statement's text is written twice.

CREATE TABLE OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- Grain state: one row per service, grain type and grain key. The key is the provider's split of a
-- GrainId (two 64-bit halves plus an optional string part, '' when absent so that it can take part
-- in the primary key). The provider's hashes are kept for inspection but are not part of the identity.
CREATE TABLE sources_grain_state
(
    service_id      TEXT    NOT NULL,
    grain_type      TEXT    NOT NULL,
    grain_key_n0    INTEGER NOT NULL,
    grain_key_n1    INTEGER NOT NULL,
    grain_key_ext   TEXT    NOT NULL,
    grain_type_hash INTEGER NOT NULL,
    grain_key_hash  INTEGER NOT NULL,
    payload         BLOB    NULL,
    version         INTEGER NOT NULL,
    modified_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext)
);

-- Reminders. Times are stored as the text Microsoft.Data.Sqlite writes for a DateTime, which it
-- also reads back. grain_hash is the grain's uniform hash seen as a signed integer: the reminder
-- service asks for hash ranges in that signed order, and a range may wrap around.
CREATE TABLE sources_reminder
(
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    grain_hash    INTEGER NOT NULL,
    start_time    TEXT    NOT NULL,
    period_ms     INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX sources_reminder_by_hash ON sources_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Grain storage. A missing row reads as "no state"; the version is the ETag.
('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM sources_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '''')
'),

-- A write without an ETag may only create the row; a write with one may only replace the row that
-- still has that version. The two statements exclude each other, so at most one row comes back,
-- with the new version; none means a conflict, which the provider turns into an
-- InconsistentStateException. Each statement is atomic on its own.
('WriteToStorageKey', '
UPDATE sources_grain_state
SET payload = @PayloadBinary, version = version + 1,
    modified_at = strftime(''%Y-%m-%d %H:%M:%f'', ''now''),
    grain_type_hash = @GrainTypeHash, grain_key_hash = @GrainIdHash
WHERE @GrainStateVersion IS NOT NULL
  AND service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;

INSERT INTO sources_grain_state
    (service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext, grain_type_hash, grain_key_hash, payload, version)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''),
       @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;
'),

-- Used when the provider keeps cleared rows (DeleteStateOnClear = false): the row stays, empty,
-- with a new version.
('ClearStorageKey', '
UPDATE sources_grain_state
SET payload = NULL, version = version + 1, modified_at = strftime(''%Y-%m-%d %H:%M:%f'', ''now'')
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version AS Version
'),

-- Used with DeleteStateOnClear = true (our setting): the row goes. The provider wants a value that
-- differs from the ETag it sent, so the statement answers with the version the row would have had next.
('DeleteStorageKey', '
DELETE FROM sources_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '''')
  AND version = @GrainStateVersion
RETURNING version + 1 AS Version
'),

-- Reminders. Each upsert bumps the version, which is the reminder's ETag.
('UpsertReminderRowKey', '
INSERT INTO sources_reminder (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET grain_hash = excluded.grain_hash, start_time = excluded.start_time,
    period_ms = excluded.period_ms, version = version + 1
RETURNING version AS Version
'),

('ReadReminderRowKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
'),

('ReadReminderRowsKey', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
'),

-- A hash range that does not wrap: (BeginHash, EndHash].
('ReadRangeRows1Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
'),

-- A hash range that wraps past the largest value: above BeginHash, or up to EndHash.
('ReadRangeRows2Key', '
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM sources_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
'),

-- Exactly one row: whether the reminder with that ETag was removed. changes() counts the rows the
-- DELETE just before it touched on this connection.
('DeleteReminderRowKey', '
DELETE FROM sources_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
  AND version = @Version;

SELECT changes() > 0 AS Removed;
'),

('DeleteReminderRowsKey', '
DELETE FROM sources_reminder WHERE service_id = @ServiceId
');
