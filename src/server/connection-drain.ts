import type http from 'node:http';
import type { Socket } from 'node:net';
import type tls from 'node:tls';

/** The response a connection is answering, kept on the connection itself. */
const ANSWERING = Symbol('answering');
type AnsweringSocket = Socket & { [ANSWERING]?: http.ServerResponse | null };

/**
 * One listener's connections and unanswered requests, so that a shutdown can stop accepting,
 * let the requests in flight finish (answered with `Connection: close`, so the client opens its
 * next connection elsewhere) and cut only what is still open after a deadline.
 */
export class ConnectionDrain {
  private draining = false;
  private readonly sockets = new Set<Socket>();
  private unanswered = 0;

  constructor(private readonly server: tls.Server & Pick<http.Server, 'closeIdleConnections'>) {
    // The TCP socket, before the TLS handshake: a handshake left half done also holds close() open.
    server.on('connection', (socket: Socket) => this.track(socket));
    server.on('secureConnection', (socket: tls.TLSSocket) => this.track(socket));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /**
   * Wraps the listener's application so that its requests are counted, and each connection knows
   * the response it is answering. Not a Set of responses: a Set that gains and loses an entry per
   * request replaces its table every few requests, and V8 links each replaced table to the next.
   * Once one table had aged into the old generation (after a quiet spell), that chain kept every
   * later response — with its request, context and entities — alive through each young-generation
   * collection: scavenges of 14 ms instead of 1.5, whoami at 4,000–5,000 req/s instead of 7,000
   * (npm run bench:profile; docs/performance.md, fifth pass).
   */
  handler(app: http.RequestListener): http.RequestListener {
    return (req, res) => {
      const connection: AnsweringSocket = req.socket;
      this.unanswered++;
      connection[ANSWERING] = res;
      res.once('close', () => {
        this.unanswered--;
        if (connection[ANSWERING] === res) connection[ANSWERING] = null;
        // A response whose headers had left before the shutdown kept its keep-alive: close it now.
        if (this.draining) this.server.closeIdleConnections();
      });
      if (this.draining) res.setHeader('connection', 'close');
      app(req, res);
    };
  }

  get inFlight(): number {
    return this.unanswered;
  }

  /**
   * Stops accepting at once and closes idle keep-alive connections; resolves when the last
   * connection has ended, or after `graceMs` with the rest destroyed and counted as cut off.
   */
  drain(graceMs: number): Promise<{ cutOff: number }> {
    this.draining = true;
    // (Of pipelined requests a connection knows the last: its answer, sent last, closes the connection.)
    for (const socket of this.sockets) {
      const res = (socket as AnsweringSocket)[ANSWERING];
      if (res && !res.headersSent) res.setHeader('connection', 'close');
    }
    return new Promise((resolve) => {
      let cutOff = 0;
      const deadline = setTimeout(() => {
        cutOff = this.unanswered;
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
