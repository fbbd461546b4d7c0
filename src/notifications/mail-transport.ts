import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/app-config';
import { RenderedEmail } from './email-renderer';
import type { EmailAttachment } from './mail.service';

/** nodemailer's pool size when SMTP_URL names none (`?maxConnections=`). */
const DEFAULT_MAX_CONNECTIONS = 5;

/** The transport settings for an SMTP URL: pooled unless it says otherwise; its query sets the pool (maxConnections, maxMessages). */
export function pooledSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return url.toString();
}

/** An SMTP 5xx reply (a refused recipient, a rejected message): permanent, sending it again will not help. */
export function isPermanentRejection(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Sends through a pooled SMTP connection, or writes .eml files under DATA_DIR/mail when SMTP_URL is unset. */
@Injectable()
export class MailTransport implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private transporter: Transporter;
  /** How many messages can be on the wire at once (the pool's connections); bulk senders hand over no more. */
  concurrency = 1;

  constructor(private readonly config: AppConfig) {}

  onModuleInit(): void {
    const { smtpUrl, outboxDir } = this.config.mail;
    if (smtpUrl) {
      const url = pooledSmtpUrl(smtpUrl);
      const pooled = new URL(url).searchParams;
      this.concurrency = pooled.get('pool') === 'true' ? Number(pooled.get('maxConnections') ?? DEFAULT_MAX_CONNECTIONS) || DEFAULT_MAX_CONNECTIONS : 1;
      this.transporter = createTransport(url);
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
