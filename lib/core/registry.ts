import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The registry of library constructs: each L2 construct registers itself on construction, and
 * what must happen once per app that uses the library (the synth pipeline's checks attached to
 * `app.synth()`) is a hook the synth layer installs here. Constructs depend on this small module
 * only, never on the analysis or the synth layer.
 */

/** Something to do, once, for each app that holds at least one library construct. */
export type LibraryAppHook = (app: App) => void;

const hooks: LibraryAppHook[] = [];
const apps = new WeakSet<App>();

/** Records a library construct; the first one of an app runs the app hooks for that app. */
export function registerLibraryConstruct(construct: IConstruct): void {
  const app = App.of(construct);
  if (!(app instanceof App) || apps.has(app)) return;
  apps.add(app);
  for (const hook of hooks) hook(app);
}

/** Installs a hook that runs for each app that gets its first library construct from now on. */
export function onLibraryApp(hook: LibraryAppHook): void {
  hooks.push(hook);
}

