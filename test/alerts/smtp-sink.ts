/**
 * An SMTP server on 127.0.0.1 for tests (smtp-server, the receiving side of nodemailer's project):
 * keeps every message, parsed by mailparser, or refuses them with a temporary 451 while told to.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  from: string;
  to: string[];
  mail: ParsedMail;
}

export async function startSmtpSink() {
  const mails: SunkMail[] = [];
  let refusing = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, cb) {
      if (refusing) cb(Object.assign(new Error('try again later'), { responseCode: 451 }));
      else cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        const from = session.envelope.mailFrom;
        mails.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          mail,
        });
        cb();
      }, cb);
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** answer MAIL FROM with 451 (a temporary failure) while on */
    refuse(on: boolean) {
      refusing = on;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
