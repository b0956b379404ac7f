import { Task, TaskShell, javascript, typescript } from 'projen';

/** The typecheck's incremental state (`tsc -b test/tsconfig.json`), with the other caches of `npm test`. */
const TYPECHECK_STATE = 'node_modules/.cache/typecheck/test.tsbuildinfo';

/**
 * projen owns package.json, tsconfig*.json, the jest configuration and .gitignore.
 * Edit this file and run `npx projen` to regenerate them; never edit those files by hand.
 */
const project = new typescript.TypeScriptProject({
  name: 'cdk8s-istio',
  description: 'Typed, validated cdk8s constructs for the Istio service mesh, with app charts that synthesize plain YAML.',
  license: 'Apache-2.0',
  copyrightOwner: 'cdk8s-istio contributors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  typescriptVersion: '5.9.3',

  // Layout: lib/ is the hand-written library, imports/ the generated L1 classes, apps/ the
  // app charts; tsc compiles all three into build/ (dist/ is reserved for synthesized YAML).
  srcdir: 'lib',
  libdir: 'build',
  testdir: 'test',
  entrypoint: 'build/lib/main.js',
  entrypointTypes: 'build/lib/index.d.ts',
  artifactsDirectory: 'build-artifacts',
  sampleCode: false,
  // npx runs a project's own bin only when its file ends in .js, so name it explicitly.
  autoDetectBin: false,
  bin: { 'cdk8s-istio': 'bin/cdk8s-istio.js' },

  // The consumer's cdk8s and constructs: the library's constructs must live in the consumer's
  // construct tree and its ApiObjects be synthesized by the consumer's cdk8s, so there must be one
  // copy of each (the ranges are cdk8s-plus-28's own). cdk8s-plus-28 (its generated L1 classes
  // KubeService, KubeServiceAccount, KubeNamespace) is a peer too: it extends the consumer's cdk8s
  // ApiObject, apps usually have a cdk8s-plus already, and at 9.5 MB it would be the largest
  // dependency. npm 7+ installs missing peers, so `npm install cdk8s-istio` is still one command.
  peerDeps: ['cdk8s@^2.68.11', 'constructs@^10.3.0', 'cdk8s-plus-28@^2.5.6'],
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: [
    '@bufbuild/cel@0.6.1',
    '@bufbuild/protobuf@2.17.0',
    'ajv@8.20.0',
    // CronJob schedules (lib/admission/rollout-rules.ts), loaded on the first CronJob checked
    'croner@11.0.1',
    'js-yaml@4.1.0',
    're2js@2.10.0',
  ],
  devDeps: [
    // the versions the repository builds and tests with (the peers above, installed here)
    'cdk8s@2.70.106',
    'cdk8s-plus-28@2.5.6',
    'constructs@10.4.2',
    // source of imports/kubernetes-schemas.ts (`npm run import`); never loaded at run time
    'kubernetes-models@4.5.1',
    'cdk8s-cli@2.207.60',
    '@types/js-yaml@4.0.9',
    '@types/node@20.19.9',
    'tsx@4.20.6',
    // bundles the package's entry point (scripts/build.js)
    'esbuild@0.25.12',
    'madge@8.0.0',
    // drives the Debian chromium in the graph test (test/graph/browser.test.ts); never the full puppeteer, which downloads a browser
    'puppeteer-core@24.43.1',
    // eslint and the plugins projen's eslint component uses, pinned
    'eslint@9.39.5',
    '@typescript-eslint/eslint-plugin@8.74.0',
    '@typescript-eslint/parser@8.74.0',
    '@stylistic/eslint-plugin@2.13.0',
    'eslint-import-resolver-typescript@4.4.5',
    'eslint-plugin-import@2.32.0',
  ],

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  eslint: true,
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'apps', 'bench', 'scripts', 'projenrc', '.projenrc.ts'],
    // test/tsconfig.json covers every linted folder (tsconfig.json only lib, imports and apps)
    tsconfigPath: './test/tsconfig.json',
    // npm test checks; `npx eslint --ext .ts --fix <dirs>` fixes what it can. The cache (results by
    // file content and configuration) re-lints only changed files on a rerun; a fresh clone has none.
    commandOptions: {
      fix: false,
      extraArgs: ['--cache', '--cache-strategy', 'content', '--cache-location', 'node_modules/.cache/eslint/'],
    },
    ignorePatterns: ['*.js', '*.d.ts', 'node_modules/', 'imports/', 'coverage', 'dist/', 'build/'],
  },
  package: false,

  tsconfig: {
    include: ['lib/**/*.ts', 'imports/**/*.ts', 'apps/**/*.ts'],
    compilerOptions: {
      rootDir: '.',
      outDir: 'build',
      skipLibCheck: true,
      // The packed build carries no inline source maps (they were 62% of the package).
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDev: {
    // test/tsconfig.json: paths are relative to test/.
    include: ['../lib/**/*.ts', '../imports/**/*.ts', '../apps/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts'],
    // isolatedModules: ts-jest only transpiles; type checking runs once, in `npm test`'s typecheck step.
    // incremental: the typecheck's state (`tsc -b` skips the check when no file changed since).
    compilerOptions: { skipLibCheck: true, isolatedModules: true, incremental: true, tsBuildInfoFile: `../${TYPECHECK_STATE}` },
  },

  jest: true,
  jestOptions: {
    // Snapshots never update silently: `npm run test:update` is the explicit way.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestVersion: '^29',
    junitReporting: false,
    coverageText: false,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // Coverage more than doubles the suite's time: `npm run test:coverage` collects it.
      collectCoverage: false,
      coverageProvider: 'v8',
      coverageReporters: ['text-summary'],
      // One worker per core (jest's default leaves one core to its own process, which mostly waits).
      maxWorkers: '100%',
      // Beside the other caches of `npm test` (tsc, eslint): `rm -rf node_modules/.cache` resets them all.
      cacheDirectory: '<rootDir>/node_modules/.cache/jest',
      // build/ compiled once before the suites that run it (test/support/global-setup.ts)
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  },

  gitignore: ['/build/', '/coverage/', '/test-reports/', '*.tsbuildinfo'],
});

