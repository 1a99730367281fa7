import { Controller, Get, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The site's root leads to the chat, so that opening the bare address shows something. */
@ApiExcludeController()
@Controller()
export class RootController {
  @Get()
  @Redirect('/chat/', 302)
  root(): void {}
}
