import { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, SchemaObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/config';
import { ErrorResponseDto } from '../errors/error.dto';

export const SCHEMA_PATH = 'api/v1/schema';
export const SWAGGER_UI_PATH = 'api/v1/swagger';
/** The websocket's AsyncAPI document (realtime/asyncapi/), linked from this one's description. */
export const ASYNCAPI_PATH = 'api/v1/asyncapi';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function operationsOf(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((item) =>
    METHODS.map((method) => item[method]).filter((operation) => operation !== undefined),
  );
}

function schemaNamed(
  document: OpenAPIObject,
  name: string,
): SchemaObject & { properties: Record<string, SchemaObject> } {
  const schema = document.components?.schemas?.[name] as SchemaObject | undefined;
  if (!schema?.properties) {
    throw new Error(`the OpenAPI document has no schema ${name}`);
  }
  return schema as SchemaObject & { properties: Record<string, SchemaObject> };
}

/**
 * The limits that are configured rather than fixed: the validation has a hard cap and the service
 * checks the configured value, so the document states the configured one.
 */
function applyConfiguredLimits(document: OpenAPIObject, config: AppConfig): void {
  for (const name of ['CreateMessageDto', 'UpdateMessageDto']) {
    schemaNamed(document, name).properties.body.maxLength = config.limits.messageBodyLength;
  }
  schemaNamed(document, 'SeenDto').properties.message_ids.maxItems = config.limits.seenIdsPerCall;
}

/**
 * What holds for every operation, said once here rather than on each route: a route without bearer
 * auth is public (`security: []`); the ids in paths are UUIDs (a malformed one is simply not found);
 * request bodies take only the fields described (the validation refuses any other).
 */
function describeEveryOperation(document: OpenAPIObject): void {
  const requestSchemas = new Set<string>();
  // Any operation answers 503 (with Retry-After) while the database cannot be reached, as the health check says.
  const unavailable = document.paths['/health']?.get?.responses?.['503'];
  for (const operation of operationsOf(document)) {
    operation.security ??= [];
    if (unavailable) {
      operation.responses['503'] ??= unavailable;
    }
    for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
      if (parameter.in === 'path' && parameter.name.endsWith('Id')) {
        parameter.schema = { type: 'string', format: 'uuid' };
      }
    }
    const content = (operation.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> })?.content;
    for (const media of Object.values(content ?? {})) {
      if (media.schema?.$ref) {
        requestSchemas.add(media.schema.$ref.split('/').pop()!);
      }
    }
  }
  for (const name of requestSchemas) {
    schemaNamed(document, name).additionalProperties = false;
  }
}

/** `extraModels`: classes no route names whose schemas are wanted too (the websocket's frames and actions). */
export function buildOpenApiDocument(
  app: INestApplication,
  config: AppConfig,
  extraModels: Type[] = [],
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('df-chat')
    .setDescription(
      'Rooms, members, threaded messages with reactions and images, seen receipts, mute and presence. ' +
        'Every error has the shape `{"errors": [{"message", "code", "field"?}]}`. Realtime updates: ' +
        'connect a websocket to `/api/v1/chat/ws/?token=<JWT>`; its frames, actions and close codes are ' +
        `described by the AsyncAPI document at [/${ASYNCAPI_PATH}/](/${ASYNCAPI_PATH}/).`,
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer(config.publicUrl || '/', config.publicUrl ? 'This deployment' : 'The server of this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, builder, {
    extraModels: [ErrorResponseDto, ...extraModels],
  });
  describeEveryOperation(document);
  applyConfiguredLimits(document, config);
  return document;
}

/** The app setupOpenApi documented, for the documents derived from its schemas. */
let documented: { app: INestApplication; config: AppConfig } | undefined;

/**
 * The component schemas of the served document, with those of `extraModels`: what a document derived
 * from it (the websocket's AsyncAPI document) takes rather than describing the same objects twice.
 */
export function documentedSchemas(extraModels: Type[]): Record<string, SchemaObject> {
  if (!documented) {
    throw new Error('the OpenAPI document is not set up');
  }
  return componentSchemas(documented.app, documented.config, extraModels);
}

/** The component schemas of the app's OpenAPI document with those of `extraModels`, by name. */
export function componentSchemas(
  app: INestApplication,
  config: AppConfig,
  extraModels: Type[],
): Record<string, SchemaObject> {
  return buildOpenApiDocument(app, config, extraModels).components?.schemas as Record<string, SchemaObject>;
}

/** The schema at `/api/v1/schema/` and the Swagger UI, served from the installed package, at `/api/v1/swagger/`. */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  documented = { app, config };
  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup(SWAGGER_UI_PATH, app, document, {
    jsonDocumentUrl: SCHEMA_PATH,
    yamlDocumentUrl: `${SCHEMA_PATH}.yaml`,
    customSiteTitle: 'df-chat API',
  });
}
