-- Sources schema, version 1, PostgreSQL (cluster mode).
-- Everything the Orleans ADO.NET providers need: grain state, reminders, cluster membership, and
-- the catalogue of statements they look up by key. Written for this service; the providers only
-- fix the catalogue's name, the statement keys, the @parameter names and the result column names.

-- The providers read this with an unquoted "SELECT QueryKey, QueryText FROM OrleansQuery", which
-- PostgreSQL folds to lower case; the unquoted names below fold the same way.
CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- Grain state: one row per service, grain type and grain key. The key is the provider's split of a
-- GrainId (two 64-bit halves plus an optional string part, '' when absent so that it can take part
-- in the primary key). The provider's hashes are kept for inspection but are not part of the
-- identity, so a different hash function can never hide a row.
CREATE TABLE sources_grain_state
(
    service_id      text        NOT NULL,
    grain_type      text        NOT NULL,
    grain_key_n0    bigint      NOT NULL,
    grain_key_n1    bigint      NOT NULL,
    grain_key_ext   text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_key_hash  integer     NOT NULL,
    payload         bytea       NULL,
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext)
);

-- Reminders. grain_hash is the grain's uniform hash seen as a signed integer: the reminder service
-- asks for hash ranges in that signed order, and a range may wrap around.
CREATE TABLE sources_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX sources_reminder_by_hash ON sources_reminder (service_id, grain_hash);

