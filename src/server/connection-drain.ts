import type http from 'node:http';
import type { Socket } from 'node:net';
import type tls from 'node:tls';

/**
 * One listener's connections and unanswered requests, so that a shutdown can stop accepting,
 * let the requests in flight finish (answered with `Connection: close`, so the client opens its
 * next connection elsewhere) and cut only what is still open after a deadline.
 */
export class ConnectionDrain {
  private draining = false;
  private readonly sockets = new Set<Socket>();
  private readonly unanswered = new Set<http.ServerResponse>();

  constructor(private readonly server: tls.Server & Pick<http.Server, 'closeIdleConnections'>) {
    // The TCP socket, before the TLS handshake: a handshake left half done also holds close() open.
    server.on('connection', (socket: Socket) => this.track(socket));
    server.on('secureConnection', (socket: tls.TLSSocket) => this.track(socket));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Wraps the listener's application so that its requests are counted. */
  handler(app: http.RequestListener): http.RequestListener {
    return (req, res) => {
      this.unanswered.add(res);
      res.once('close', () => {
        this.unanswered.delete(res);
        // A response whose headers had left before the shutdown kept its keep-alive: close it now.
        if (this.draining) this.server.closeIdleConnections();
      });
      if (this.draining) res.setHeader('connection', 'close');
      app(req, res);
    };
  }

  get inFlight(): number {
    return this.unanswered.size;
  }

  /**
   * Stops accepting at once and closes idle keep-alive connections; resolves when the last
   * connection has ended, or after `graceMs` with the rest destroyed and counted as cut off.
   */
  drain(graceMs: number): Promise<{ cutOff: number }> {
    this.draining = true;
    for (const res of this.unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
    return new Promise((resolve) => {
      let cutOff = 0;
      const deadline = setTimeout(() => {
        cutOff = this.unanswered.size;
        for (const socket of this.sockets) socket.destroy();
      }, graceMs);
      this.server.close(() => {
        clearTimeout(deadline);
        resolve({ cutOff });
      });
      this.server.closeIdleConnections();
    });
  }
}
