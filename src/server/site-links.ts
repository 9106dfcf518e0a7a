import type { Request } from 'express';
import type { GatewayConfig } from '../config';

/** A Host header's name as sent, if it is only a DNS name or an address (never echoed otherwise). */
function hostOf(req: Request): string {
  const host = req.hostname;
  return /^[A-Za-z0-9.-]{1,253}$/.test(host) || /^\[[0-9A-Fa-f:.]{2,45}\]$/.test(host) ? host : 'localhost';
}

/**
 * Where a person is sent from one listener to the other: a PC without a certificate from the web
 * app to 電子証明書取得, and back once it has one. PUBLIC_API_URL / PUBLIC_ENROLL_URL when a load
 * balancer publishes them; otherwise the host the browser used, with the listener's own port.
 */
export class SiteLinks {
  private ports = { api: 0, enroll: 0 };

  constructor(private readonly publicUrls: GatewayConfig['publicUrls']) {}

  /** Called once both listeners are bound (their ports may have been chosen by the system). */
  listening(apiPort: number, enrollPort: number): void {
    this.ports = { api: apiPort, enroll: enrollPort };
  }

  apiUrl(req: Request): string {
    return `${this.publicUrls.api ?? `https://${hostOf(req)}:${this.ports.api}`}/`;
  }

  enrollUrl(req: Request): string {
    return `${this.publicUrls.enroll ?? `https://${hostOf(req)}:${this.ports.enroll}`}/`;
  }
}
