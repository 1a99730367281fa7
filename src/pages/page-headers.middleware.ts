import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '../common/config/config';
import { originOf, pageHeaders } from './page-headers';

@Injectable()
export class PageHeadersMiddleware implements NestMiddleware {
  private readonly imageOrigin: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Images come from the CDN when MEDIA_BASE_URL names one.
    this.imageOrigin = originOf(config.storage.mediaBaseUrl ?? config.publicUrl);
  }

  use(request: Request, response: Response, next: NextFunction): void {
    response.set(pageHeaders(this.imageOrigin, request.get('host')));
    next();
  }
}
