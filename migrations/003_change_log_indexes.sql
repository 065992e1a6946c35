-- Up Migration

-- Resuming subscribers read the log filtered by owner (a user's bookings) or by one entity;
-- without these they would scan every change since their cursor.
CREATE INDEX change_log_by_owner ON change_log (owner_id, tx, seq) WHERE owner_id IS NOT NULL;
CREATE INDEX change_log_by_entity ON change_log (entity, entity_id, tx, seq);

-- Down Migration
DROP INDEX change_log_by_entity;
DROP INDEX change_log_by_owner;
