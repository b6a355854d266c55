/**
 * Where a benchmark's CPU went, part by part of the local runtime, and how full the machine's
 * cores were: with every part on the same cores, a target in requests per second or seconds can
 * only be met if the CPU it costs fits in them. Linux only (local/cpu.ts); elsewhere the rows say
 * "n/a".
 */
import os from 'node:os';
import { machineCpu, type MachineCpu } from '../local/cpu';
import type { LocalStack, RuntimeCpu } from '../local/stack';

export interface CpuReading {
  runtime: RuntimeCpu;
  machine: MachineCpu | undefined;
}

export async function readCpu(stack: LocalStack): Promise<CpuReading> {
  return { runtime: await stack.cpuMs(), machine: machineCpu() };
}

function spent(after: number | undefined, before: number | undefined): number {
  return after === undefined || before === undefined ? Number.NaN : after - before;
}

export interface CpuSpent {
  /** Per unit of work, in ms. */
  perUnit: { dynamodbLocal: number; gateway: number; functions: number; emulators: number; otherNode: number; platform: number };
  /** The whole run's platform CPU (everything but `outsideMs`), in seconds. */
  platformSeconds: number;
  /** Share of the machine's cores busy over the span, from anything running on it (neighbours too). */
  machineBusy: number;
  cores: number;
}

/**
 * The CPU between two readings, per unit. `outsideMs` is CPU of this process that is not the
 * platform's (the benchmark's own clients, which on AWS are other machines).
 */
export function cpuBetween(before: CpuReading, after: CpuReading, units: number, outsideMs = 0): CpuSpent {
  const part = (name: keyof RuntimeCpu) => spent(after.runtime[name], before.runtime[name]);
  const [dynamodbLocal, gateway, functions, emulators, node] = [part('dynamodbLocal'), part('gateway'), part('functions'), part('emulators'), part('node')];
  // The garbage collector's and libuv's threads, and the V8 compiler's: CPU no thread's own counter holds.
  const otherNode = node - gateway - functions - emulators - outsideMs;
  const platformMs = dynamodbLocal + node - outsideMs;
  const machineBusy =
    before.machine && after.machine ? (after.machine.busyMs - before.machine.busyMs) / (after.machine.totalMs - before.machine.totalMs) : Number.NaN;
  const per = (ms: number) => ms / units;
  return {
    perUnit: {
      dynamodbLocal: per(dynamodbLocal),
      gateway: per(gateway),
      functions: per(functions),
      emulators: per(emulators),
      otherNode: per(otherNode),
      platform: per(platformMs),
    },
    platformSeconds: platformMs / 1000,
    machineBusy,
    cores: os.cpus().length,
  };
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** The split as one table cell: `DynamoDB Local 9.1, gateway 8.0, …` (ms per unit). */
export function describeSplit(cpu: CpuSpent): string {
  const { dynamodbLocal, gateway, functions, emulators, otherNode, platform } = cpu.perUnit;
  return `${fixed(platform)} = DynamoDB Local ${fixed(dynamodbLocal)}, gateway ${fixed(gateway)}, consumers ${fixed(functions)}, emulators ${fixed(emulators)}, other Node threads ${fixed(otherNode)}`;
}

export function describeMachineBusy(cpu: CpuSpent): string {
  return `${Number.isFinite(cpu.machineBusy) ? Math.round(cpu.machineBusy * 100) : 'n/a'}% of ${cpu.cores} cores`;
}
