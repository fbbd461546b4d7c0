import { ParsedMail, simpleParser } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

/** A real SMTP server in the test process: what the portal sends arrives here. */
export class Mailbox {
  readonly messages: ReceivedMail[] = [];
  private server: SMTPServer;
  private waiters: (() => void)[] = [];
  port = 0;

  static async start(port = 0): Promise<Mailbox> {
    const mailbox = new Mailbox();
    await mailbox.listen(port);
    return mailbox;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async listen(port = this.port): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // stop() cuts the portal's pooled connections after 0.1 s instead of waiting 30 s for them to quit.
      closeTimeout: 100,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = [parsed.to].flat().flatMap((a) => (a ? a.value.map((v) => v.address ?? '') : []));
            this.messages.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '', html: typeof parsed.html === 'string' ? parsed.html : '', parsed });
            this.waiters.splice(0).forEach((wake) => wake());
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections (to test retries); `listen()` brings it back on the same port. */
  async stop(): Promise<void> {
    if (!this.server.server.listening) return;
    // Resolves once every connection has ended, so the portal's next attempt finds the port closed.
    const closed = new Promise<void>((resolve) => this.server.server.once('close', () => resolve()));
    this.server.close();
    await closed;
  }

  /** Waits for a message to this address matching the predicate. */
  async waitFor(to: string, predicate: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 20_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.to.includes(to.toLowerCase()) && predicate(m));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No e-mail to ${to} within ${timeoutMs} ms (have: ${this.messages.map((m) => `${m.to}:${m.subject}`).join(', ')})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.to.includes(address.toLowerCase()));
  }
}

/** The first link in a message's text that contains `path`, and its token parameter. */
export function linkIn(mail: ReceivedMail, path: string): { url: URL; token: string } {
  const match = mail.text.match(/https?:\/\/\S+/g)?.find((link) => link.includes(path));
  if (!match) throw new Error(`No link containing ${path} in: ${mail.text}`);
  const url = new URL(match);
  return { url, token: url.searchParams.get('token') ?? '' };
}
