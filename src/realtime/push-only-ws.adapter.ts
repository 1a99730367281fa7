import type { MessageMappingProperties } from '@nestjs/websockets';
import { WsAdapter } from '@nestjs/platform-ws';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * The chat gateway reads client frames itself (`SocketActions`: its own envelope, acks and error
 * frames), not through `@SubscribeMessage` handlers. Nest's adapter would still build, for every
 * connection, a stream of its incoming messages to route to handlers, and keep it for the connection's
 * life; with no handler declared, that is memory per idle connection spent on nothing, so it is not
 * built. A gateway that declares handlers gets them bound as before.
 */
export class PushOnlyWsAdapter extends WsAdapter {
  override bindMessageHandlers(
    client: unknown,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length > 0) {
      super.bindMessageHandlers(client, handlers, transform);
    }
  }

  /**
   * An error on one client's socket is that client's doing (a frame over `maxPayload`, bad UTF-8, a
   * broken frame): `ws` closes that connection, and it is logged as a warning, not as a server error.
   */
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (client: WebSocket) =>
      client.on('error', (error) => this.logger.warn(`websocket client error: ${error.message}`)),
    );
    server.on('error', (error) => this.logger.error(error));
    return server;
  }
}
