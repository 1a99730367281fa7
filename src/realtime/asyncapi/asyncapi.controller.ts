import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../../common/config/config';
import { ASYNCAPI_PATH, documentedSchemas } from '../../common/openapi/openapi';
import { ASYNCAPI_MODELS, buildAsyncApiDocument } from './asyncapi-document';
import { websocketServerOf } from './websocket-server';

/** The websocket's AsyncAPI document; like `/api/v1/schema/`, it is not an operation of the OpenAPI document. */
@ApiExcludeController()
@Controller(ASYNCAPI_PATH)
export class AsyncApiController {
  /** The OpenAPI schemas it shares, built at the first request: they change only with the code. */
  private schemas: ReturnType<typeof documentedSchemas> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  document(@Req() request: Request) {
    this.schemas ??= documentedSchemas(ASYNCAPI_MODELS);
    return buildAsyncApiDocument(this.schemas, websocketServerOf(this.config.publicUrl, request));
  }
}