// No release/publishing: keep the generated .npmignore from shipping sources and tests.
// dist/ holds the synthesized manifests and is committed (projen ignores it by default).
project.gitignore.include('/dist/');

project.npmignore?.exclude('/apps/', '/test/', '/scripts/', '/dist/', '/.ci/');
// What a consumer needs: the bundled entry point (package.json's main), its CEL bundle and the command, the compiled
// library and imports (JavaScript for deep imports, declarations for the types), the command's
// launcher, README and LICENSE. package.json is always packed.
project.addFields({
  files: [
    'build/cdk8s-istio.js', 'build/cel.js', 'build/cli.js', 'build/read-worker.js',
    'build/lib/**/*.js', 'build/lib/**/*.d.ts', 'build/imports/**/*.js', 'build/imports/**/*.d.ts',
    'bin', 'README.md', 'LICENSE',
  ],
});
// `npm pack` / `npm publish` compile build/ first when it is stale (scripts/build.js), never packing a
// stale build: build/ then holds exactly what the current sources compile to. `npm ci` does not run it.
project.package.setScript('prepack', 'node scripts/build.js');

// tsx's CommonJS hook: transpile-only, and lighter at start-up than its ESM loader.
const tsx = 'node --require tsx/cjs';

project.addTask('import', {
  description: 'Regenerate imports/ (L1 classes and the schema module) from ../shared/istio/crd-all.gen.yaml',
  exec: `${tsx} scripts/import-crds.ts`,
});

// The synth runs on every commit: package.json calls node directly rather than through projen's
// task runner, which would add about a second of start-up to each run, and runs the compiled
// apps (scripts/build.js compiles build/ when a source changed; tsx would lex every loaded file).
project.package.setScript('synth', 'node scripts/synth.js');

project.addTask('access-matrix', {
  description: 'Print who may call whom in each synthesized app (from dist/)',
  exec: `${tsx} scripts/access-matrix.ts`,
  receiveArgs: true,
});

project.addTask('pod-security', {
  description: 'Print which Pod Security Standards restricted controls the containers of each app in dist/ fail (the README table)',
  exec: `${tsx} scripts/pod-security.ts`,
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Print synth and analysis timings and memory against stock cdk8s and serialization floors',
  exec: `${tsx} bench/bench.ts`,
});

project.addTask('analyze', {
  description: 'Analyze manifests like istioctl analyze --use-kube=false: npm run analyze -- dist/bookinfo/',
  exec: 'node bin/cdk8s-istio.js analyze',
  receiveArgs: true,
});

