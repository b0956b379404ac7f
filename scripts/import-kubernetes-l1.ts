/**
 * Generates imports/kubernetes-l1.ts (called by scripts/import-crds.ts, `npm run import`): the few
 * Kubernetes L1 classes the library emits (Deployment, StatefulSet, Service, ServiceAccount,
 * Namespace, ConfigMap, ClusterRole, ClusterRoleBinding, with Quantity and IntOrString) and the
 * generated `toJson_…` conversions they use, taken from cdk8s-plus-28's generated Kubernetes 1.28
 * module (lib/imports/k8s.js, Apache-2.0). That module defines every kind of the API, 2.7 MB of
 * JavaScript that each process compiled to build a Deployment; this one holds what the library runs.
 *
 * The statements are copied verbatim, in their order in the module: each class or function
 * lib/core/kubernetes-l1.ts names (KUBERNETES_L1_NAMES), and transitively every top-level declaration they reference. Types stay with
 * cdk8s-plus-28's declarations (`import type * as K8s from 'cdk8s-plus-28/lib/imports/k8s'`):
 * the generated module is plain JavaScript in a TypeScript file (`@ts-nocheck`). Its conversions
 * drop undefined members in one pass (scripts/linear-to-json.ts), as the Istio classes' do.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { linearToJson } from './linear-to-json';
import { KUBERNETES_L1_NAMES } from '../lib/core/kubernetes-l1';


/** The top-level statements of the module that declare or belong to each name (`exports.X = X`, `X[_a] = …`). */
function statementsByName(file: ts.SourceFile): Map<string, ts.Statement[]> {
  const byName = new Map<string, ts.Statement[]>();
  const add = (name: string, statement: ts.Statement) => byName.set(name, [...byName.get(name) ?? [], statement]);
  for (const statement of file.statements) {
    if ((ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name) {
      add(statement.name.text, statement);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, statement);
    } else if (ts.isExpressionStatement(statement)) {
      const owner = ownerOf(statement.expression);
      if (owner !== undefined) add(owner, statement);
    }
  }
  return byName;
}

/**
 * The declaration an expression statement belongs to: `exports.X = X`, `X.GVK = {...}`, `X[_a] = {...}`, `_a = …`, or an
 * enum's `(function (X) {...})(X || (exports.X = X = {}))`; undefined for the module header.
 */
function ownerOf(expression: ts.Expression): string | undefined {
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const left = expression.left;
    if (ts.isIdentifier(left)) return left.text; // `_a = JSII_RTTI_SYMBOL_1`, a temporary the next statement uses
    if (ts.isElementAccessExpression(left) && ts.isIdentifier(left.expression)) return left.expression.text;
    if (!ts.isPropertyAccessExpression(left) || !ts.isIdentifier(left.expression)) return undefined;
    if (left.expression.text !== 'exports') return left.expression.text; // `X.GVK = {...}`
    return ts.isIdentifier(expression.right) && expression.right.text === left.name.text ? left.name.text : undefined;
  }
  if (ts.isCallExpression(expression) && ts.isParenthesizedExpression(expression.expression)) {
    const fn = expression.expression.expression;
    const parameter = ts.isFunctionExpression(fn) && fn.parameters.length === 1 ? fn.parameters[0].name : undefined;
    if (parameter !== undefined && ts.isIdentifier(parameter)) return parameter.text;
  }
  return undefined;
}

/** Whether a statement is `exports.X = X`. */
function isExportsAssignment(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) return false;
  const left = statement.expression.left;
  return ts.isPropertyAccessExpression(left) && ts.isIdentifier(left.expression) && left.expression.text === 'exports';
}

/** Every identifier a statement mentions. */
function identifiersOf(node: ts.Node, out = new Set<string>()): Set<string> {
  if (ts.isIdentifier(node)) out.add(node.text);
  ts.forEachChild(node, child => void identifiersOf(child, out));
  return out;
}

/** The source of imports/kubernetes-l1.ts, from the text of cdk8s-plus-28's lib/imports/k8s.js. */
export function kubernetesL1Module(source: string, version: string): string {
  const file = ts.createSourceFile('k8s.js', source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const byName = statementsByName(file);
  const needed = new Set<ts.Statement>();
  const pending: string[] = [...KUBERNETES_L1_NAMES];
  const seen = new Set<string>(pending);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const statements = byName.get(name);
    if (statements === undefined) throw new Error(`cdk8s-plus-28 lib/imports/k8s.js declares no ${name}`);
    for (const statement of statements) {
      needed.add(statement);
      for (const id of identifiersOf(statement)) {
        if (byName.has(id) && !seen.has(id)) {
          seen.add(id);
          pending.push(id);
        }
      }
    }
  }
  // `exports.X = X` becomes one `export { … }` of the roots: a TypeScript module's own exports, which
  // every compiler of it (tsc, and esbuild under tsx) turns into CommonJS exports alike
  const body = file.statements.filter(s => needed.has(s) && !isExportsAssignment(s)).map(s => s.getText(file));
  return linearToJson([
    '// @ts-nocheck',
    `// Generated by \`npm run import\` (scripts/import-kubernetes-l1.ts) from cdk8s-plus-28@${version} lib/imports/k8s.js`,
    '// (Apache-2.0): the classes the library emits and what they use, verbatim. Do not edit.',
    '/* eslint-disable */',
    ...body,
    `export { ${KUBERNETES_L1_NAMES.join(', ')} };`,
    '',
  ].join('\n'));
}

/** Writes imports/kubernetes-l1.ts from the installed cdk8s-plus-28. */
export function writeKubernetesL1(root: string, outdir: string): void {
  const dir = path.join(root, 'node_modules', 'cdk8s-plus-28');
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const source = fs.readFileSync(path.join(dir, 'lib', 'imports', 'k8s.js'), 'utf8');
  fs.writeFileSync(path.join(outdir, 'kubernetes-l1.ts'), kubernetesL1Module(source, version));
}
