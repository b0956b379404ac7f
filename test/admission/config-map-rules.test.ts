import { FailingCase, expectAccepted, expectProblemAt } from './documents';

type Json = Record<string, unknown>;

const configMap = (fields: Json): Json => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, ...fields });

const failing: FailingCase[] = [
  { name: 'a key with a slash', doc: configMap({ data: { 'conf/app.yaml': 'a: 1' } }), path: 'data["conf/app.yaml"]', says: '"conf/app.yaml" is not a ConfigMap key', fix: 'at most 253 letters' },
  { name: 'a key starting with ".."', doc: configMap({ data: { '..data': 'x' } }), path: 'data["..data"]', says: '"..data" is not a ConfigMap key', fix: 'not "." or starting with ".."' },
  { name: 'a key in data and binaryData', doc: configMap({ data: { logo: 'x' }, binaryData: { logo: 'AAAA' } }), path: 'data.logo', says: 'the key "logo" is in binaryData too', fix: 'one of data and binaryData' },
  { name: 'more than 1 MiB', doc: configMap({ data: { a: 'x'.repeat(700 * 1024), b: 'y'.repeat(400 * 1024) } }), path: 'data', says: 'the ConfigMap holds 1126400 bytes, more than the API server\'s 1048576', fix: 'split it' },
];

describe('ConfigMap rules', () => {
  test.each(failing)('$name', ({ doc, path, says, fix }) => expectProblemAt(doc, path, says, fix));

  test('file-name keys and data under 1 MiB pass', () => {
    expectAccepted(configMap({ data: { 'app.yaml': 'a: 1', 'LOG_LEVEL': 'info', '.hidden': 'x' }, binaryData: { 'logo.png': 'iVBORw0KGgo=' } }));
  });
});
