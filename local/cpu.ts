/**
 * CPU time, read from Linux's /proc, for the benchmarks: on a 2-core machine the gateway, the
 * consumers, the emulators and DynamoDB Local's JVM share the cores, so a benchmark that only gave
 * its wall time could not say which part a run was waiting on, nor whether the cores were full.
 * Every reader returns undefined where /proc is missing (macOS, Windows): the figures are
 * diagnostics, never a condition of a run.
 */
import fs from 'node:fs';

/** Linux reports times in clock ticks; USER_HZ is 100 on every architecture Node supports there. */
const MS_PER_TICK = 10;

/** utime + stime of a /proc/…/stat line, in ms (the fields after the command name, which may hold spaces). */
function statCpuMs(path: string): number | undefined {
  try {
    const stat = fs.readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return undefined;
  }
}

/** CPU time of the calling thread (the main thread, or the worker thread that runs this code). */
export function threadCpuMs(): number | undefined {
  return statCpuMs('/proc/thread-self/stat');
}

/** CPU time of another process, all its threads (DynamoDB Local's JVM). */
export function processCpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : statCpuMs(`/proc/${pid}/stat`);
}

export interface MachineCpu {
  /** CPU time spent on anything (user, nice, system, interrupts, steal), all cores together. */
  busyMs: number;
  /** busyMs plus idle and I/O wait: the cores' whole capacity over the same span. */
  totalMs: number;
}

/** The whole machine's CPU counters since boot: the difference of two readings says how full the cores were. */
export function machineCpu(): MachineCpu | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [label, ...values] = line.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values.map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busyMs: busy * MS_PER_TICK, totalMs: (busy + idle + iowait) * MS_PER_TICK };
  } catch {
    return undefined;
  }
}
