// The reports figure of `npm run bench`: reports accepted per second, each
// with two small JPEG images, sent by a few concurrent clients, against the
// same bodies POSTed to bare node:http (which only reads them), in one run.
import sharp from 'sharp';

export interface ReportsResult {
  readonly reportsPerSecond: number;
  readonly bareRequestsPerSecond: number;
  readonly accepted: number;
  readonly failed: number;
}

const concurrency = 8;

async function smallJpeg(seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width: 320,
      height: 240,
      channels: 3,
      background: { r: seed % 256, g: (seed * 7) % 256, b: 90 },
    },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** Distinct accounts and reporters, so no report is a duplicate of another. */
async function reportBodies(count: number): Promise<{ body: Buffer; type: string }[]> {
  const images = await Promise.all([smallJpeg(1), smallJpeg(2)]);
  const bodies: { body: Buffer; type: string }[] = [];
  for (let i = 0; i < count; i++) {
    const form = new FormData();
    const fields: Record<string, string> = {
      provider: '014',
      number: String(7_000_000_000 + i),
      holderName: 'Nama Pemilik Rekening',
      category: 'online_shopping_fraud',
      chronology: 'Saya transfer untuk membeli barang, lalu penjual menghilang dan memblokir saya.',
      amount: '250000',
      transferDate: '2026-01-15',
      platform: 'Instagram',
      reporterName: 'Pelapor Bench',
      reporterEmail: `bench${i}@example.id`,
      reporterPhone: '081200000000',
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const [n, image] of images.entries()) {
      form.append(
        'evidence',
        new Blob([new Uint8Array(image)], { type: 'image/jpeg' }),
        `${n}.jpg`,
      );
    }
    const response = new Response(form);
    bodies.push({
      body: Buffer.from(await response.arrayBuffer()),
      type: response.headers.get('content-type')!,
    });
  }
  return bodies;
}

/** Sends every body with `concurrency` clients; returns per second and the statuses. */
async function send(url: string, bodies: readonly { body: Buffer; type: string }[]) {
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const { body, type } = bodies[next++]!;
        const response = await fetch(url, {
          method: 'POST',
          body: new Uint8Array(body),
          headers: { 'content-type': type },
        });
        await response.arrayBuffer();
        if (response.status === 201) accepted++;
        else failed++;
      }
    }),
  );
  return { perSecond: bodies.length / ((performance.now() - started) / 1000), accepted, failed };
}

export async function measureReports(
  base: string,
  bareBase: string,
  count: number,
): Promise<ReportsResult> {
  const bodies = await reportBodies(count);
  await send(`${bareBase}/`, bodies.slice(0, Math.min(50, count)));
  const bare = await send(`${bareBase}/`, bodies);
  const reports = await send(`${base}/api/v1/reports`, bodies);
  return {
    reportsPerSecond: reports.perSecond,
    bareRequestsPerSecond: bare.perSecond,
    accepted: reports.accepted,
    failed: reports.failed,
  };
}
