/**
 * Generates imports/kubernetes-schemas.ts (called by scripts/import-crds.ts, `npm run import`): the
 * JSON Schemas of the built-in Kubernetes kinds the validator knows, so the published package needs
 * no Kubernetes model library at run time.
 *
 * Source: the declaration files of kubernetes-models (a devDependency), read with the TypeScript
 * compiler API. They are generated from the Kubernetes OpenAPI document and carry the API field
 * names verbatim, which fields are required, and enums as string-literal unions. The one thing a
 * declaration cannot say is whether a `number` is an integer (and an int32): that is read from the
 * package's own compiled validator for the type, by probing the field with 1.5 and 2^31.
 *
 * Every object gets `additionalProperties: false` (strict field validation) except free-form
 * types (an interface without fields: RawExtension, JSON, FieldsV1) and ObjectMeta, whose
 * unknown fields lib/analysis/schema/metadata.ts reports in its own words.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** The kinds that get a schema: what the library and the bundled apps emit, and the common workload, RBAC and policy kinds. */
const KINDS = [
  'v1/Namespace', 'v1/Service', 'v1/ServiceAccount', 'v1/Secret', 'v1/ConfigMap', 'v1/Pod', 'v1/PersistentVolumeClaim',
  'v1/Endpoints', 'v1/LimitRange', 'v1/ResourceQuota',
  'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet',
  'batch/v1/Job', 'batch/v1/CronJob',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/IngressClass', 'networking.k8s.io/v1/NetworkPolicy',
  'policy/v1/PodDisruptionBudget', 'autoscaling/v2/HorizontalPodAutoscaler',
];

type Schema = Record<string, unknown>;

/** Type aliases with a meaning of their own, by their kubernetes-models export name. */
const SPECIAL_ALIASES: Readonly<Record<string, Schema>> = {
  IoK8sApimachineryPkgUtilIntstrIntOrString: { type: ['string', 'integer'] },
  // k8s.io/apimachinery/pkg/api/resource: a signed decimal, then a binary-SI, decimal-SI or exponent suffix.
  IoK8sApimachineryPkgApiResourceQuantity: {
    type: ['string', 'number'],
    pattern: '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$',
  },
  IoK8sApimachineryPkgApisMetaV1Time: { type: 'string', format: 'date-time' },
  IoK8sApimachineryPkgApisMetaV1MicroTime: { type: 'string', format: 'date-time' },
};

/** Definitions whose unknown fields are left to another check. */
const OPEN_DEFINITIONS = new Set(['IoK8sApimachineryPkgApisMetaV1ObjectMeta']);

const INT32 = { minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };

/** How a number field is probed through its owner's compiled validator. */
interface Probe {
  /** The owner's compiled validator. */
  readonly validate: ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> | null };
  /** Wraps a value into an owner object with the value at the field. */
  readonly wrap: (value: unknown) => unknown;
  /** The JSON Pointer ajv reports for the field. */
  readonly pointer: string;
}

