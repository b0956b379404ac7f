import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { analyze, SUPPRESS_ANNOTATION } from '../../lib/analysis/analyze';
import { AnalysisMessage, MESSAGE_TYPES, MessageCode, messageKey } from '../../lib/analysis/messages';

/**
 * Broken-manifest fixtures, one directory per case under test/fixtures/analysis/<CODE>-<case>/:
 *
 * - positive.yaml   triggers the rule (and nothing else at level Error or Warning);
 * - negative.yaml   the closest correct variant: no message of the code;
 * - suppressed.yaml positive.yaml with the suppress annotation for the code on the resource(s) at
 *                   fault: no message of the code;
 * - expected.json   the message(s) positive.yaml must produce (an object, or an array of them).
 *
 * A case where the analyzer is known to differ from istioctl keeps asserting istioctl's behaviour,
 * says why in `knownBug` and names the failing file in `knownBugCase` (default `positive`); the
 * test of that file is expected to fail until the analyzer is fixed.
 */

type Doc = Record<string, any>;
type Case = 'positive' | 'negative' | 'suppressed';

interface Expected {
  readonly code: MessageCode;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds. */
  readonly resource: string;
  readonly field?: string;
  readonly messageIncludes: string;
  readonly knownBug?: string;
  readonly knownBugCase?: Case;
  /** Codes the positive manifest also reports at Error or Warning level, on purpose. */
  readonly alsoReports?: readonly MessageCode[];
}

interface Fixture {
  readonly name: string;
  readonly code: MessageCode;
  readonly expected: readonly Expected[];
  readonly docs: Record<Case, Doc[]>;
  /** Why the analyzer disagrees with istioctl, when it does. */
  readonly knownBug?: string;
  readonly knownBugCase?: Case;
  readonly alsoReports: readonly MessageCode[];
}

const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures', 'analysis');
const CASES: readonly Case[] = ['positive', 'negative', 'suppressed'];
const CODES = Object.keys(MESSAGE_TYPES) as MessageCode[];

function loadDocs(file: string): Doc[] {
  return (yaml.loadAll(fs.readFileSync(file, 'utf8')) as Doc[]).filter(Boolean);
}

function loadFixture(name: string): Fixture {
  const dir = path.join(FIXTURES_DIR, name);
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected | Expected[];
  const expected = Array.isArray(raw) ? raw : [raw];
  const bug = expected.find(e => e.knownBug);
  const docs = Object.fromEntries(CASES.map(c => [c, loadDocs(path.join(dir, `${c}.yaml`))])) as Record<Case, Doc[]>;
  return {
    name,
    code: name.split('-')[0] as MessageCode,
    expected,
    docs,
    knownBug: bug?.knownBug,
    knownBugCase: bug ? bug.knownBugCase ?? 'positive' : undefined,
    alsoReports: expected.flatMap(e => e.alsoReports ?? []),
  };
}

