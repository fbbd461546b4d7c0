import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { JOB_QUEUES } from '../jobs/job-names';
import { JobQueue } from '../jobs/job-queue.service';
import { EmailMessage } from './email-message.entity';
import { EmailRenderer } from './email-renderer';
import { MailTransport } from './mail-transport';

export interface EmailRequest {
  to: string;
  /** Folder under templates/email/. */
  template: string;
  /** The recipient's language (BCP 47); the fallback language is used when no template speaks it. */
  locale?: string | null;
  context: Record<string, unknown>;
}

/** E-mail through the outbox: recorded and enqueued in the caller's transaction, sent by a job with retries. */
@Injectable()
export class MailService implements OnApplicationBootstrap {
  private readonly logger = new Logger(MailService.name);

  constructor(
    @InjectRepository(EmailMessage) private readonly messages: Repository<EmailMessage>,
    private readonly renderer: EmailRenderer,
    private readonly transport: MailTransport,
    private readonly jobs: JobQueue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.work('email.send', ({ messageId }) => this.deliver(messageId));
  }

  /** Records the message and enqueues its delivery in `manager`'s transaction. */
  async enqueue(manager: EntityManager, request: EmailRequest): Promise<EmailMessage> {
    const language = this.renderer.languageFor(request.template, request.locale);
    // Render now so that a broken template fails the change that asked for it, not a job later.
    this.renderer.render(request.template, language, request.context);
    const message = await manager.getRepository(EmailMessage).save(
      manager.getRepository(EmailMessage).create({
        recipient: request.to,
        template: request.template,
        language,
        context: request.context,
      }),
    );
    await this.jobs.send('email.send', { messageId: message.id }, { manager });
    return message;
  }

  /** The job: sends once; a message already sent is not sent again. */
  async deliver(messageId: string): Promise<void> {
    const message = await this.messages.findOneBy({ id: messageId });
    if (!message || message.status === 'sent' || !message.context) return;
    const email = this.renderer.render(message.template, message.language, message.context);
    const attempt = message.attempts + 1;
    await this.messages.update({ id: messageId }, { attempts: attempt });
    try {
      const transportMessageId = await this.transport.send(message.id, message.recipient, email);
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
}
