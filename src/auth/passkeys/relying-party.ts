import type { GatewayConfig } from '../../config';

/**
 * The WebAuthn relying party: its ID (the host name, or a parent domain of it), its name, and the
 * one origin ceremonies must come from — the web app as customers reach it (PASSKEY_ORIGIN, else
 * PUBLIC_API_URL, else this host's API listener, known once it is bound).
 */
export class RelyingParty {
  private apiPort = 0;

  constructor(private readonly settings: GatewayConfig['passkeys']) {}

  /** Called once the API listener is bound (its port may have been chosen by the system). */
  listening(apiPort: number): void {
    this.apiPort = apiPort;
  }

  get id(): string {
    return this.settings.rpId;
  }

  get name(): string {
    return this.settings.rpName;
  }

  get origin(): string {
    return this.settings.origin ?? `https://${this.settings.rpId}:${this.apiPort}`;
  }
}
