// The README's TypeScript snippets are type-checked against the real package: each one, with
// its `meetergo-slots/...` imports pointed at src/, compiles under the project's tsconfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((match) => match[1]!)
  .filter((code) => code.includes("from 'meetergo-slots"))
  .map((code) =>
    code
      .replaceAll("'meetergo-slots/proxy/node'", "'../src/proxy/node.js'")
      .replaceAll("'meetergo-slots/proxy/redis'", "'../src/proxy/redis.js'")
      .replaceAll("'meetergo-slots/proxy'", "'../src/proxy/index.js'")
      .replaceAll("'meetergo-slots/stand-in'", "'../src/stand-in/index.js'"),
  );

test('the README has TypeScript snippets that import the package', () => {
  assert.ok(snippets.length >= 4, `found ${snippets.length}`);
});

test('every README snippet type-checks against the package', () => {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
        assert.fail(String(diagnostic.messageText)),
    },
  )!;
  const files = new Map(
    snippets.map((code, index) => [
      path.join(root, 'examples', `readme-snippet-${index}.ts`),
      code,
    ]),
  );
  const host = ts.createCompilerHost(config.options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.getSourceFile = (file, language, ...rest) => {
    const code = files.get(file);
    return code === undefined
      ? getSourceFile(file, language, ...rest)
      : ts.createSourceFile(file, code, language, true);
  };
  // Each snippet is its own module (they declare the same names), so each is its own program.
  for (const [file, code] of files) {
    const program = ts.createProgram([file], { ...config.options, noEmit: true }, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === file)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.deepEqual(problems, [], `README snippet:\n${code}`);
  }
});
