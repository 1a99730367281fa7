import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { MessageSearchController } from './message-search.controller';
import { MessageSearchRepository } from './message-search.repository';
import { MessageSearchService } from './message-search.service';
import { MessagesModule } from './messages.module';

/** Message search; apart from the messages module so that the admin CLI does not check its index at start. */
@Module({
  imports: [AccessModule, MessagesModule],
  controllers: [MessageSearchController],
  providers: [MessageSearchService, MessageSearchRepository],
})
export class MessageSearchModule {}
