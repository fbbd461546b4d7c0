import { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerSession } from 'smtp-server';

/** One message as the sink received it: the envelope's recipients, its Message-ID, and the raw bytes when kept. */
export interface SunkMessage {
  to: string[];
  messageId: string;
  raw?: Buffer;
}

export interface SmtpSinkOptions {
  /** Keep each message's bytes (for parsing in tests); the bench only counts. */
  keepRaw?: boolean;
  /** Recipients refused at RCPT TO with this SMTP reply code (4xx: try later; 5xx: never). */
  refuse?: Map<string, number>;
  /**
   * Called once a message has been read in full, before the sink answers it. A promise that does not resolve keeps
   * the sender waiting for the reply: the message is here, but the sender cannot know it.
   */
  beforeReply?: (message: SunkMessage) => Promise<void> | void;
}

/** An in-process SMTP server that accepts (or refuses, as told) everything, for the alert tests and the fan-out bench. */
export class SmtpSink {
  readonly received: SunkMessage[] = [];
  port = 0;
  private server: SMTPServer;

  private constructor(private readonly options: SmtpSinkOptions) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options);
    await sink.listen();
    return sink;
  }

  /** The SMTP_URL of the sink, with pool settings (maxConnections, maxMessages) as query parameters. */
  url(pool: Record<string, number> = {}): string {
    const url = new URL(`smtp://127.0.0.1:${this.port}`);
    for (const [key, value] of Object.entries(pool)) url.searchParams.set(key, String(value));
    return url.toString();
  }

  /** Distinct Message-IDs per recipient. */
  byRecipient(): Map<string, SunkMessage[]> {
    const map = new Map<string, SunkMessage[]>();
    for (const message of this.received) {
      for (const to of message.to) map.set(to, [...(map.get(to) ?? []), message]);
    }
    return map;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async listen(): Promise<void> {
    const { refuse, keepRaw, beforeReply } = this.options;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 100,
      size: 1024 * 1024,
      onRcptTo: (address, _session, callback) => {
        const code = refuse?.get(address.address.toLowerCase());
        if (!code) return callback();
        const error = Object.assign(new Error(code < 500 ? 'Mailbox busy, try again later' : 'No such mailbox'), { responseCode: code });
        callback(error);
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          // The header block is the text before the first empty line; Message-ID is one of its lines.
          const headerEnd = raw.indexOf('\r\n\r\n');
          const headers = raw.subarray(0, headerEnd === -1 ? raw.length : headerEnd).toString('latin1');
          const messageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(headers)?.[1] ?? '';
          const message: SunkMessage = {
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            messageId,
            ...(keepRaw ? { raw } : {}),
          };
          this.received.push(message);
          Promise.resolve(beforeReply?.(message)).then(() => callback(), callback);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }
}
