/**
 * A small SMTP client for alert e-mails (no dependency): EHLO, STARTTLS when the server offers
 * it (smtp://) or TLS from the start (smtps://), AUTH PLAIN when the URL has credentials, one
 * message per connection. URL: smtp[s]://[user:password@]host[:port].
 */
import net from 'node:net';
import tls from 'node:tls';

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

class Lines {
  private buf = '';
  private waiters: ((line: string) => void)[] = [];
  private queue: string[] = [];
  private failed: Error | null = null;
  constructor(private socket: net.Socket) {
    this.attach(socket);
  }
  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let i = this.buf.indexOf('\r\n');
      while (i >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.queue.push(line);
        i = this.buf.indexOf('\r\n');
      }
    });
    socket.on('error', (e) => {
      this.failed = e;
    });
  }
  next(): Promise<string> {
    const q = this.queue.shift();
    if (q !== undefined) return Promise.resolve(q);
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiters.push(resolve);
      this.socket.once('error', reject);
      this.socket.once('close', () => reject(new Error('SMTP connection closed')));
    });
  }
  /** A whole (possibly multi-line) reply: code and lines. */
  async reply(): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.next();
      lines.push(l.slice(4));
      if (l[3] !== '-') return { code: Number(l.slice(0, 3)), lines };
    }
  }
}

export async function sendMail(url: string, mail: Mail, timeoutMs = 15_000): Promise<void> {
  const u = new URL(url);
  const implicitTls = u.protocol === 'smtps:';
  const port = Number(u.port || (implicitTls ? 465 : 25));
  let socket: net.Socket = implicitTls
    ? tls.connect({ host: u.hostname, port, servername: u.hostname })
    : net.connect({ host: u.hostname, port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error('SMTP timeout')));
  const lines = new Lines(socket);
  const expect = async (ok: number) => {
    const r = await lines.reply();
    if (Math.floor(r.code / 100) !== Math.floor(ok / 100))
      throw new Error(`SMTP ${r.code} ${r.lines.join(' ')}`);
    return r;
  };
  const cmd = async (line: string, ok: number) => {
    socket.write(`${line}\r\n`);
    return expect(ok);
  };
  try {
    await expect(220);
    let ehlo = await cmd('EHLO licstat', 250);
    if (!implicitTls && ehlo.lines.some((l) => /^STARTTLS/i.test(l))) {
      await cmd('STARTTLS', 220);
      socket = tls.connect({ socket, servername: u.hostname });
      lines.attach(socket);
      ehlo = await cmd('EHLO licstat', 250);
    }
    if (u.username) {
      const token = Buffer.from(
        `\0${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`,
      ).toString('base64');
      await cmd(`AUTH PLAIN ${token}`, 235);
    }
    await cmd(`MAIL FROM:<${mail.from}>`, 250);
    for (const to of mail.to) await cmd(`RCPT TO:<${to}>`, 250);
    await cmd('DATA', 354);
    const body = [
      `From: ${mail.from}`,
      `To: ${mail.to.join(', ')}`,
      `Subject: ${mail.subject.replace(/[\r\n]+/g, ' ')}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      ...mail.text.split(/\r?\n/).map((l) => (l.startsWith('.') ? `.${l}` : l)),
    ].join('\r\n');
    await cmd(`${body}\r\n.`, 250);
    socket.write('QUIT\r\n');
  } finally {
    socket.end();
  }
}
