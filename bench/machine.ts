import * as os from 'os';

/**
 * The machine line `npm run bench` prints at its start and end: cores, Node, and the load
 * averages (1, 5, 15 minutes) from os.loadavg(), so a reader can tell a busy machine's figures.
 */
export function machineLine(when: string): string {
  const load = os.loadavg().map(l => l.toFixed(2)).join(' / ');
  return `machine at ${when}: ${os.cpus().length} cores, node ${process.version}, load average ${load} (1 / 5 / 15 min)`;
}
