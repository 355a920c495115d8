import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny k-anonymity range API (the shape of api.pwnedpasswords.com/range/{prefix}): knows a few leaked
 * passwords, pads every answer with decoys, and records every path it was asked for so a test can prove
 * that only five hex characters left the machine.
 */
export async function startRangeServer(leaked: Record<string, number>): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const byPrefix = new Map<string, string[]>();
  for (const [pw, count] of Object.entries(leaked)) {
    const h = createHash('sha1').update(pw, 'utf8').digest('hex').toUpperCase();
    byPrefix.set(h.slice(0, 5), [...(byPrefix.get(h.slice(0, 5)) ?? []), `${h.slice(5)}:${count}`]);
  }
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(400).end('The hash prefix was not in a valid format');
      return;
    }
    const lines = [...(byPrefix.get(m[1]!) ?? []), '0000000000000000000000000000000000A:0', 'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0'];
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/range/`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
