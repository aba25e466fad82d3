// Microsoft Graph: the object ID of a service principal from its application (client) ID.
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { Fact } from '../model.js';
import { RETRY_OPTIONS, USER_AGENT, readFact } from './arm.js';
import { throttlePolicy, type HostGates } from './throttle.js';

export const GRAPH_READ_PERMISSION = 'Microsoft Graph Application.Read.All (or Directory.Read.All), or the kubelet-object-id input';

export class GraphClient {
  private readonly pipeline = createPipelineFromOptions({ retryOptions: RETRY_OPTIONS, userAgentOptions: { userAgentPrefix: USER_AGENT } });
  private readonly http = createDefaultHttpClient();

  constructor(credential: TokenCredential, private readonly endpoint: string, scope: string, private readonly signal: AbortSignal, gates?: HostGates) {
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: scope }));
    if (gates) this.pipeline.addPolicy(throttlePolicy(gates, 'graph'), { afterPhase: 'Retry' });
  }

  /** GET a Graph path; throws RestError (with status and body) on anything but 2xx. */
  private async get<T>(path: string): Promise<T> {
    const request = createPipelineRequest({ url: `${this.endpoint}${path}`, method: 'GET', abortSignal: this.signal });
    const response = await this.pipeline.sendRequest(this.http, request);
    if (response.status < 200 || response.status > 299) {
      throw new RestError(`Microsoft Graph answered ${response.status}`, { statusCode: response.status, request, response });
    }
    return JSON.parse(response.bodyAsText ?? '{}') as T;
  }

  servicePrincipalObjectId(appId: string): Promise<Fact<string>> {
    return readFact(`looking up service principal ${appId} in Microsoft Graph`, GRAPH_READ_PERMISSION, async () => {
      const sp = await this.get<{ id?: string }>(`/v1.0/servicePrincipals(appId='${encodeURIComponent(appId)}')`);
      if (!sp.id) throw new Error('Microsoft Graph returned a service principal without an id');
      return sp.id;
    });
  }
}
