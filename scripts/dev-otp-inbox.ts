/**
 * A development stand-in for a mail server and an SMS gateway (`npm run dev:inbox`): a loopback
 * SMTP server and an HTTP endpoint for `SMS_WEBHOOK_URL` that keep the one-time codes Tessera
 * sends, so the README's examples (and a developer without a mail server) can read them:
 *
 *   SMTP_URL=smtp://127.0.0.1:2525  SMS_WEBHOOK_URL=http://127.0.0.1:2580/sms
 *   GET http://localhost:2580/codes/<email or E.164 number>  →  {"target","channel","code","usage"}
 *
 * A GET answers the newest code sent to that target since the previous GET, waiting up to 10 s for
 * one (delivery runs in the background, after `/otp/send` has answered), then 404. It listens on
 * 127.0.0.1 only and keeps nothing on disk; it is not for production, where codes reach people.
 * Ports: INBOX_SMTP_PORT (2525) and INBOX_HTTP_PORT (2580).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { SMTPServer } from 'smtp-server';

interface ReceivedCode {
  target: string;
  channel: 'email' | 'sms';
  code: string;
  usage?: string;
  received_at: string;
}

const LOOPBACK = '127.0.0.1';
const WAIT_FOR_CODE_MS = 10_000;
const POLL_INTERVAL_MS = 100;
const MAX_BODY_BYTES = 64 * 1024;

const smtpPort = Number(process.env.INBOX_SMTP_PORT ?? 2525);
const httpPort = Number(process.env.INBOX_HTTP_PORT ?? 2580);

/** The newest unread code per lower-cased target. */
const unread = new Map<string, ReceivedCode>();

function keep(received: Omit<ReceivedCode, 'received_at'>): void {
  const target = received.target.toLowerCase();
  unread.set(target, { ...received, target, received_at: new Date().toISOString() });
  console.log(`inbox: ${received.channel} code for ${target}`);
}

/** The six-digit code in a plain-text mail, whatever transfer encoding nodemailer chose. */
export function codeInMail(rawMessage: string): string | undefined {
  const separator = rawMessage.search(/\r?\n\r?\n/);
  const headers = separator < 0 ? '' : rawMessage.slice(0, separator);
  let body = separator < 0 ? rawMessage : rawMessage.slice(separator).trim();
  const encoding = /^content-transfer-encoding:\s*([\w-]+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return /(?<!\d)(\d{6})(?!\d)/.exec(body)?.[1];
}

const smtp = new SMTPServer({
  disabledCommands: ['STARTTLS', 'AUTH'],
  authOptional: true,
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const code = codeInMail(Buffer.concat(chunks).toString('utf8'));
      if (code) {
        for (const recipient of session.envelope.rcptTo) {
          keep({ target: recipient.address, channel: 'email', code });
        }
      }
      callback();
    });
  },
});

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

async function takeCode(target: string): Promise<ReceivedCode | undefined> {
  const deadline = Date.now() + WAIT_FOR_CODE_MS;
  for (;;) {
    const received = unread.get(target);
    if (received) {
      unread.delete(target);
      return received;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

const http = createServer((request, response) => {
  const path = new URL(request.url ?? '/', 'http://inbox').pathname;
  if (request.method === 'POST' && path === '/sms') {
    readJson(request)
      .then((sms) => {
        if (typeof sms.phone_number !== 'string' || typeof sms.code !== 'string') {
          answer(response, 400, { error: 'phone_number and code are required' });
          return;
        }
        keep({
          target: sms.phone_number,
          channel: 'sms',
          code: sms.code,
          usage: typeof sms.usage === 'string' ? sms.usage : undefined,
        });
        answer(response, 200, { accepted: true });
      })
      .catch(() => answer(response, 400, { error: 'a JSON body is required' }));
    return;
  }
  if (request.method === 'GET' && path === '/health') {
    answer(response, 200, { status: 'ok' });
    return;
  }
  const codes = /^\/codes\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && codes) {
    const target = decodeURIComponent(codes[1]).toLowerCase();
    void takeCode(target).then((received) =>
      received
        ? answer(response, 200, received)
        : answer(response, 404, { error: `no code for ${target} within 10 s` }),
    );
    return;
  }
  answer(response, 404, { error: 'POST /sms, GET /codes/<target> or GET /health' });
});

if (require.main === module) {
  smtp.listen(smtpPort, LOOPBACK, () => {
    http.listen(httpPort, LOOPBACK, () => {
      console.log(
        `inbox: SMTP_URL=smtp://127.0.0.1:${smtpPort} SMS_WEBHOOK_URL=http://127.0.0.1:${httpPort}/sms; ` +
          `codes at http://localhost:${httpPort}/codes/<target>`,
      );
    });
  });
  const stop = (): void => {
    http.close();
    smtp.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
