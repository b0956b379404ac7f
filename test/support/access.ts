// Shared assertions over access matrices and workloads of the app tests (not a test file itself).
import { AccessMatrix } from '../../lib';

/**
 * The allowed edges of a matrix as sorted `caller -> target` strings; with `operations`, each
 * followed by `: all` or the allowed operations.
 */
export function allowedEdges(m: AccessMatrix, options: { operations?: boolean } = {}): string[] {
  return m.callers.flatMap(c => m.targets.flatMap(t => {
    const cell = m.cells[c.id][t.id];
    if (cell.access === 'none') return [];
    const edge = `${c.id} -> ${t.id}`;
    return [options.operations ? `${edge}: ${cell.access === 'all' ? 'all' : cell.operations.join(' | ')}` : edge];
  })).sort();
}

/** Asserts every allowed edge allows the whole service, with nothing left to request data. */
export function expectWholeServiceAllows(m: AccessMatrix): void {
  for (const c of m.callers) {
    for (const t of m.targets) {
      const cell = m.cells[c.id][t.id];
      expect(cell.conditional).toEqual([]);
      if (cell.access !== 'none') expect(cell.access).toBe('all');
    }
  }
}

/** The one container of a Deployment's pod template. */
export function containerOf(deployment: Record<string, any>): Record<string, any> {
  const containers = deployment.spec.template.spec.containers;
  expect(containers).toHaveLength(1);
  return containers[0];
}
