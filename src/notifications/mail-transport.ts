import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { RenderedEmail } from './email-renderer';
import type { EmailAttachment } from './mail.service';

/** Sends through a pooled SMTP connection, or writes .eml files under DATA_DIR/mail when SMTP_URL is unset. */
@Injectable()
export class MailTransport implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private transporter: Transporter;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    const { smtpUrl, outboxDir } = this.config.mail;
    if (smtpUrl) {
      const url = new URL(smtpUrl);
      if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
      this.transporter = createTransport(url.toString());
    } else {
      mkdirSync(outboxDir, { recursive: true });
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.logger.log(`SMTP_URL is unset: e-mails are written as .eml files to ${outboxDir}`);
    }
  }

  /** Returns the transport's message id. Throws when the message was not accepted. */
  async send(messageId: string, to: string, email: RenderedEmail, attachments: EmailAttachment[] = []): Promise<string> {
    const info = await this.transporter.sendMail({
      from: this.config.mail.from,
      to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: attachments.map(({ filename, contentType, content }) => ({ filename, contentType, content })),
      messageId: `<${messageId}@${new URL(this.config.publicBaseUrl).hostname}>`,
    });
    if (!this.config.mail.smtpUrl) {
      writeFileSync(join(this.config.mail.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId}.eml`), info.message as Buffer);
    }
    return info.messageId;
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
