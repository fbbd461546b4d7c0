import { chainCanonical, ChainedContent } from './audit-chain';

/** Stands for a value the statement fills in: a string no real value makes (it holds control characters). */
const placeholder = (name: string) => `\u0001${name}\u0001`;
/** The placeholder as it stands in the canonical JSON text. */
const marker = (name: string) => JSON.stringify(placeholder(name));

/** SQL expressions over the row a statement changed, each of type text: who the entry is about. */
export interface AuditRowSubject {
  entityId: string;
  missionCode: string;
  /** The details taken from the row, by key (the keys named when the entry was made). */
  details: Record<string, string>;
}

/**
 * An audit entry queued by the very statement that makes the change, for a statement that picks its row itself
 * (claim-next takes whichever application is next): the entity, its mission and some details are known only to the
 * statement. The entry is made as usual (`AuditService.forRow`) with markers in those places; `insert` is the
 * `INSERT INTO audit_pending` (a data-modifying CTE's body) that puts the row's values in their place, in the stored
 * columns and in the canonical text the chain hashes, so that verification, which rebuilds that text from the
 * columns, finds the same. The filled values are JSON-encoded by the database as `JSON.stringify` encodes them. The
 * chain's sealer takes it from there, as for any other entry.
 */
export class RowAudit {
  private readonly canonical: string;

  constructor(
    private readonly content: Omit<ChainedContent, 'entityId' | 'missionCode'>,
    private readonly rowDetails: readonly string[],
  ) {
    const details = { ...content.details, ...Object.fromEntries(rowDetails.map((key) => [key, placeholder(`details.${key}`)])) };
    this.canonical = chainCanonical({ ...content, details, entityId: placeholder('entityId'), missionCode: placeholder('missionCode') });
  }

  /** `INSERT INTO audit_pending … SELECT … FROM <from>` for `subject` (expressions over `from`), its parameters pushed onto `params`. */
  insert(params: unknown[], from: string, subject: AuditRowSubject): string {
    if (Object.keys(subject.details).sort().join() !== [...this.rowDetails].sort().join()) {
      throw new Error(`RowAudit: the statement fills details ${Object.keys(subject.details).join()}, the entry expects ${this.rowDetails.join()}`);
    }
    const param = (value: unknown, type = 'text') => `$${params.push(value)}::${type}`;
    const { content } = this;
    const fills: [string, string][] = [
      [marker('entityId'), subject.entityId],
      [marker('missionCode'), subject.missionCode],
      ...this.rowDetails.map((key): [string, string] => [marker(`details.${key}`), subject.details[key]]),
    ];
    const canonical = fills.reduce((text, [mark, value]) => `replace(${text}, ${param(mark)}, to_json((${value})::text)::text)`, param(this.canonical));
    const rowDetails = this.rowDetails.map((key) => `${param(key)}, (${subject.details[key]})::text`).join(', ');
    return `INSERT INTO audit_pending (occurred_at, actor_id, actor_role, action, entity_type, entity_id, mission_code, ip, request_id, details, canonical)
      SELECT ${param(content.occurredAt, 'timestamptz')}, ${param(content.actorId, 'uuid')}, ${param(content.actorRole)}, ${param(content.action)},
             ${param(content.entityType)}, (${subject.entityId})::text, (${subject.missionCode})::text, ${param(content.ip)}, ${param(content.requestId)},
             ${param(JSON.stringify(content.details), 'jsonb')} || jsonb_build_object(${rowDetails}), ${canonical}
        FROM ${from}`;
  }
}
