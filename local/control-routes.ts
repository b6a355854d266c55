/**
 * The local runtime's own routes (/api/local/*): tokens, the clock, stream drains, dead letters,
 * schedules, SES events and fault points. Never deployed (an infra test proves it); the gateway
 * refuses them to other origins (gateway.ts refuseControlRequest). A new control route is one
 * entry in the list below.
 */
import * as z from 'zod';
import { clock, resetClock, setClock } from '../shared/clock';
import { armFault, faultPoints, faultReport } from '../shared/faults';
import type { LocalFunctions } from './functions';
import type { LocalRoute } from './gateway';
import { sesEventRequestSchema } from './ses-events';
import { tokenRequestSchema, type LocalIssuer } from './tokens';
import { isRemoteError } from './worker-thread';

export interface ControlRouteDependencies {
  issuer: LocalIssuer;
  /** The consumers, schedules and event rules, in their own thread. */
  functions: LocalFunctions;
}

const clockBody = z.strictObject({ now: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with an offset' }) });

const faultBody = z.strictObject({
  point: z.enum(faultPoints, { error: `must be one of ${faultPoints.join(', ')}` }),
  times: z.int().min(0).max(1000).default(1),
});

type Reply = Awaited<ReturnType<LocalRoute['handle']>>;

function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) (fields[issue.path.join('.') || 'body'] ??= []).push(issue.message);
  return fields;
}

function invalid(error: z.ZodError): Reply {
  return {
    status: 400,
    body: { error: { code: 'VALIDATION_FAILED', message: 'Correct the fields listed and send the request again.', fields: fieldErrors(error) } },
  };
}

function notFound(message: string): Reply {
  return { status: 404, body: { error: { code: 'NOT_FOUND', message } } };
}

/** Parses the body with `schema`, answering 400 with field-level messages when it does not fit. */
function withBody<S extends z.ZodType>(schema: S, handle: (body: z.output<S>) => Promise<Reply>): LocalRoute['handle'] {
  return async ({ body }) => {
    const parsed = schema.safeParse(body);
    return parsed.success ? handle(parsed.data) : invalid(parsed.error);
  };
}

const clockReply = (): Reply => ({ status: 200, body: { now: clock.now().toISOString() } });

export function controlRoutes({ issuer, functions }: ControlRouteDependencies): LocalRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/local/token',
      handle: withBody(tokenRequestSchema, async (request) => ({ status: 200, body: { token: await issuer.issue(request) } })),
    },
    // The clock's offset is memory shared with the consumers' thread: moved here, moved there.
    { method: 'GET', path: '/api/local/clock', handle: async () => clockReply() },
    {
      method: 'POST',
      path: '/api/local/clock',
      handle: withBody(clockBody, async ({ now }) => {
        setClock(new Date(now));
        return clockReply();
      }),
    },
    {
      method: 'DELETE',
      path: '/api/local/clock',
      handle: async () => {
        resetClock();
        return clockReply();
      },
    },
    {
      method: 'GET',
      path: '/api/local/dead-letters',
      handle: async () => ({ status: 200, body: { items: await functions.poller.listDeadLetters() } }),
    },
    {
      method: 'POST',
      path: '/api/local/dead-letters/{id}/replay',
      handle: async ({ params }) => {
        try {
          return { status: 200, body: await functions.poller.replayDeadLetter(params.id ?? '') };
        } catch (error) {
          if (!isRemoteError(error, 'DeadLetterNotFoundError')) throw error;
          return notFound('No dead letter has this id. GET /api/local/dead-letters lists them.');
        }
      },
    },
    {
      method: 'POST',
      path: '/api/local/streams/drain',
      handle: async () => {
        // Generous: after a burst test the mail backlog alone can keep a 2-core machine busy for
        // longer than the poller's default wait, and a drain that gives up early fails a test
        // that would have passed a few seconds later.
        await functions.poller.waitForIdle({ timeoutMs: 60_000 });
        return { status: 200, body: { idle: true } };
      },
    },
    {
      // What SES would publish to EventBridge for a certificate's email, through the same handlers.
      method: 'POST',
      path: '/api/local/ses-events',
      handle: withBody(sesEventRequestSchema, async (request) => {
        try {
          return { status: 200, body: await functions.sesEvent(request) };
        } catch (error) {
          if (!isRemoteError(error, 'UnknownCertificateError')) throw error;
          return notFound('No certificate has this id.');
        }
      }),
    },
    { method: 'GET', path: '/api/local/faults', handle: async () => ({ status: 200, body: { points: faultReport() } }) },
    {
      // Makes the next `times` passes of a step fail, as a crash there would; the counters are
      // shared with the consumers' thread, where most points are passed.
      method: 'POST',
      path: '/api/local/faults',
      handle: withBody(faultBody, async ({ point, times }) => {
        armFault(point, times);
        return { status: 200, body: { points: faultReport() } };
      }),
    },
    {
      method: 'POST',
      path: '/api/local/schedules/{name}/run',
      handle: async ({ params }) => {
        const ran = await functions.runSchedule(params.name ?? '');
        if (ran) return { status: 200, body: ran };
        const known = await functions.scheduleNames();
        return notFound(`No schedule is named ${params.name}; known: ${known.join(', ') || 'none'}.`);
      },
    },
  ];
}
