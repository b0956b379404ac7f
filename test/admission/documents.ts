// Document builders and assertions shared by the admission rule tests (not a test file itself).
import { admissionProblems } from '../../lib/admission';

type Json = Record<string, unknown>;

/** A Deployment whose pod template has the given spec (and optional extra Deployment spec fields). */
export function deployment(podSpec: Json, spec: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: podSpec }, ...spec },
  };
}

/** A pod spec with one container `app` (image `registry.example.com/api:1.0`) plus the given container fields. */
export function podWith(container: Json, podSpec: Json = {}): Json {
  return { containers: [{ name: 'app', image: 'registry.example.com/api:1.0', ...container }], ...podSpec };
}

/** An Istio networking (or other group's) object of a kind with the given spec. */
export function istio(kind: string, spec: Json, name = 'obj', group = 'networking.istio.io'): Json {
  return { apiVersion: `${group}/v1`, kind, metadata: { name, namespace: 'shop' }, spec };
}

/** A VirtualService on `orders` with one HTTP route carrying the given fields. */
export function httpRoute(route: Json): Json {
  return istio('VirtualService', { hosts: ['orders'], http: [{ route: [{ destination: { host: 'orders' } }], ...route }] });
}

/** One failing case: the document, the path reported, and fragments its message contains. */
export interface FailingCase {
  readonly name: string;
  readonly doc: Json;
  readonly path: string;
  readonly says: string;
  readonly fix: string;
}

/** Asserts the document has a problem at `path` whose message says `says` and whose Fix contains `fix`. */
export function expectProblemAt(doc: Json, path: string, says: string, fix: string): void {
  const problems = admissionProblems(doc);
  const at = problems.filter(p => p.path === path);
  if (at.length === 0) throw new Error(`expected a problem at ${path}, got ${JSON.stringify(problems, null, 2)}`);
  const message = at.map(p => p.message).find(m => m.includes(says));
  if (message === undefined) throw new Error(`no problem at ${path} says "${says}": ${at.map(p => p.message).join(' | ')}`);
  const [problem, fixText] = message.split('. Fix: ');
  expect(problem).toContain(says);
  expect(fixText).toContain(fix);
}

/** Asserts the document has no admission problem at all. */
export function expectAccepted(doc: Json): void {
  expect(admissionProblems(doc)).toEqual([]);
}
