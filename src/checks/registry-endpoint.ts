// The `registry-endpoint` check: https://<login server>/v2/ answers as a registry (401 with a Bearer
// challenge, or 200) over valid TLS, seen from the runner. Pure.
import type { DnsAnswer, EndpointProbe, Finding, RegistryFacts, Status } from '../model.js';
import { isPrivateRegistry, outsideNetwork } from './registry-dns.js';
import { defineCheck } from './check.js';

export interface RegistryEndpointInput {
  registry: RegistryFacts;
  /** the login server's DNS answer */
  dns: DnsAnswer | undefined;
  /** undefined when the login server did not resolve */
  probe: EndpointProbe | undefined;
}

/** Node's codes for a certificate that does not verify */
const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain does not lead to a trusted root (intermediate missing or unknown issuer)',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of a certificate in the chain is not known',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of the certificate is not among the trusted roots',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed certificate that is not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server presented a self-signed certificate',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate is not for this host name',
};
/** Failures of the connection itself (no answer, reset) during the handshake: they say nothing of the certificate. */
const TRANSPORT_FAILURES = new Set(['ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** These status codes say "busy" or "broken for now", not "not a registry". */
const TRANSIENT = (status: number) => status === 429 || status >= 500;

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

export function judgeRegistryEndpoint({ registry, dns, probe }: RegistryEndpointInput): Finding {
  const r = registry.name;
  const login = registry.loginServer;
  const url = `https://${login}/v2/`;
  const evidence: Record<string, unknown> = { url, dns: dns && { addresses: dns.addresses, cnames: dns.cnames, error: dns.error } };
  const finding = (status: Status, title: string, detail: string, more: Partial<Finding> = {}): Finding => ({
    id: 'registry-endpoint',
    status,
    title,
    detail,
    registry: r,
    path: 'runner',
    evidence,
    ...more,
  });

  if (!probe) {
    const why = dns?.error ? `${login} did not resolve from the runner (${dns.error.code})` : `${login} was not probed`;
    return finding('skip', `${url} not probed`, `${why}; this check depends on registry-dns.`);
  }

  const { http, challenge, blockedClientIp } = probe;
  evidence.status = http.status;
  evidence.address = http.address;
  if (http.proxy) evidence.proxy = http.proxy;
  if (http.attempts) evidence.attempts = http.attempts;
  evidence.elapsedMs = http.elapsedMs;
  if (http.error) evidence.error = http.error;
  if (challenge) evidence.challenge = challenge;
  if (blockedClientIp) evidence.blockedClientIp = blockedClientIp;
  const wwwAuthenticate = header(http.headers, 'www-authenticate');
  if (wwwAuthenticate !== undefined) evidence.wwwAuthenticate = wwwAuthenticate;
  // Through a proxy, the address is the proxy's business: name the proxy instead.
  const at = http.proxy ? ` through proxy ${http.proxy}` : http.address ? ` at ${http.address}` : '';
  const tries = http.attempts ? ` (${http.attempts} attempts)` : '';
  const body = http.body ? ` Response: ${http.body.slice(0, 200).trim()}` : '';

  const tls = http.error !== undefined && (http.error.code in CERTIFICATE_PROBLEMS || (http.error.phase === 'tls' && !TRANSPORT_FAILURES.has(http.error.code)));
  const refused = http.status === 403 || (http.error !== undefined && !tls);
  if (isPrivateRegistry(registry) && refused) {
    const what = http.error ? `the runner could not connect to ${login}${at} (${http.error.code})` : `${login} refused the runner (HTTP ${http.status}${blockedClientIp ? ` for ${blockedClientIp}` : ''})`;
    return finding('skip', `${r} is private: not reachable from the runner`, outsideNetwork(registry, what));
  }

  if (http.status === 403 && blockedClientIp) {
    const fix = { fix: `az acr network-rule add --name ${registry.name} --resource-group ${registry.resourceGroup} --subscription ${registry.subscriptionId} --ip-address ${blockedClientIp}` };
    if (registry.networkRuleSet?.defaultAction?.toLowerCase() === 'deny') {
      return finding(
        'skip',
        `${r}'s firewall refuses the runner`,
        `The firewall of ${r} (default action Deny) refuses the runner's IP ${blockedClientIp}, as expected when the runner is not an allowed network. ` +
          `The cluster's egress is judged by the registry-network check. To let the runner reach ${r} too, add its IP to the rules.`,
        fix,
      );
    }
    return finding(
      'unknown',
      `${r} refuses the runner's IP`,
      `${login}${at} refused the runner's IP ${blockedClientIp} (HTTP 403) although ARM reports no firewall default action Deny for ${r}` +
        ` (networkRuleSet.defaultAction: ${registry.networkRuleSet?.defaultAction ?? 'not set'}): the rules may have just changed. The endpoint could not be verified.${body}`,
      fix,
    );
  }

  if (tls && http.error) {
    const problem = CERTIFICATE_PROBLEMS[http.error.code] ?? `the TLS handshake failed (${http.error.message})`;
    return finding(
      'fail',
      `TLS to ${login} fails`,
      `The certificate presented by ${login}${at} does not verify: ${problem} (${http.error.code}: ${http.error.message}). Pulls through this network fail the same way. ` +
        `A TLS-inspecting proxy or firewall on the runner's network causes this as well, by re-signing the registry's certificate: then trust its root (NODE_EXTRA_CA_CERTS) or exempt ${login} from inspection, and the cluster's own path may be unaffected.`,
    );
  }

  if (http.error) {
    return finding(
      'unknown',
      `${url} could not be reached`,
      `The runner could not complete a request to ${url}${at}: ${http.error.code} during ${http.error.phase} after ${http.elapsedMs} ms${tries} (${http.error.message}). Whether it answers as a registry is not verified.`,
    );
  }

  const status = http.status;
  if (status === 401 && challenge?.realm && challenge.service) {
    const notes: string[] = [];
    if (challenge.service.toLowerCase() !== login.toLowerCase()) notes.push(`The challenge names service ${challenge.service}, not ${login}.`);
    return finding(
      'pass',
      `${login} answers as a registry`,
      `GET ${url}${at} answered 401 with a Bearer challenge (realm ${challenge.realm}, service ${challenge.service}) in ${http.elapsedMs} ms, over a certificate that verifies.`,
      notes.length ? { notes } : {},
    );
  }
  if (status === 200) {
    return finding(
      'pass',
      `${login} answers as a registry`,
      `GET ${url}${at} answered 200 in ${http.elapsedMs} ms, over a certificate that verifies: it allows anonymous access to /v2/.`,
    );
  }
  if (status !== undefined && TRANSIENT(status)) {
    const retry = header(http.headers, 'retry-after');
    return finding(
      'unknown',
      `${url} answered ${status}`,
      `GET ${url}${at} answered ${status}${status === 429 ? ' (throttled)' : ' (a server error)'}${retry ? `, Retry-After ${retry}` : ''}${tries}: whether it serves pulls is not verified.${body}`,
    );
  }
  if (status === 403) {
    return finding('unknown', `${url} answered 403`, `GET ${url}${at} answered 403 without naming the runner's IP: a proxy or a firewall may be in the way. Whether it answers as a registry is not verified.${body}`);
  }
  if (status === 401 && challenge) {
    const missing = [challenge.realm ? '' : 'realm', challenge.service ? '' : 'service'].filter(Boolean).join(' and ');
    return finding(
      'fail',
      `${url} sends a malformed challenge`,
      `GET ${url}${at} answered 401 with a Bearer challenge that cannot be parsed: it names no ${missing}${wwwAuthenticate ? ` (WWW-Authenticate: ${wwwAuthenticate})` : ''}. A registry's challenge names the realm to get tokens from and the service; a client cannot get a pull token from this one. Something else may be answering for ${login}: a proxy or a wrong DNS answer.${body}`,
    );
  }
  const what =
    status === 401
      ? `401 without a Bearer challenge naming realm and service${wwwAuthenticate ? ` (WWW-Authenticate: ${wwwAuthenticate})` : ' (no WWW-Authenticate header)'}`
      : status === undefined
        ? 'no status'
        : `${status}`;
  return finding(
    'fail',
    `${url} does not answer as a registry`,
    `GET ${url}${at} answered ${what}; a registry answers 401 with a Bearer challenge (or 200). Something else is answering for ${login}: a proxy, a captive portal or a wrong DNS answer.${body}`,
  );
}

export const check = defineCheck({
  meta: { id: 'registry-endpoint', subject: 'registry', path: 'runner', what: "The runner's /v2/ probe" },
  async gather(facts, ref): Promise<RegistryEndpointInput> {
    const registry = await facts.requireRegistry(ref);
    const path = await facts.runnerPath(registry);
    return { registry, dns: path.dns[0], probe: path.endpoint };
  },
  judge: judgeRegistryEndpoint,
});
