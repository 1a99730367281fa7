import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error.dto';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('df-chat')
    .setDescription(
      'Rooms, members, threaded messages with reactions and images, seen receipts, mute and presence. ' +
        'Every error has the shape `{"errors": [{"message", "code", "field"?}]}`. Realtime updates: ' +
        'connect a websocket to `/api/v1/chat/ws/?token=<JWT>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] });
}

/** The schema at `/api/v1/schema/` and the Swagger UI, served from the installed package, at `/api/v1/swagger/`. */
export function setupOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/v1/swagger', app, document, {
    jsonDocumentUrl: 'api/v1/schema',
    yamlDocumentUrl: 'api/v1/schema.yaml',
    customSiteTitle: 'df-chat API',
  });
}
