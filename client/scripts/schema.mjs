// Writes the app's OpenAPI document to openapi.json, its websocket's AsyncAPI document to asyncapi.json
// and the types generated from both to src/schema.d.ts (`write`), or fails when the committed files
// differ from a fresh generation (`check`).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const clientDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const writer = join(clientDir, '..', 'dist', 'src', 'write-openapi.js');
const openApiPath = join(clientDir, 'openapi.json');
const asyncApiPath = join(clientDir, 'asyncapi.json');
const typesPath = join(clientDir, 'src', 'schema.d.ts');
const HEADER = '// Generated from openapi.json and asyncapi.json by `npm run generate`; do not edit.\n\n';

function freshDocument(...args) {
  if (!existsSync(writer)) {
    throw new Error(`${writer} is missing: run \`npm run build\` in the repository root first`);
  }
  // The documents show the configured limits: generate them with the defaults, not a developer's
  // environment or .env (none in this folder).
  return execFileSync(process.execPath, [writer, ...args], {
    cwd: clientDir,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
}

/** `presenceFrame` → `PresenceFrame`: the websocket messages' payloads, named beside the REST schemas. */
const payloadName = (message) => message[0].toUpperCase() + message.slice(1);

/**
 * One set of types for both documents: the REST schemas, and each websocket message's payload as a
 * schema of its own (their objects are the same schemas: the AsyncAPI document takes them from the
 * OpenAPI document).
 */
async function typesOf(openApiJson, asyncApiJson) {
  const openApi = JSON.parse(openApiJson);
  const asyncApi = JSON.parse(asyncApiJson);
  const schemas = { ...openApi.components.schemas };
  for (const [name, schema] of Object.entries(asyncApi.components.schemas)) {
    schemas[name] ??= schema;
  }
  for (const [message, { payload, summary }] of Object.entries(asyncApi.components.messages)) {
    const name = payloadName(message);
    if (schemas[name]) {
      throw new Error(`the websocket message ${message} is named as the schema ${name}`);
    }
    schemas[name] = { ...payload, description: summary };
  }
  const ast = await openapiTS(
    { ...openApi, components: { ...openApi.components, schemas } },
    {
      // Uploads take a file, not the string openapi-typescript makes of `format: binary`.
      transform(schema) {
        if (schema.format === 'binary') {
          return ts.factory.createTypeReferenceNode('Blob');
        }
        return undefined;
      },
    },
  );
  return HEADER + astToString(ast);
}

async function main(mode) {
  const openApi = freshDocument();
  const asyncApi = freshDocument('--asyncapi');
  const files = [
    [openApiPath, openApi],
    [asyncApiPath, asyncApi],
    [typesPath, await typesOf(openApi, asyncApi)],
  ];
  if (mode === 'write') {
    for (const [path, fresh] of files) {
      writeFileSync(path, fresh);
    }
    return 0;
  }
  if (mode === 'check') {
    const stale = files.filter(([path, fresh]) => !existsSync(path) || readFileSync(path, 'utf8') !== fresh);
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