const FIXTURE_NAMES = fs.readdirSync(FIXTURES_DIR, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();
const FIXTURES = FIXTURE_NAMES.map(loadFixture);

function resourceId(m: AnalysisMessage): string {
  return [m.resource.kind, m.resource.namespace, m.resource.name].filter(Boolean).join('/');
}

function summary(m: AnalysisMessage) {
  return { code: m.code, level: m.level, resource: resourceId(m), field: m.field, message: m.message };
}

const byResourceAndField = <T extends { resource: string; field?: string }>(a: T, b: T) =>
  `${a.resource}\u0000${a.field ?? ''}`.localeCompare(`${b.resource}\u0000${b.field ?? ''}`);

/** Messages at a level that fails synthesis or is printed as a problem. */
const isProblem = (m: AnalysisMessage) => m.level === 'Error' || m.level === 'Warning';

/** `test`, or `test.failing` for the case a fixture marks as a known analyzer bug. */
function testFor(fixture: Fixture, c: Case): jest.It {
  return fixture.knownBug && fixture.knownBugCase === c ? test.failing : test;
}

/** The docs without the suppress annotation (and without an annotations map it leaves empty). */
function withoutSuppression(docs: readonly Doc[]): Doc[] {
  return docs.map(d => {
    const copy = JSON.parse(JSON.stringify(d)) as Doc;
    const annotations = copy.metadata?.annotations;
    if (annotations && SUPPRESS_ANNOTATION in annotations) {
      delete annotations[SUPPRESS_ANNOTATION];
      if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
    }
    return copy;
  });
}

/** Deep-freezes a value so that any mutation by the analyzers throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

describe('analysis fixtures', () => {
  test('there are fixtures, each with positive, negative and suppressed manifests and expected.json', () => {
    expect(FIXTURES.length).toBeGreaterThan(0);
    for (const name of FIXTURE_NAMES) {
      for (const file of ['positive.yaml', 'negative.yaml', 'suppressed.yaml', 'expected.json']) {
        expect([name, fs.existsSync(path.join(FIXTURES_DIR, name, file))]).toEqual([name, true]);
      }
    }
  });

  test('every code in MESSAGE_TYPES has at least one fixture', () => {
    const covered = new Set(FIXTURES.map(f => f.code));
    expect(CODES.filter(c => !covered.has(c))).toEqual([]);
  });

  test.each(FIXTURE_NAMES)('%s: the directory is named <CODE>-<case> for a known code that expected.json reports', name => {
    const fixture = FIXTURES.find(f => f.name === name)!;
    expect(name).toMatch(/^[A-Z]{3}\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(CODES).toContain(fixture.code);
    expect(fixture.expected.length).toBeGreaterThan(0);
    for (const e of fixture.expected) {
      expect(e.code).toBe(fixture.code);
      expect(typeof e.resource).toBe('string');
      expect(typeof e.messageIncludes).toBe('string');
    }
    if (fixture.knownBugCase) expect(CASES).toContain(fixture.knownBugCase);
  });

  test.each(FIXTURE_NAMES)('%s: suppressed.yaml is positive.yaml plus the suppress annotation on the resources at fault', name => {
    const fixture = FIXTURES.find(f => f.name === name)!;
    expect(withoutSuppression(fixture.docs.suppressed)).toEqual(fixture.docs.positive);
    const annotated = fixture.docs.suppressed
      .filter(d => d.metadata?.annotations?.[SUPPRESS_ANNOTATION] !== undefined)
      .map(d => [d.kind, d.metadata.namespace, d.metadata.name].filter(Boolean).join('/'))
      .sort();
    expect(annotated).toEqual([...new Set(fixture.expected.map(e => e.resource))].sort());
    for (const d of fixture.docs.suppressed) {
      const value = d.metadata?.annotations?.[SUPPRESS_ANNOTATION];
      if (value !== undefined) expect(String(value).split(',').map(s => s.trim())).toContain(fixture.code);
    }
  });

  describe.each(FIXTURES.map(f => [f.name, f] as const))('%s', (_name, fixture) => {
    const code = fixture.code;
    const level = MESSAGE_TYPES[code].level;
    const bugNote = (c: Case) => (fixture.knownBug && fixture.knownBugCase === c ? ' [known analyzer bug, see expected.json]' : '');

    testFor(fixture, 'positive')(`positive reports exactly the expected ${code} messages and no other problems${bugNote('positive')}`, () => {
      const messages = analyze(fixture.docs.positive);
      const actual = messages.filter(m => m.code === code).map(summary).sort(byResourceAndField);
      const wanted = [...fixture.expected].sort(byResourceAndField).map(e => ({
        code,
        level,
        resource: e.resource,
        field: e.field,
        message: expect.stringContaining(e.messageIncludes),
      }));
      expect(actual).toEqual(wanted);
      const others = messages.filter(m => m.code !== code && isProblem(m) && !fixture.alsoReports.includes(m.code)).map(summary);
      expect(others).toEqual([]);
    });

    testFor(fixture, 'negative')(`negative reports no ${code} message and no other problems${bugNote('negative')}`, () => {
      const messages = analyze(fixture.docs.negative);
      expect(messages.filter(m => m.code === code).map(summary)).toEqual([]);
      expect(messages.filter(isProblem).map(summary)).toEqual([]);
    });

    testFor(fixture, 'suppressed')(`suppressed reports no ${code} message${bugNote('suppressed')}`, () => {
      expect(analyze(fixture.docs.suppressed).filter(m => m.code === code).map(summary)).toEqual([]);
    });
  });
});

describe('suppress annotation', () => {
  // A fixture the analyzers handle (no known bug), with one resource at fault.
  const fixture = FIXTURES.find(f => f.name === 'IST0101-subset-not-found')!;
  const annotate = (value: string) => fixture.docs.positive.map(d => (d.kind === 'VirtualService'
    ? { ...d, metadata: { ...d.metadata, annotations: { [SUPPRESS_ANNOTATION]: value } } }
    : d));
  const codesOf = (docs: Doc[]) => analyze(docs).map(m => m.code);

  test('the fixture reports IST0101 when nothing is suppressed', () => {
    expect(codesOf(fixture.docs.positive)).toContain('IST0101');
  });

  test.each(['*', 'IST0101', 'IST0118,IST0101', 'IST0118, IST0101 '])('"%s" suppresses IST0101 on the resource', value => {
    expect(codesOf(annotate(value))).not.toContain('IST0101');
  });

  test.each(['IST0118', 'IST0132,IST0130', 'ist0101', ''])('"%s" leaves IST0101 reported', value => {
    expect(codesOf(annotate(value))).toContain('IST0101');
  });

  test('the annotation on another resource does not suppress the finding', () => {
    const docs = fixture.docs.positive.map(d => (d.kind === 'DestinationRule'
      ? { ...d, metadata: { ...d.metadata, annotations: { [SUPPRESS_ANNOTATION]: '*' } } }
      : d));
    expect(codesOf(docs)).toContain('IST0101');
  });
});

describe('analyze()', () => {
  // Every positive manifest analyzed as one set (a later copy of the same object replaces an earlier one): many codes at once.
  const everyPositive = FIXTURES.flatMap(f => f.docs.positive);

  const key = (m: AnalysisMessage) =>
    [m.resource.kind, m.resource.namespace ?? '', m.resource.name, m.code, m.field ?? '', m.message].join('\u0000');

  test('reports messages sorted by resource kind, namespace, name, then code, field and message', () => {
    const messages = analyze(everyPositive);
    expect(new Set(messages.map(m => m.code)).size).toBeGreaterThan(10);
    const keys = messages.map(key);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('the order of the documents does not change the result', () => {
    for (const fixture of FIXTURES) {
      const docs = fixture.docs.positive;
      expect([fixture.name, analyze([...docs].reverse())]).toEqual([fixture.name, analyze(docs)]);
    }
  });

  test('is pure: the same input twice gives the same output, and the input is not modified', () => {
    const docs = deepFreeze(JSON.parse(JSON.stringify(everyPositive)) as Doc[]);
    const before = JSON.stringify(docs);
    const first = analyze(docs);
    const second = analyze(docs);
    expect(second).toEqual(first);
    expect(first).not.toBe(second);
    expect(JSON.stringify(docs)).toBe(before);
  });

  test('every message carries the name and level MESSAGE_TYPES gives its code', () => {
    for (const m of analyze(everyPositive)) {
      expect({ code: m.code, name: m.name, level: m.level }).toEqual(MESSAGE_TYPES[m.code]);
    }
  });
});

describe('findings are de-duplicated by content', () => {
  test('identical findings count once, whatever their length', () => {
    const long = 'x'.repeat(20_000);
    const resource = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'a', namespace: 'n' };
    const finding = (i: number): AnalysisMessage => ({
      code: 'IST0101', name: 'ReferencedResourceNotFound', level: 'Error', message: `${long}${String(i % 3)}`, resource,
    });
    const keys = new Set([0, 1, 2, 3, 4, 5].map(i => messageKey(finding(i))));
    expect(keys.size).toBe(3);
  });
});
