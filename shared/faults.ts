/**
 * Named points where the local runtime can make a step fail, to prove that a crash there is
 * recovered from without a duplicate or a loss. Nothing arms them on AWS: only the local runtime's
 * `/api/local/faults` route does, so in a deployed function a point only counts its passes.
 */
import { asShared, shareableMemory } from './clock';
export const faultPoints = [
  'issuance.after-pdf-put',
  /** After winning an email's claim, before sending: a worker that died holding the claim. */
  'email.after-claim',
  /** Before any effect of a registration change: a record that fails every retry. */
  'workflow.registration-changed',
  /** After one of an analytics batch's transactions committed, before the next: a worker that died mid-batch. */
  'analytics.between-transactions',
  /** With every piece of a certificates ZIP uploaded and recorded, before completing it: a build that died at the end. */
  'zip.before-complete',
] as const;
export type FaultPoint = (typeof faultPoints)[number];

export class InjectedFault extends Error {
  constructor(point: FaultPoint) {
    super(`Injected fault at ${point}`);
    this.name = 'InjectedFault';
  }
}

interface PointState {
  armed: number;
  passed: number;
  thrown: number;
}

/**
 * Per point: touched (0/1), armed, passed, thrown. Kept in shareable memory so that the local
 * runtime's gateway (which arms points) and its consumer thread (where most points are passed)
 * count one set of figures; a point is reported once it has been armed or passed.
 */
const TOUCHED = 0;
const ARMED = 1;
const PASSED = 2;
const THROWN = 3;
const FIELDS = 4;
let memory = new Int32Array(shareableMemory(faultPoints.length * FIELDS * Int32Array.BYTES_PER_ELEMENT));

function slot(point: FaultPoint, field: number): number {
  return faultPoints.indexOf(point) * FIELDS + field;
}

/** Takes one armed charge, if any is left; two threads passing at once never take the same one. */
function takeCharge(point: FaultPoint): boolean {
  const index = slot(point, ARMED);
  for (;;) {
    const armed = Atomics.load(memory, index);
    if (armed <= 0) return false;
    if (Atomics.compareExchange(memory, index, armed, armed - 1) === armed) return true;
  }
}

/** Passes the point: throws while it is armed (the step "crashes" here), counts the pass either way. */
export function faultPoint(point: FaultPoint): void {
  Atomics.store(memory, slot(point, TOUCHED), 1);
  Atomics.add(memory, slot(point, PASSED), 1);
  if (takeCharge(point)) {
    Atomics.add(memory, slot(point, THROWN), 1);
    throw new InjectedFault(point);
  }
}

/** Makes the next `times` passes throw, and starts counting afresh. */
export function armFault(point: FaultPoint, times: number): void {
  Atomics.store(memory, slot(point, PASSED), 0);
  Atomics.store(memory, slot(point, THROWN), 0);
  Atomics.store(memory, slot(point, ARMED), times);
  Atomics.store(memory, slot(point, TOUCHED), 1);
}

export function faultReport(): Record<string, PointState> {
  const report: Record<string, PointState> = {};
  for (const point of faultPoints) {
    if (Atomics.load(memory, slot(point, TOUCHED)) === 0) continue;
    report[point] = {
      armed: Atomics.load(memory, slot(point, ARMED)),
      passed: Atomics.load(memory, slot(point, PASSED)),
      thrown: Atomics.load(memory, slot(point, THROWN)),
    };
  }
  return report;
}

/** This thread's fault counters, for the local runtime to hand to a worker thread. */
export function faultMemory(): SharedArrayBuffer {
  return asShared(memory.buffer);
}

/** Makes this thread count (and throw) with the counters of the thread that handed them over. */
export function shareFaults(shared: SharedArrayBuffer): void {
  memory = new Int32Array(shared);
}
