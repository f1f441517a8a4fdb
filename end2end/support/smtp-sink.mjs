// A real SMTP server for the end-to-end tests. It accepts every message the portal sends on
// SMTP_SINK_PORT and serves what it received as JSON on SMTP_SINK_HTTP_PORT:
//   GET /messages?to=ADDRESS  → [{ to, subject, text, html, receivedAt }], oldest first
//   GET /stats                → { total, recipients } (messages, distinct recipients)
//   POST /refuse?to=ADDRESS   → from now on answers 550 to that recipient (a mailbox that is gone)
//   POST /accept?to=ADDRESS   → and takes its mail again
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import http from 'node:http';

const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 2525);
const httpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? 2580);
const messages = [];
const refused = new Set();

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, session, callback) {
    if (refused.has(address.address.toLowerCase())) {
      const error = new Error('5.1.1 Mailbox unavailable');
      error.responseCode = 550;
      callback(error);
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((parsed) => {
        for (const rcpt of session.envelope.rcptTo) {
          messages.push({
            to: rcpt.address.toLowerCase(),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          });
        }
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1', () => console.log(`SMTP sink on 127.0.0.1:${smtpPort}`));

http
  .createServer((req, res) => {
    const url = new URL(req.url, `http://127.0.0.1:${httpPort}`);
    if (url.pathname === '/health') {
      res.end('ok');
      return;
    }
    if (url.pathname === '/stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ total: messages.length, recipients: new Set(messages.map((m) => m.to)).size }));
      return;
    }
    if (req.method === 'POST' && (url.pathname === '/refuse' || url.pathname === '/accept')) {
      const to = url.searchParams.get('to')?.toLowerCase() ?? '';
      if (url.pathname === '/refuse') refused.add(to);
      else refused.delete(to);
      res.end('ok');
      return;
    }
    if (url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      const found = to ? messages.filter((m) => m.to === to) : messages;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(found));
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  })
  .listen(httpPort, '127.0.0.1', () => console.log(`SMTP sink API on 127.0.0.1:${httpPort}`));
