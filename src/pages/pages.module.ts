import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MessagesModule } from '../messages/messages.module';
import { RealtimeEventsModule } from '../realtime/realtime-events.module';
import { RoomUsersModule } from '../room-users/room-users.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { PageErrorFilter } from './page-error.filter';
import { PageHeadersMiddleware } from './page-headers.middleware';
import { PagesController } from './pages.controller';
import { PagesService } from './pages.service';
import { PageApiController } from './page-api.controller';
import { RootController } from './root.controller';

@Module({
  imports: [RoomsModule, MessagesModule, RoomUsersModule, UsersModule, RealtimeEventsModule],
  // PageApiController first: its `GET /chat/session` must win over `GET /chat/:roomId`.
  controllers: [PageApiController, PagesController, RootController],
  providers: [PagesService, PageErrorFilter],
})
export class PagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PageHeadersMiddleware).forRoutes(PageApiController, PagesController);
  }
}
