// The soak's fake Fingerprint: plain Node on loopback. Answers like Fingerprint (a 36 KB agent, JSON for
// identification, small browser-cache answers) unless the request's query asks for a fault, which the
// proxy forwards verbatim: fault=reset cuts the connection, fault=slow answers after 3 s (past the proxy's
// response timeout in the soak), fault=5xx answers 503.
import http from 'node:http';

const port = Number(process.argv[2] ?? 18090);
const agent = Buffer.alloc(36864, 'var a=1;');
const identification = Buffer.from(JSON.stringify({ v: '2', requestId: '1700000000000.abcdef', products: { identification: { data: { visitorId: 'x'.repeat(20) } } } }));

const server = http.createServer((req, res) => {
  const fault = /[?&]fault=([a-z0-9]+)/.exec(req.url ?? '')?.[1];
  req.on('data', () => {});
  req.on('end', () => {
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    const answer = () => {
      if (fault === '5xx') {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      } else if (req.url.startsWith('/web/')) {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=7200', 'strict-transport-security': 'max-age=1' }).end(agent);
      } else if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['_iidt=abc; Domain=fpjs.io; Path=/; Secure', 'other=1'] }).end(identification);
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=31536000, immutable, private' }).end('ok');
      }
    };
    if (fault === 'slow') {
      setTimeout(answer, 3000);
    } else {
      answer();
    }
  });
});
server.keepAliveTimeout = 65000;
server.listen(port, '127.0.0.1');
