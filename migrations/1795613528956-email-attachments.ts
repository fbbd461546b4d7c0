import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail attachments by reference ({ kind, id }, e.g. an issued e-visa): the bytes stay where their module keeps
 * them and are loaded when the message is sent, so no file is stored twice.
 */
export class EmailAttachments1795613528956 implements MigrationInterface {
  name = 'EmailAttachments1795613528956';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE email_messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(attachments) = 'array')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE email_messages DROP COLUMN attachments`);
  }
}
