import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Closes an HTTP server without cutting a request off. `server.close()` alone stops accepting and
 * drops idle keep-alive connections, but a keep-alive connection whose request is in flight would
 * stay open for the next request and be reset when the process exits. So every response still
 * being written, and every request that arrives on an open connection after the close, is sent
 * with `Connection: close`: Node then ends that connection once its response is out.
 */
export class ConnectionDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private closing = false;

  constructor(private readonly server: Server) {
    // Before Express, so the header is set even when Express answers synchronously.
    server.prependListener('request', (_request: IncomingMessage, response: ServerResponse) => {
      if (this.closing) response.setHeader('Connection', 'close');
      this.inFlight.add(response);
      response.once('close', () => {
        this.inFlight.delete(response);
        // A connection whose last response went out before the header could be set is idle now.
        if (this.closing) this.server.closeIdleConnections();
      });
    });
  }

  /** Requests being served now. */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * Stops accepting connections and resolves once every request in flight has been answered and
   * every connection has ended.
   */
  close(): Promise<void> {
    this.closing = true;
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeIdleConnections();
    });
  }
}
