// s3rver in a process of its own, for test/support/s3.ts: listens on a free
// loopback port, prints it, and stops when its parent closes standard input
// (or dies). Started with --openssl-legacy-provider: s3rver seals its
// listing's continuation tokens with DES, which OpenSSL 3 keeps there.
import S3rver from 's3rver';

const [directory] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  vhostBuckets: false,
});
const { port } = await server.run();
process.stdout.write(`${port}\n`);
const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.resume();
process.once('SIGTERM', stop);
