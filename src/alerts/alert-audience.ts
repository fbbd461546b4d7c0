import { audienceCondition, SqlRunner } from '../registrations/registration-audience';
import type { Alert } from './alert.entity';

type AudienceColumns = Pick<Alert, 'missionCode' | 'area' | 'supersedesId'>;

/**
 * The people an alert reaches, as an SQL SELECT of `registration_id, user_id, family_count` with its values appended
 * to `params`: the mission's active registrations in the alert's area and, for an alert that supersedes another,
 * everyone the first one reached whose account has no active registration in the area now (so nobody appears twice).
 * For set-based callers: materialisation (`INSERT … SELECT … FROM (<this>) audience`) and the audience count.
 */
export function alertAudienceSelect(alert: AudienceColumns, params: unknown[]): string {
  const inArea = `SELECT r.id AS registration_id, r.owner_id AS user_id, r.family_count
                    FROM registrations r WHERE ${audienceCondition(alert.missionCode, alert.area, params, 'r')}`;
  if (!alert.supersedesId) return inArea;
  const previous = `$${params.push(alert.supersedesId)}::uuid`;
  const stillInArea = audienceCondition(alert.missionCode, alert.area, params, 'now_in');
  return `${inArea}
    UNION ALL
    SELECT ar.registration_id, ar.user_id, reached.family_count
      FROM alert_recipients ar JOIN registrations reached ON reached.id = ar.registration_id
     WHERE ar.alert_id = ${previous}
       AND NOT EXISTS (SELECT 1 FROM registrations now_in WHERE now_in.owner_id = ar.user_id AND ${stillInArea})`;
}

/** Who an alert would reach now: the people messaged, and the family members with them. */
export async function countAlertAudience(runner: SqlRunner, alert: AudienceColumns): Promise<{ count: number; familyMembers: number }> {
  const params: unknown[] = [];
  const [row] = (await runner.query(
    `SELECT count(*)::int AS count, coalesce(sum(family_count), 0)::int AS "familyMembers" FROM (${alertAudienceSelect(alert, params)}) audience`,
    params,
  )) as { count: number; familyMembers: number }[];
  return row;
}
