import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import { handleFailure } from '../common/errors/http-exception.filter';
import { PagesService } from './pages.service';

const NOTICES: Record<number, string> = {
  401: 'Sign in to open this room.',
  404: 'This room does not exist, or you may not see it. Sign in as someone else to open it.',
};

/**
 * A page that cannot be shown answers with the sign-in page and the error's status (401 signed out,
 * 404 not visible): HTML for people, never any part of the room.
 */
@Catch()
@Injectable()
export class PageErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PageErrorFilter');

  constructor(private readonly pages: PagesService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, response } = handleFailure(exception, host, this.logger);
    if (!response) {
      return;
    }
    const notice = NOTICES[status] ?? (status >= 500 ? 'Something went wrong. Please try again.' : 'Not found.');
    const page = this.pages.signInPage(notice, status === 404);
    response.status(status).render('signin', page, (error: Error | null, html?: string) => {
      if (error) {
        this.logger.error(error.stack ?? error.message);
        response.status(500).type('text/plain').send('Internal server error');
        return;
      }
      response.send(html);
    });
  }
}