/** The schemas module source (deterministic for a given kubernetes-models version). */
export function kubernetesSchemaModule(root: string): string {
  const modelsDir = path.dirname(require.resolve('kubernetes-models/package.json', { paths: [root] }));
  const files = KINDS.map((k) => path.join(modelsDir, `${k.replace(/^(?:v1)\//, 'v1/')}.d.ts`));
  // Only the models' own declarations are read: no default lib and no @types packages (parsing them was
  // most of the import's time; the walk below resolves nothing of theirs).
  const program = ts.createProgram(files, { noEmit: true, strict: false, skipLibCheck: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  const definitions: Record<string, Schema> = {};
  const kinds: Record<string, string> = {};

  /** The export alias of a declaration (`IIoK8sApiCoreV1Container` -> `IoK8sApiCoreV1Container`). */
  function definitionName(decl: ts.InterfaceDeclaration | ts.TypeAliasDeclaration): string {
    const text = decl.getSourceFile().text;
    const alias = new RegExp(`export \\{ ${decl.name.text} as I(\\w+)[,\\s]`).exec(text);
    if (!alias) throw new Error(`no export alias for ${decl.name.text} in ${decl.getSourceFile().fileName}`);
    return alias[1];
  }

  function validatorOf(decl: ts.Declaration, name: string): Probe['validate'] {
    let dir = path.dirname(decl.getSourceFile().fileName);
    while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- kubernetes-models' compiled validator of one type, by path
    return require(path.join(dir, '_schemas', `${name}.js`)).validate;
  }

  function fails(probe: Probe, value: unknown, keyword: string): boolean {
    probe.validate(probe.wrap(value));
    return (probe.validate.errors ?? []).some((e) => e.instancePath === probe.pointer && e.keyword === keyword);
  }

  function numberSchema(probe: Probe): Schema {
    if (!fails(probe, 1.5, 'type')) return { type: 'number' };
    return fails(probe, 2 ** 31, 'format') ? { type: 'integer', ...INT32 } : { type: 'integer' };
  }

  function convert(node: ts.TypeNode, probe: Probe): Schema {
    if (ts.isParenthesizedTypeNode(node)) return convert(node.type, probe);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword: return numberSchema(probe);
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword: return {};
    }
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: 'string', enum: [node.literal.text] };
    if (ts.isUnionTypeNode(node)) {
      const literals = node.types.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined));
      if (literals.every((l): l is string => l !== undefined)) return { type: 'string', enum: literals };
      throw new Error(`unsupported union ${node.getText()}`);
    }
    if (ts.isArrayTypeNode(node)) return arrayOf(node.elementType, probe);
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) {
        const inner: Probe = { ...probe, wrap: (v) => probe.wrap({ k: v }), pointer: `${probe.pointer}/k` };
        return { type: 'object', additionalProperties: convert(index.type, inner) };
      }
      return objectSchema(node.members, '', () => probe);
    }
    if (ts.isTypeReferenceNode(node)) {
      if (ts.isIdentifier(node.typeName) && node.typeName.text === 'Array' && node.typeArguments?.length === 1) {
        return arrayOf(node.typeArguments[0], probe);
      }
      return { $ref: `#/definitions/${define(node.typeName)}` };
    }
    throw new Error(`unsupported type ${node.getText()}`);
  }

  function arrayOf(element: ts.TypeNode, probe: Probe): Schema {
    return { type: 'array', items: convert(element, { ...probe, wrap: (v) => probe.wrap([v]), pointer: `${probe.pointer}/0` }) };
  }

  /** Adds the definition a type name refers to (and everything it uses); returns its name. */
  function define(typeName: ts.EntityName): string {
    let symbol = checker.getSymbolAtLocation(typeName);
    // eslint-disable-next-line no-bitwise -- TypeScript's symbol flags are a bit set
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) as
      ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined;
    if (!decl) throw new Error(`cannot resolve ${typeName.getText()}`);
    const name = definitionName(decl);
    if (definitions[name] !== undefined) return name;
    if (ts.isTypeAliasDeclaration(decl)) {
      definitions[name] = SPECIAL_ALIASES[name] ?? {};
      if (SPECIAL_ALIASES[name] === undefined) {
        definitions[name] = convert(decl.type, { validate: validatorOf(decl, name), wrap: (v) => v, pointer: '' });
      }
      return name;
    }
    definitions[name] = {}; // placeholder: recursive types (JSONSchemaProps) refer to themselves
    let probe: Probe | undefined;
    const owner = () => probe ??= { validate: validatorOf(decl, name), wrap: (v) => v, pointer: '' };
    definitions[name] = objectSchema(decl.members, name, owner);
    return name;
  }

  /** An object type's schema; `owner` probes its number fields (undefined when it has none). */
  function objectSchema(members: readonly ts.TypeElement[], name: string, owner: () => Probe): Schema {
    const fields = members.filter(ts.isPropertySignature);
    if (fields.length === 0) return { type: 'object' };
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const m of fields) {
      const field = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
      if (!m.type) throw new Error(`${name}.${field} has no type`);
      const lazy: Probe = {
        get validate() { return owner().validate; },
        wrap: (v) => owner().wrap({ [field]: v }),
        get pointer() { return `${owner().pointer}/${field}`; },
      };
      const schema = convert(m.type, lazy);
      // The API server takes null for an optional field as unset (ajv's nullable needs a type, and no enum).
      const nullable = m.questionToken !== undefined && schema.type !== undefined && schema.enum === undefined;
      properties[field] = nullable ? { ...schema, nullable: true } : schema;
      if (!m.questionToken) required.push(field);
    }
    return {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
      ...(OPEN_DEFINITIONS.has(name) ? {} : { additionalProperties: false }),
    };
  }

  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`kubernetes-models has no ${file}`);
    const kind = path.basename(file, '.d.ts');
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`);
    if (!decl) throw new Error(`no interface I${kind} in ${file}`);
    const apiVersion = decl.members.filter(ts.isPropertySignature).find((m) => m.name.getText() === '"apiVersion"')?.type;
    if (!apiVersion || !ts.isLiteralTypeNode(apiVersion) || !ts.isStringLiteral(apiVersion.literal)) {
      throw new Error(`${kind} has no apiVersion`);
    }
    kinds[`${apiVersion.literal.text}/${kind}`] = define(decl.name);
  }

  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  const version: string = JSON.parse(fs.readFileSync(path.join(modelsDir, 'package.json'), 'utf8')).version;
  const payload = JSON.stringify({ kinds, definitions: sorted });
  return [
    `// Generated by \`npm run import\` (scripts/import-kubernetes-schemas.ts) from kubernetes-models@${version}. Do not edit.`,
    '',
    '/** JSON Schemas of built-in Kubernetes kinds: field names, types, required fields and enums, no descriptions. */',
    'export interface KubernetesSchemas {',
    '  /** `apiVersion/kind` (`apps/v1/Deployment`, `v1/Service`) to the name of its definition. */',
    '  readonly kinds: Readonly<Record<string, string>>;',
    '  /** Every definition the kinds use, by name; references are `#/definitions/<name>`. */',
    '  readonly definitions: Readonly<Record<string, Record<string, unknown>>>;',
    '}',
    '',
    '/** The schemas, parsed once on first import. */',
    `export const KUBERNETES_SCHEMAS: KubernetesSchemas = JSON.parse(${JSON.stringify(payload)});`,
    '',
  ].join('\n');
}
