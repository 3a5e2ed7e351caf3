import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { sendCsv } from '../../src/server/csv.ts';
import { parseCsv } from './fixtures.ts';

describe('CSV streaming', () => {
  it('streams rows from an async iterable, pulling them only as the reply is consumed', async () => {
    const app = Fastify();
    let produced = 0;
    const N = 50_000;
    app.get('/x.csv', (_req, reply) => {
      async function* rows() {
        for (let i = 0; i < N; i++) {
          produced++;
          yield [i, `name, "quoted" ${i}`, i % 2 ? '=cmd' : 'line\nbreak'];
        }
      }
      return sendCsv(reply, { filename: 'x y.csv', header: ['N', 'Name', 'Other'], rows: rows() });
    });
    const r = await app.inject({ url: '/x.csv' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="x_y.csv"');
    expect(produced).toBe(N);
    const rows = parseCsv(r.body);
    expect(rows).toHaveLength(N + 1);
    expect(rows[0]).toEqual(['N', 'Name', 'Other']);
    expect(rows[1]).toEqual(['0', 'name, "quoted" 0', 'line\nbreak']);
    expect(rows[2]).toEqual(['1', 'name, "quoted" 1', "'=cmd"]);
    expect(r.body.endsWith('\r\n')).toBe(true);
    await app.close();
  });

  it('a slow reader holds back the producer (backpressure, constant memory)', async () => {
    const app = Fastify();
    let produced = 0;
    app.get('/y.csv', (_req, reply) => {
      async function* rows() {
        for (let i = 0; i < 1_000_000; i++) {
          produced++;
          yield [i, 'some text that takes a little room in the buffer'];
        }
      }
      return sendCsv(reply, { filename: 'y.csv', header: ['N', 'Text'], rows: rows() });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const res = await fetch(`http://127.0.0.1:${port}/y.csv`);
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 200));
    const first = produced;
    await new Promise((r) => setTimeout(r, 300));
    // With nobody reading, production stops once the socket buffers are full (their size is the
    // kernel's: loopback buffers grow to a few MB, ~100,000 rows here) and stays stopped; without
    // backpressure the generator would keep running (tens of thousands of rows per 100 ms).
    expect(first).toBeLessThan(500_000);
    expect(produced - first).toBeLessThan(20_000);
    await reader.cancel();
    await app.close();
  });
});
