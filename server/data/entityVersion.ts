/**
 * The entity's version as the change log counts it (migrations/006: entity_versions), 0 before its
 * first change; a select-list item for the row `alias` of `entity`. Read after the write that
 * counted it: a RETURNING clause runs before the triggers that count.
 */
export const entityVersionSql = (entity: 'book' | 'booking', alias: string) =>
  `coalesce((SELECT v.version FROM entity_versions v
             WHERE v.entity = '${entity}' AND v.entity_id = ${alias}.id), 0)::int AS version`;
