import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type startSesServer from 'aws-ses-v2-local';
import S3rver from 's3rver';
import { assertPortFree } from './ports';

// aws-ses-v2-local is CommonJS with an `exports.default`; required directly so both tsx and the
// type checker see the same function.
const { default: sesLocal } = createRequire(import.meta.url)('aws-ses-v2-local') as { default: typeof startSesServer };

export interface RunningService {
  endpoint: string;
  stop(): Promise<void>;
}

/** The SES emulator: its inbox viewer is at `/`, the raw store at `GET /store`. */
export async function startSesLocal(port: number): Promise<RunningService> {
  await assertPortFree(port, 'SES emulator', 'SES_PORT');
  const server: Server = await sesLocal({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An S3-compatible server; with a directory the objects survive a restart. */
export async function startS3Local(options: {
  port: number;
  directory: string;
  buckets: readonly string[];
}): Promise<RunningService> {
  await assertPortFree(options.port, 'S3 emulator', 'S3_PORT');
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () => server.close(),
  };
}
