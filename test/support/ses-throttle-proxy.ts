import http from 'node:http';

/**
 * A pass-through proxy in front of the SES emulator that can answer the next N SendEmail requests
 * the way SES does when the account's maximum send rate is exceeded (HTTP 429,
 * TooManyRequestsException), to prove that throttled emails are neither lost nor sent twice.
 * Control: `POST /__throttle {count}` arms it, `GET /__throttle` says how many were refused.
 * `POST /__outage {down}` makes every SendEmail fail as SES does when it is unavailable (HTTP 503,
 * ServiceUnavailable), however often retried, until it is set back.
 */
export interface ThrottleProxy {
  url: string;
  stop(): Promise<void>;
}

export async function startThrottleProxy(target: string, port: number): Promise<ThrottleProxy> {
  const upstream = new URL(target);
  let remaining = 0;
  let throttled = 0;
  let down = false;
  let refusedInOutage = 0;

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      if (request.url === '/__throttle') {
        if (request.method === 'POST') {
          const { count } = JSON.parse(body.toString('utf8') || '{}') as { count?: number };
          remaining = count ?? 0;
          throttled = 0;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ remaining, throttled }));
      }
      if (request.url === '/__outage') {
        if (request.method === 'POST') {
          down = Boolean((JSON.parse(body.toString('utf8') || '{}') as { down?: boolean }).down);
          refusedInOutage = 0;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ down, refused: refusedInOutage }));
      }
      const isSend = request.method === 'POST' && request.url?.startsWith('/v2/email/outbound-emails');
      if (isSend && down) {
        refusedInOutage += 1;
        response.writeHead(503, { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceUnavailable' });
        return void response.end(JSON.stringify({ message: 'Service unavailable.' }));
      }
      if (isSend && remaining > 0) {
        remaining -= 1;
        throttled += 1;
        response.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
        return void response.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      }
      const forwarded = http.request(
        { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forwarded.on('error', () => {
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
