import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Real load balancers in front of test gateways: Debian's HAProxy and nginx (`.ci/run` installs
 * them), started with a generated configuration in a temporary folder, on free loopback ports.
 * The configurations are those of docs/deployment.md ("Behind a load balancer"), with test ports and paths.
 */
export class LoadBalancer {
  private stderr = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly dir: string,
    /** The balancer's ports, by the name the configuration gave them. */
    readonly ports: Record<string, number>,
  ) {
    child.stderr!.on('data', (chunk) => (this.stderr = (this.stderr + String(chunk)).slice(-4000)));
  }

  origin(port: string): string {
    return `https://localhost:${this.ports[port]}`;
  }

  /** What the balancer wrote on stderr (its own errors and warnings), for a failure's message. */
  get log(): string {
    return this.stderr;
  }

  static async start(
    name: 'haproxy' | 'nginx',
    binary: string,
    portNames: string[],
    config: (dir: string, ports: Record<string, number>) => string,
    args: (configFile: string, dir: string) => string[],
  ): Promise<LoadBalancer> {
    if (!fs.existsSync(binary)) {
      throw new Error(`${binary} is missing: these tests run a real ${name} (apt-get install -y haproxy nginx-light; .ci/run does it)`);
    }
    for (let attempt = 1; ; attempt++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cibg-${name}-`));
      const ports: Record<string, number> = {};
      for (const portName of portNames) ports[portName] = await freePort();
      const configFile = path.join(dir, `${name}.conf`);
      fs.writeFileSync(configFile, config(dir, ports));
      const child = spawn(binary, args(configFile, dir), { stdio: ['ignore', 'ignore', 'pipe'] });
      const balancer = new LoadBalancer(name, child, dir, ports);
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) => reject(new Error(`${name} exited with ${code} at start:\n${balancer.log}`))),
      );
      try {
        await Promise.race([Promise.all(Object.values(ports).map((port) => waitForPort(port))), exited]);
        return balancer;
      } catch (error) {
        await balancer.stop();
        // Something else took one of the free ports before the balancer could bind it: new ports.
        if (attempt < 3 && /in use/i.test(balancer.log)) continue;
        throw error;
      }
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface GatewayPorts {
  api: number;
  enroll: number;
}

/**
 * HAProxy in TCP mode (TLS passes through: mTLS end to end) sending PROXY protocol v2 to each
 * gateway, on the API and the enrollment listener; health checks ask `/readyz` on the enrollment
 * listener over TLS (verifying the gateway's certificate), with a PROXY header of their own (LOCAL).
 */
export function startHaproxy(gateways: GatewayPorts[], serverCaPath: string): Promise<LoadBalancer> {
  const check = (gateway: GatewayPorts) =>
    `check port ${gateway.enroll} check-ssl verify required ca-file ${serverCaPath} check-send-proxy inter 2s`;
  const servers = (listener: keyof GatewayPorts) =>
    gateways.map((gateway, i) => `  server gateway${i + 1} 127.0.0.1:${gateway[listener]} send-proxy-v2 ${check(gateway)}`).join('\n');
  return LoadBalancer.start(
    'haproxy',
    '/usr/sbin/haproxy',
    ['api', 'enroll'],
    (_dir, ports) => `global
  maxconn 512

defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option httpchk GET /readyz
  http-check expect status 200

frontend api
  bind 127.0.0.1:${ports.api}
  default_backend gateway_api

backend gateway_api
  balance roundrobin
${servers('api')}

frontend enroll
  bind 127.0.0.1:${ports.enroll}
  default_backend gateway_enroll

backend gateway_enroll
  balance roundrobin
${servers('enroll')}
`,
    (configFile) => ['-db', '-f', configFile],
  );
}

export interface NginxSite {
  /** The port's name (LoadBalancer.origin). */
  name: string;
  /** The gateways' API ports. */
  upstreams: number[];
  /** Extra http-level lines (a `map` the headers use). */
  http?: string;
  /** proxy_set_header lines: name → value in nginx syntax. */
  headers: Record<string, string>;
}

/**
 * nginx terminating mTLS (it asks for and verifies the client's certificate against the bank CA)
 * and passing each request over TLS to the gateways in trusted-proxy mode.
 */
export function startNginx(pki: { caPath: string; certPath: string; keyPath: string }, sites: NginxSite[]): Promise<LoadBalancer> {
  const site = (s: NginxSite, port: number) => `
  upstream ${s.name} {
${s.upstreams.map((upstream) => `    server 127.0.0.1:${upstream};`).join('\n')}
    keepalive 16;
  }
${s.http ?? ''}
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${pki.certPath};
    ssl_certificate_key ${pki.keyPath};
    ssl_client_certificate ${pki.caPath};
    ssl_verify_client on;

    location / {
      proxy_pass https://${s.name};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_ssl_trusted_certificate ${pki.caPath};
      proxy_ssl_verify on;
      proxy_ssl_name localhost;
      proxy_ssl_session_reuse on;
${Object.entries(s.headers)
  .map(([header, value]) => `      proxy_set_header ${header} ${value};`)
  .join('\n')}
    }
  }`;
  return LoadBalancer.start(
    'nginx',
    '/usr/sbin/nginx',
    sites.map((s) => s.name),
    (dir, ports) => `worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 512; }

http {
  access_log off;
  client_body_temp_path ${dir}/client-body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${sites.map((s) => site(s, ports[s.name])).join('\n')}
}
`,
    (configFile, dir) => {
      // nginx's workers run as an unprivileged user when started as root: let them into the folder.
      fs.chmodSync(dir, 0o755);
      return ['-p', dir, '-c', configFile, '-e', 'stderr', '-g', 'daemon off;'];
    },
  );
}

/** A PROXY protocol v2 header for a TCP/IPv4 connection, as HAProxy's `send-proxy-v2` writes it (no TLVs). */
export function proxyV2Header(source: string, sourcePort: number, destination = '127.0.0.1', destinationPort = 443): Buffer {
  const header = Buffer.alloc(28);
  Buffer.from('\r\n\r\n\0\r\nQUIT\n', 'latin1').copy(header);
  header[12] = 0x21; // version 2, PROXY
  header[13] = 0x11; // AF_INET, STREAM
  header.writeUInt16BE(12, 14);
  Buffer.from(source.split('.').map(Number)).copy(header, 16);
  Buffer.from(destination.split('.').map(Number)).copy(header, 20);
  header.writeUInt16BE(sourcePort, 24);
  header.writeUInt16BE(destinationPort, 26);
  return header;
}