// `tsc -b` checks nothing when no file of test/tsconfig.json is newer than its last check, and
// re-checks only what a change affects. It does not look at node_modules: when npm changed the
// dependencies (npm rewrites node_modules/.package-lock.json), the state is dropped first.
const typecheck = project.addTask('typecheck', { description: 'Type-check the library, imports, apps, tests and scripts' });
typecheck.exec(`rm -f ${TYPECHECK_STATE}`, {
  condition: `test node_modules/.package-lock.json -nt ${TYPECHECK_STATE}`,
  shell: TaskShell.sh(), // projen's own shell has no `test -nt`
});
typecheck.exec('tsc -b test/tsconfig.json');

/** `arg` as one sh word: as it is when it holds nothing the shell would interpret, else single-quoted. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * A task as one sh command, `(<its environment>; <its steps>)`, so that another task's command can
 * run it in the background without starting projen again (a projen start costs a second of CPU,
 * more than an up-to-date `tsc -b` or a cached eslint run). A step runs when its condition holds,
 * the command fails at the first step that fails, and it receives no arguments. Only exec steps
 * without a working directory or environment of their own, in projen's shell or sh, are rendered;
 * any other step throws.
 */
function shellCommand(task: Task): string {
  const env = Object.entries(task.envVars).map(([name, value]) => `export ${name}=${shellWord(value)}; `).join('');
  const steps = task.steps.map(step => {
    const { exec, execArgs, condition, receiveArgs, shell, ...rest } = step;
    const sh = shell === undefined || JSON.stringify(shell) === JSON.stringify(TaskShell.sh()._render());
    if (task.condition || Object.keys(rest).length || !sh || (exec === undefined) === (execArgs === undefined)) {
      throw new Error(`task ${task.name}: only exec steps (with a condition at most, in sh) can be rendered as one sh command`);
    }
    const command = exec ?? execArgs!.filter(arg => !(receiveArgs && arg === '$@')).map(shellWord).join(' ');
    return condition ? `if ${condition}; then ${command}; fi` : command;
  });
  return `(${env}${steps.join(' && ')})`;
}

// `npm test`: the checks, then the whole jest suite (snapshots are never updated here). The type
// check, eslint and the compile of build/ (which the suites that run the command need) are
// single-threaded: they run at once, on both cores, and the step fails when any of them failed.
const checks = project.addTask('test:checks', {
  description: 'Type-check, lint and compile build/ (when stale) at once',
  exec: [
    `${shellCommand(typecheck)} & typecheck=$!`,
    `${shellCommand(project.eslint!.eslintTask)} & eslint=$!`,
    'node scripts/build.js; built=$?',
    'wait $typecheck; typechecked=$?',
    'wait $eslint; linted=$?',
    '[ $typechecked -eq 0 ] && [ $linted -eq 0 ] && [ $built -eq 0 ]',
  ].join('; '),
  shell: TaskShell.sh(),
});
const lintStep = project.testTask.steps.findIndex(step => step.spawn === 'eslint');
project.testTask.removeStep(lintStep);
project.testTask.prependSpawn(checks);

project.addTask('test:coverage', {
  description: 'Run the jest suite with coverage (v8) and print its summary (-- --coverageReporters=text: per file)',
  exec: 'jest --ci --coverage',
  receiveArgs: true,
});

// Lint: lines of at most 140 characters (tests may hold longer expected messages in strings), and
// import order is an error rather than a warning, so `npm test` fails on it.
const maxLen = { code: 140, ignoreUrls: true, ignoreRegExpLiterals: true };
project.eslint!.addRules({
  '@stylistic/max-len': ['error', maxLen],
  // Modules the library loads on first use, so that require('cdk8s-istio') stays fast (README, Performance).
  '@typescript-eslint/no-require-imports': ['error', {
    allow: ['^ajv(/|$)', '^@bufbuild/cel(/|$)', '^croner$', '^re2js$', '^js-yaml$', '^cdk8s-plus-28/lib/imports/k8s$', '^\\.\\.?/'],
  }],
  'import/order': ['error', { groups: ['builtin', 'external'], alphabetize: { order: 'asc', caseInsensitive: true } }],
});
// Typed linting against the tsconfigs that include each file (the project service would pick the
// root tsconfig.json for bench/ and scripts/, which it does not include).
const eslintrc = project.tryFindObjectFile('.eslintrc.json')!;
eslintrc.addDeletionOverride('parserOptions.projectService');
eslintrc.addOverride('parserOptions.project', ['./test/tsconfig.json', './projenrc/tsconfig.json']);
project.eslint!.addOverride({
  files: ['test/**/*.ts'],
  rules: { '@stylistic/max-len': ['error', { ...maxLen, ignoreStrings: true, ignoreTemplateLiterals: true }] },
});

project.synth();
