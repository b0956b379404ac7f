/**
 * Prints, per app of dist/, which controls of the Pod Security Standards' restricted profile its
 * containers fail (`npm run pod-security [-- <app>...]`): the table of the README's "Production
 * defaults" section, which test/apps/pod-security.test.ts holds equal to this output.
 */
import * as path from 'path';
import { parseArgs } from 'util';
import { DIST, DistApp, distApps } from './dist-apps';
import { CONTAINER_LISTS, podSecurityViolations, podSpecsOf } from '../lib/admission/pod-security-standards';

/**
 * The README table: one row per app that has pods, with its number of containers and, per failed
 * control, the containers (`<workload>/<container>`) that fail it, or `all`.
 */
export function podSecurityTable(apps: readonly DistApp[]): string {
  const rows = apps.flatMap(app => {
    const total = podSpecsOf(app.docs).reduce((n, { spec }) => n + CONTAINER_LISTS.reduce((m, l) => m + (spec[l]?.length ?? 0), 0), 0);
    if (total === 0) return []; // no pods (dist/install: istioctl and Helm input)
    const byControl = new Map<string, Set<string>>();
    for (const v of podSecurityViolations(app.docs)) {
      const names = byControl.get(v.control) ?? new Set<string>();
      byControl.set(v.control, names.add(`${v.resource.split('/')[1]}/${v.container ?? '(pod)'}`));
    }
    const failing = [...byControl].map(([control, names]) => `${control}: ${names.size === total ? 'all' : [...names].sort().join(', ')}`);
    return [`| ${app.name} | ${total} | ${failing.length > 0 ? failing.join('; ') : 'none'} |`];
  });
  const header = '| App (`dist/<app>/`) | Containers | Restricted-profile controls failed, and by which containers |';
  return [header, '|---|---|---|', ...rows].join('\n');
}

if (require.main === module) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { dist: { type: 'string', default: DIST } } });
  console.log(podSecurityTable(distApps(path.resolve(values.dist!), positionals)));
}
