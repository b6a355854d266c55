/**
 * The S3 and SES emulators in a thread of their own: storing a certificate PDF or an email is
 * work for the services, and on the gateway's event loop it would make API requests wait.
 * Started by emulators.ts.
 */
import { startS3Local, startSesLocal, type RunningService } from './mail-and-files';
import { serveWorker, workerInput } from './worker-thread';

export interface EmulatorsInput {
  ports: { ses: number; s3: number };
  s3Directory: string;
  buckets: readonly string[];
}

export type EmulatorsApi = {
  endpoints(): Promise<{ ses: string; s3: string }>;
  stop(): Promise<void>;
};

serveWorker<EmulatorsApi>(async () => {
  const input = workerInput<EmulatorsInput>();
  const services: RunningService[] = [];
  try {
    services.push(await startSesLocal(input.ports.ses));
    services.push(await startS3Local({ port: input.ports.s3, directory: input.s3Directory, buckets: input.buckets }));
  } catch (error) {
    await Promise.all(services.map((service) => service.stop().catch(() => undefined)));
    throw error;
  }
  const [ses, s3] = services as [RunningService, RunningService];
  return {
    endpoints: async () => ({ ses: ses.endpoint, s3: s3.endpoint }),
    stop: async () => {
      await Promise.all(services.map((service) => service.stop()));
    },
  };
});
