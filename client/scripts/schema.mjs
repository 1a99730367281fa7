// Writes the app's OpenAPI document to openapi.json and the types generated from it to src/schema.d.ts
// (`write`), or fails when the committed files differ from a fresh generation (`check`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const writer = join(clientDir, '..', 'dist', 'src', 'write-openapi.js');
const documentPath = join(clientDir, 'openapi.json');
const typesPath = join(clientDir, 'src', 'schema.d.ts');
const HEADER = '// Generated from openapi.json by `npm run generate`; do not edit.\n\n';

function freshDocument() {
  if (!existsSync(writer)) {
    throw new Error(`${writer} is missing: run \`npm run build\` in the repository root first`);
  }
  // The document shows the configured limits: generate it with the defaults, not a developer's
  // environment or .env (none in this folder).
  return execFileSync(process.execPath, [writer], {
    cwd: clientDir,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
}

async function typesOf(documentJson) {
  const ast = await openapiTS(JSON.parse(documentJson), {
    // Uploads take a file, not the string openapi-typescript makes of `format: binary`.
    transform(schema) {
      if (schema.format === 'binary') {
        return ts.factory.createTypeReferenceNode('Blob');
      }
      return undefined;
    },
  });
  return HEADER + astToString(ast);
}

async function main(mode) {
  const document = freshDocument();
  const types = await typesOf(document);
  if (mode === 'write') {
    writeFileSync(documentPath, document);
    writeFileSync(typesPath, types);
    return 0;
  }
  if (mode === 'check') {
    const stale = [
      [documentPath, document],
      [typesPath, types],
    ].filter(([path, fresh]) => !existsSync(path) || readFileSync(path, 'utf8') !== fresh);
    for (const [path] of stale) {
      process.stderr.write(`${path} differs from a fresh generation: run \`npm run generate\` in client/\n`);
    }
    return stale.length === 0 ? 0 : 1;
  }
  process.stderr.write('usage: node scripts/schema.mjs write|check\n');
  return 2;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`schema: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
