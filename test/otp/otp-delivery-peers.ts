import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message as the server received it (headers and body). */
  raw: string;
  /** The `Subject` header, unfolded and with RFC 2047 encoded words decoded. */
  subject: string;
  /** The text body, decoded from quoted-printable or base64 as UTF-8. */
  text: string;
}

export interface ReceivedSms {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** Quoted-printable to bytes (soft line breaks removed). */
function quotedPrintableBytes(text: string): Buffer {
  const bytes: number[] = [];
  const unwrapped = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < unwrapped.length; i += 1) {
    const hex = /^=([0-9A-F]{2})/i.exec(unwrapped.slice(i, i + 3));
    if (hex) {
      bytes.push(parseInt(hex[1] ?? '', 16));
      i += 2;
    } else bytes.push(...Buffer.from(unwrapped[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes);
}

/**
 * Decodes a single-part message's body: nodemailer sends short ASCII text as 7bit or
 * quoted-printable, and mostly non-ASCII text (Chinese) as base64.
 */
function textBody(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*quoted-printable/i.test(headers))
    return quotedPrintableBytes(body).toString('utf8');
  if (/content-transfer-encoding:\s*base64/i.test(headers))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/**
 * The `Subject` header, unfolded, with RFC 2047 encoded words decoded. Adjacent words are joined
 * as bytes before decoding, since a long subject may be split inside a character's bytes.
 */
function subjectOf(raw: string): string {
  const headers = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const value = /^Subject: (.*?)\r?$/im.exec(headers)?.[1] ?? '';
  const word = /=\?[^?]+\?[BQ]\?[^?]*\?=/.source;
  return value.replace(new RegExp(`${word}(?:\\s+${word})*`, 'gi'), (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BQ])\?([^?]*)\?=/gi)].map(([, encoding, data]) =>
      encoding?.toUpperCase() === 'B'
        ? Buffer.from(data ?? '', 'base64')
        : quotedPrintableBytes((data ?? '').replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

/** A real SMTP server on loopback that keeps every message it receives. */
export async function startSmtpReceiver(): Promise<{
  url: string;
  mails: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          subject: subjectOf(raw),
          text: textBody(raw),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback HTTP receiver standing in for an SMS gateway. */
export async function startSmsReceiver(): Promise<{
  url: string;
  received: ReceivedSms[];
  close: () => Promise<void>;
}> {
  const received: ReceivedSms[] = [];
  const server: Server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms/send`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and only greets after `delayMs`, like a stalled MTA. */
export async function startSlowSmtpServer(delayMs: number): Promise<{
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const timer = setTimeout(() => socket.write('220 slow.test ESMTP\r\n'), delayMs);
    socket.on('close', () => clearTimeout(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `probe` returns a value (deliveries run in the background). */
export async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
