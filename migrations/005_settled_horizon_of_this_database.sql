-- Up Migration

-- The change log's settled horizon, from this database's transactions only. A change is settled
-- once every transaction that might still commit a smaller tx into this change log has ended.
-- `pg_snapshot_xmin` answers that for the whole cluster, so a transaction left open in another
-- database held back every delivery here. Only transactions of this database can write this
-- change log: the in-progress xids of the snapshot that are known to belong to another database
-- (a backend's or a prepared transaction's) are left out. An xid not known to be foreign stays in
-- (a transaction that ended meanwhile, or a role not allowed to see other backends' xids), so the
-- horizon is never later than it may be. STABLE: it sees the calling statement's snapshot.
CREATE FUNCTION change_log_settled_before() RETURNS xid8 LANGUAGE sql STABLE AS $$
  WITH snapshot AS (SELECT pg_current_snapshot() AS s),
  foreign_xids AS (
    SELECT backend_xid::text::bigint AS xid32 FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
    UNION
    SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database <> current_database()
  )
  SELECT coalesce(
    (SELECT min(running) FROM snapshot, pg_snapshot_xip(snapshot.s) AS running
     WHERE (running::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM foreign_xids)),
    (SELECT pg_snapshot_xmax(s) FROM snapshot)
  );
$$;

-- Down Migration

DROP FUNCTION change_log_settled_before();
