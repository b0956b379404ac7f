import * as fs from 'fs';
import * as os from 'os';

/**
 * The machine line `npm run bench` prints at its start and end: cores, Node, and the load
 * averages (1, 5, 15 minutes) from os.loadavg(), so a reader can tell a busy machine's figures.
 */
export function machineLine(when: string): string {
  const load = os.loadavg().map(l => l.toFixed(2)).join(' / ');
  return `machine at ${when}: ${os.cpus().length} cores, node ${process.version}, load average ${load} (1 / 5 / 15 min)`;
}

/** The machine's CPU time so far, all of it and the part the host stole (a virtual machine's `steal`), in clock ticks. */
interface CpuTicks {
  readonly total: number;
  readonly stolen: number;
}

/** The `cpu` line of /proc/stat (Linux), or undefined where there is none. */
function cpuTicks(): CpuTicks | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), stolen: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * The share of the machine's CPU time the host took from it (`steal`) since a starting point: on
 * a shared virtual machine identical runs differ by half when it is high, so the bench prints it
 * beside the figures it may have slowed.
 */
export class StealMeter {
  private from = cpuTicks();

  /** The share stolen since the last call (or since the meter was made), as text. */
  public sinceLast(): string {
    const now = cpuTicks();
    const from = this.from;
    this.from = now;
    if (now === undefined || from === undefined || now.total === from.total) return 'CPU stolen by the host: unknown (no /proc/stat)';
    return `CPU stolen by the host: ${((100 * (now.stolen - from.stolen)) / (now.total - from.total)).toFixed(1)}% (/proc/stat steal)`;
  }
}