-- Cluster membership: one version row per cluster, bumped by every membership change, which is how
-- silos detect that they raced; members hang off it and go with it.
CREATE TABLE sources_cluster_version
(
    cluster_id text        NOT NULL PRIMARY KEY,
    version    integer     NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sources_cluster_member
(
    cluster_id    text        NOT NULL REFERENCES sources_cluster_version (cluster_id) ON DELETE CASCADE,
    address       text        NOT NULL,
    port          integer     NOT NULL,
    generation    integer     NOT NULL,
    silo_name     text        NOT NULL,
    host_name     text        NOT NULL,
    status        integer     NOT NULL,
    proxy_port    integer     NOT NULL,
    suspect_times text        NULL,
    start_time    timestamptz NOT NULL,
    i_am_alive_at timestamptz NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- The optimistic-concurrency step of every membership change: move the cluster's table version on
-- by one, but only if it is still the version the silo last read and the member is present (an
-- update) or absent (a join) as the change expects. True when it moved. The version row is locked
-- by the UPDATE, so racing silos queue here and all but the first find the version changed.
CREATE FUNCTION sources_cluster_bump(
    in_cluster_id text, in_version integer, in_address text, in_port integer, in_generation integer,
    in_member_present boolean)
RETURNS boolean
LANGUAGE sql
AS $fn$
    WITH bumped AS (
        UPDATE sources_cluster_version
        SET version = version + 1, changed_at = now()
        WHERE cluster_id = in_cluster_id AND version = in_version
          AND in_member_present = EXISTS (
              SELECT 1 FROM sources_cluster_member
              WHERE cluster_id = in_cluster_id AND address = in_address
                AND port = in_port AND generation = in_generation)
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM bumped)
$fn$;

-- A member row under the column names the membership provider reads, so that both membership
-- reads below name them once.
CREATE VIEW sources_cluster_member_read AS
SELECT cluster_id,
       address AS "Address", port AS "Port", generation AS "Generation",
       silo_name AS "SiloName", host_name AS "HostName", status AS "Status",
       proxy_port AS "ProxyPort", suspect_times AS "SuspectTimes",
       start_time AS "StartTime", i_am_alive_at AS "IAmAliveTime"
FROM sources_cluster_member;

-- The statements. Each is one SQL statement (data-modifying CTEs where two tables change together),
-- so it is atomic without an explicit transaction, which the providers do not open.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Grain storage. A missing row reads as "no state"; the version is the ETag.
('ReadFromStorageKey', $sql$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM sources_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '')
$sql$),

-- A write without an ETag may only create the row; a write with one may only replace the row that
-- still has that version. Either way one row comes back with the new version, or none on a
-- conflict, which the provider turns into an InconsistentStateException.
('WriteToStorageKey', $sql$
WITH replaced AS (
    UPDATE sources_grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now(),
        grain_type_hash = @GrainTypeHash, grain_key_hash = @GrainIdHash
    WHERE @GrainStateVersion IS NOT NULL
      AND service_id = @ServiceId AND grain_type = @GrainTypeString
      AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
      AND grain_key_ext = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
), created AS (
    INSERT INTO sources_grain_state
        (service_id, grain_type, grain_key_n0, grain_key_n1, grain_key_ext, grain_type_hash, grain_key_hash, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
           @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM replaced
UNION ALL
SELECT version FROM created
$sql$),

-- Used when the provider keeps cleared rows (DeleteStateOnClear = false): the row stays, empty,
-- with a new version.
('ClearStorageKey', $sql$
UPDATE sources_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version AS "Version"
$sql$),

-- Used with DeleteStateOnClear = true (our setting): the row goes. The provider wants a value that
-- differs from the ETag it sent, so the statement answers with the version the row would have had next.
('DeleteStorageKey', $sql$
DELETE FROM sources_grain_state
WHERE service_id = @ServiceId AND grain_type = @GrainTypeString
  AND grain_key_n0 = @GrainIdN0 AND grain_key_n1 = @GrainIdN1
  AND grain_key_ext = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version + 1 AS "Version"
$sql$),

-- Reminders. Each upsert bumps the version, which is the reminder's ETag.
('UpsertReminderRowKey', $sql$
INSERT INTO sources_reminder AS r (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET grain_hash = EXCLUDED.grain_hash, start_time = EXCLUDED.start_time,
    period_ms = EXCLUDED.period_ms, version = r.version + 1
RETURNING r.version AS "Version"
$sql$),

('ReadReminderRowKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$sql$),

('ReadReminderRowsKey', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId
$sql$),

-- A hash range that does not wrap: (BeginHash, EndHash].
('ReadRangeRows1Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM sources_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$sql$),

-- A hash range that wraps past the largest value: above BeginHash, or up to EndHash.
('ReadRangeRows2Key', $sql$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM sources_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$sql$),

-- Exactly one boolean row: whether the reminder with that ETag was removed.
('DeleteReminderRowKey', $sql$
WITH removed AS (
    DELETE FROM sources_reminder
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM removed) AS "Removed"
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM sources_reminder WHERE service_id = @ServiceId
$sql$),

-- Membership. The version row is created once per cluster; the answer says whether this call did it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO sources_cluster_version (cluster_id, version) VALUES (@DeploymentId, 0)
    ON CONFLICT (cluster_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Created"
$sql$),

-- Both reads start from the version row, so they return it even when there are no members yet
-- (the provider takes the table version from the first row, and a member from rows with a StartTime).
('MembershipReadAllKey', $sql$
SELECT v.version AS "Version", m.*
FROM sources_cluster_version v
LEFT JOIN sources_cluster_member_read m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId
$sql$),

('MembershipReadRowKey', $sql$
SELECT v.version AS "Version", m.*
FROM sources_cluster_version v
LEFT JOIN sources_cluster_member_read m
       ON m.cluster_id = v.cluster_id AND m."Address" = @Address AND m."Port" = @Port AND m."Generation" = @Generation
WHERE v.cluster_id = @DeploymentId
$sql$),

-- Joining and changing a member both succeed only through sources_cluster_bump (above); a silo
-- that raced another gets false and re-reads. The bump runs once, in its own CTE, before the member
-- row is touched.
('InsertMembershipKey', $sql$
WITH allowed AS (
    SELECT sources_cluster_bump(@DeploymentId, @Version, @Address, @Port, @Generation, false) AS ok
), joined AS (
    INSERT INTO sources_cluster_member
        (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_at)
    SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM allowed
    WHERE allowed.ok
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM joined) AS "Inserted"
$sql$),

('UpdateMembershipKey', $sql$
WITH allowed AS (
    SELECT sources_cluster_bump(@DeploymentId, @Version, @Address, @Port, @Generation, true) AS ok
), changed AS (
    UPDATE sources_cluster_member m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_at = @IAmAliveTime
    FROM allowed
    WHERE allowed.ok
      AND m.cluster_id = @DeploymentId AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed) AS "Updated"
$sql$),

-- Liveness heartbeats are not membership changes, so they leave the table version alone.
('UpdateIAmAlivetimeKey', $sql$
UPDATE sources_cluster_member
SET i_am_alive_at = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

-- Members are removed with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM sources_cluster_version WHERE cluster_id = @DeploymentId
$sql$),

-- Forget silos that stopped heart-beating before the cut-off, unless they still claim to be active (3).
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM sources_cluster_member
WHERE cluster_id = @DeploymentId AND i_am_alive_at < @IAmAliveTime AND status <> 3
$sql$),

-- Gateways for clients: active silos (@Status) that accept client connections.
('GatewaysQueryKey', $sql$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM sources_cluster_member
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
$sql$);
