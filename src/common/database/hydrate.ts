import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a row a raw statement returned (keys are column names, as `RETURNING *` or `row_to_json` give
 * them), with each value converted as TypeORM converts the values of its own queries. For statements that change a
 * row and return it, so the caller does not read it again.
 */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    column.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}
