// The README's TypeScript snippets (ts and tsx) are type-checked against the real package: each
// one, with its `meetergo-slots/...` imports pointed at src/ (the generated JSX types at dist/,
// so this needs a build), compiles under the project's tsconfig. The Next.js consumer app's
// route handler is the README's, verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

const snippets = [...readme.matchAll(/```(tsx?)\n([\s\S]*?)```/g)]
  .map((match) => ({ ext: match[1]!, code: match[2]! }))
  .filter(({ code }) => /from 'meetergo-slots[/']/.test(code))
  .map(({ ext, code }) => ({
    ext,
    code: code
      .replaceAll("'meetergo-slots/proxy/node'", "'../src/proxy/node.js'")
      .replaceAll("'meetergo-slots/proxy/redis'", "'../src/proxy/redis.js'")
      .replaceAll("'meetergo-slots/proxy'", "'../src/proxy/index.js'")
      .replaceAll("'meetergo-slots/stand-in'", "'../src/stand-in/index.js'")
      .replaceAll("'meetergo-slots/react'", "'../src/react.js'")
      .replaceAll("'meetergo-slots/jsx/react'", "'../dist/jsx/react.js'")
      .replaceAll("'meetergo-slots/vue'", "'../dist/vue.js'")
      .replaceAll("'meetergo-slots'", "'../src/index.js'"),
  }))
  // The Vue snippets need Vue and its Vite plugin, which the consumer test installs and checks.
  .filter(({ code }) => !/from '(vue|@vitejs\/plugin-vue)'/.test(code));

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
    snippets.map(({ ext, code }, index) => [
      path.join(root, 'examples', `readme-snippet-${index}.${ext}`),
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
    const program = ts.createProgram(
      [file],
      { ...config.options, noEmit: true, jsx: ts.JsxEmit.ReactJSX },
      host,
    );
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file?.fileName === file)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    assert.deepEqual(problems, [], `README snippet:\n${code}`);
  }
});

test("the Next.js consumer app's route handler is the README's", () => {
  const route = readFileSync(
    path.join(root, 'test/consumers/next/app/api/meetergo/[...path]/route.ts'),
    'utf8',
  );
  const code = route.replace(/^\/\/.*\n/, '');
  assert.ok(readme.includes(code), 'the README shows test/consumers/next/.../route.ts verbatim');
});
