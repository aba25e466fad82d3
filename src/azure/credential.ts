// Sign-in: one TokenCredential for the whole run, built from the `auth` mode.
// Every token it hands out goes through `onToken` first (the action masks it there), and concurrent
// requests for the same scope share one sign-in.
import {
  AzureCliCredential,
  ClientAssertionCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type GetTokenOptions,
  type TokenCredential,
} from '@azure/identity';
import { CLOUDS } from '../clouds.js';
import type { Config } from '../model.js';

/** The audience GitHub's ID token must carry for Entra workload identity federation. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

export interface CredentialHooks {
  /** called with every token before anything else sees it (the action passes core.setSecret) */
  onToken?: (secret: string) => void;
  /** fetches the runner's OIDC ID token for an audience (the action passes core.getIDToken) */
  getIdToken?: (audience: string) => Promise<string>;
}

/** Sign-in options shared by the Entra-based credentials. */
function entraOptions(config: Config) {
  const known = Object.values(CLOUDS).some((c) => c.authorityHost === config.authorityHost);
  // Instance discovery asks the public cloud about an authority: pointless (and a call outside the
  // configured hosts) for any authority we were explicitly pointed at.
  return { authorityHost: config.authorityHost, disableInstanceDiscovery: !known };
}

function baseCredential(config: Config, env: NodeJS.ProcessEnv, hooks: CredentialHooks): TokenCredential {
  switch (config.auth) {
    case 'oidc': {
      const getIdToken = hooks.getIdToken;
      if (!getIdToken) throw new Error("auth 'oidc' needs the runner's ID token, which this adapter cannot request");
      return new ClientAssertionCredential(
        config.tenantId!,
        config.clientId!,
        async () => {
          const token = await getIdToken(FEDERATION_AUDIENCE);
          hooks.onToken?.(token);
          return token;
        },
        entraOptions(config),
      );
    }
    case 'azure-cli':
      return new AzureCliCredential(config.tenantId ? { tenantId: config.tenantId } : {});
    case 'environment':
      if (env.AZURE_FEDERATED_TOKEN_FILE && !env.AZURE_CLIENT_SECRET && !env.AZURE_CLIENT_CERTIFICATE_PATH) {
        return new WorkloadIdentityCredential(entraOptions(config));
      }
      return new EnvironmentCredential(entraOptions(config));
    case 'managed-identity':
      return config.clientId ? new ManagedIdentityCredential({ clientId: config.clientId }) : new ManagedIdentityCredential();
  }
}

/** Renew a cached token this long before it expires. */
const RENEW_MARGIN_MS = 5 * 60_000;

export class ObservedCredential implements TokenCredential {
  private readonly pending = new Map<string, Promise<AccessToken | null>>();
  private readonly cached = new Map<string, AccessToken>();

  constructor(
    private readonly inner: TokenCredential,
    private readonly onToken: (secret: string) => void = () => {},
  ) {}

  /** Every token passes through onToken (masking) before anyone else sees it. */
  private async observe(token: Promise<AccessToken | null>): Promise<AccessToken | null> {
    const t = await token;
    if (t) this.onToken(t.token);
    return t;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    // A claims challenge (continuous access evaluation) needs a fresh token, never a cached one.
    if (options?.claims) return this.observe(this.inner.getToken(scopes, options));
    const key = [scopes].flat().join(' ');
    const hit = this.cached.get(key);
    if (hit && hit.expiresOnTimestamp - RENEW_MARGIN_MS > Date.now()) return hit;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.observe(this.inner.getToken(scopes, options)).then((token) => {
        if (token) this.cached.set(key, token);
        return token;
      });
      pending.finally(() => this.pending.delete(key)).catch(() => {});
      this.pending.set(key, pending);
    }
    return pending;
  }
}

export function createCredential(config: Config, env: NodeJS.ProcessEnv, hooks: CredentialHooks = {}): TokenCredential {
  return new ObservedCredential(baseCredential(config, env, hooks), hooks.onToken);
}
