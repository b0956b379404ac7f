import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** The repo's dist/ folder. */
export const DIST = path.join(__dirname, '..', 'dist');

/** One app of dist/: its folder name and the documents `kubectl apply -f dist/<app>/` applies (its top-level YAML files). */
export interface DistApp {
  /** The folder name, e.g. `bookinfo`. */
  readonly name: string;
  /** The documents of its top-level `.yaml` files, in file order. */
  readonly docs: Record<string, any>[];
}

/** The apps of `dist` named in `names` (every folder, sorted, when empty); exits with code 2 on a name that is not there. */
export function distApps(dist: string, names: readonly string[] = []): DistApp[] {
  const all = fs.readdirSync(dist).filter(f => fs.statSync(path.join(dist, f)).isDirectory()).sort();
  return (names.length > 0 ? names : all).map(name => {
    const dir = path.join(dist, name);
    if (!fs.existsSync(dir)) {
      console.error(`no such app: ${dir}`);
      process.exit(2);
    }
    const docs = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()
      .flatMap(f => (yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, any>[]).filter(Boolean));
    return { name, docs };
  });
}
