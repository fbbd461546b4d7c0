import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { JOB_QUEUES } from '../jobs/job-names';
import { JobQueue } from '../jobs/job-queue.service';
import { EmailMessage } from './email-message.entity';
import { BulkEmail, EmailRenderer, RenderedEmail } from './email-renderer';
import { MailTransport } from './mail-transport';

export interface EmailRequest {
  to: string;
  /** Folder under templates/email/. */
  template: string;
  /** The recipient's language (BCP 47); the fallback language is used when no template speaks it. */
  locale?: string | null;
  context: Record<string, unknown>;
  /** Files to attach, by reference: the bytes are loaded when the message is sent, so no file is stored twice. */
  attachments?: EmailAttachmentRef[];
}

/** A file another module keeps (an issued e-visa), named by the kind its module registered and its id. */
export interface EmailAttachmentRef {
  kind: string;
  id: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** Loads the file an attachment reference names; null when it is gone. */
export type EmailAttachmentSource = (id: string) => Promise<EmailAttachment | null>;

/** E-mail through the outbox: recorded and enqueued in the caller's transaction, sent by a job with retries. */
@Injectable()
export class MailService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailService.name);
  private readonly attachmentSources = new Map<string, EmailAttachmentSource>();

  constructor(
    @InjectRepository(EmailMessage) private readonly messages: Repository<EmailMessage>,
    private readonly renderer: EmailRenderer,
    private readonly transport: MailTransport,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('email.send', ({ messageId }) => this.deliver(messageId));
  }

  /** A module that e-mails its files registers, at start-up, how to load them. */
  registerAttachmentSource(kind: string, source: EmailAttachmentSource): void {
    if (this.attachmentSources.has(kind)) throw new Error(`E-mail attachments of kind ${kind} already have a source`);
    this.attachmentSources.set(kind, source);
  }

  /** Records the message and enqueues its delivery in `manager`'s transaction. */
  async enqueue(manager: EntityManager, request: EmailRequest): Promise<EmailMessage> {
    const language = this.renderer.languageFor(request.template, request.locale);
    // Render now so that a broken template fails the change that asked for it, not a job later.
    this.renderer.render(request.template, language, request.context);
    const attachments = request.attachments ?? [];
    const unknown = attachments.find((attachment) => !this.attachmentSources.has(attachment.kind));
    if (unknown) throw new Error(`E-mail attachments of kind ${unknown.kind} have no registered source`);
    const message = await manager.getRepository(EmailMessage).save(
      manager.getRepository(EmailMessage).create({
        recipient: request.to,
        template: request.template,
        language,
        context: request.context,
        attachments,
      }),
    );
    await this.jobs.send('email.send', { messageId: message.id }, { manager });
    return message;
  }

  /**
   * The bulk path, for one message to very many people (an emergency alert): the template is rendered once per
   * language here, each person's message is filled in from it, and the caller records what was sent itself (no
   * email_messages row per person).
   */
  bulkTemplate(template: string, language: string, context: Record<string, unknown>, personalFields: string[]): BulkEmail {
    return this.renderer.bulk(template, language, context, personalFields);
  }

  /** Sends one message of a bulk send now, through the pooled transport, with `<messageId@host>` as its Message-ID. */
  sendNow(messageId: string, to: string, email: RenderedEmail): Promise<string> {
    return this.transport.send(messageId, to, email);
  }

  /** How many messages the bulk path should have on the wire at once: the transport's pool size. */
  get bulkConcurrency(): number {
    return this.transport.concurrency;
  }

  /** The job: sends once; a message already sent is not sent again. */
  async deliver(messageId: string): Promise<void> {
    const message = await this.messages.findOneBy({ id: messageId });
    if (!message || message.status === 'sent' || !message.context) return;
    const email = this.renderer.render(message.template, message.language, message.context);
    const attempt = message.attempts + 1;
    await this.messages.update({ id: messageId }, { attempts: attempt });
    try {
      const attachments = await Promise.all(message.attachments.map((attachment) => this.loadAttachment(attachment)));
      const transportMessageId = await this.transport.send(message.id, message.recipient, email, attachments);
      await this.messages.update(
        { id: messageId },
        { status: 'sent', sentAt: new Date(), subject: email.subject, transportMessageId, context: null, lastError: null },
      );
    } catch (error) {
      // The last attempt the queue will make: record the message as failed for staff to see.
      const status = attempt > JOB_QUEUES['email.send'].retryLimit ? 'failed' : 'queued';
      await this.messages.update({ id: messageId }, { status, lastError: String((error as Error).message).slice(0, 500) });
      this.logger.warn({ messageId, err: (error as Error).message }, 'E-mail delivery failed; it will be retried');
      throw error;
    }
  }

  private async loadAttachment(reference: EmailAttachmentRef): Promise<EmailAttachment> {
    const source = this.attachmentSources.get(reference.kind);
    const attachment = source && (await source(reference.id));
    if (!attachment) throw new Error(`E-mail attachment ${reference.kind} ${reference.id} cannot be loaded`);
    return attachment;
  }
}
