/**
 * Named points where the local runtime can make a step fail, to prove that a crash there is
 * recovered from without a duplicate or a loss. Nothing arms them on AWS: only the local runtime's
 * `/api/local/faults` route does, so in a deployed function a point only counts its passes.
 */
export const faultPoints = [
  'issuance.after-pdf-put',
  /** After winning an email's claim, before sending: a worker that died holding the claim. */
  'email.after-claim',
  /** Before any effect of a registration change: a record that fails every retry. */
  'workflow.registration-changed',
  /** After one of an analytics batch's transactions committed, before the next: a worker that died mid-batch. */
  'analytics.between-transactions',
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

const points = new Map<FaultPoint, PointState>();

function stateOf(point: FaultPoint): PointState {
  let state = points.get(point);
  if (!state) points.set(point, (state = { armed: 0, passed: 0, thrown: 0 }));
  return state;
}

/** Passes the point: throws while it is armed (the step "crashes" here), counts the pass either way. */
export function faultPoint(point: FaultPoint): void {
  const state = stateOf(point);
  state.passed += 1;
  if (state.armed > 0) {
    state.armed -= 1;
    state.thrown += 1;
    throw new InjectedFault(point);
  }
}

/** Makes the next `times` passes throw, and starts counting afresh. */
export function armFault(point: FaultPoint, times: number): void {
  points.set(point, { armed: times, passed: 0, thrown: 0 });
}

export function faultReport(): Record<string, PointState> {
  return Object.fromEntries([...points.entries()].map(([point, state]) => [point, { ...state }]));
}
