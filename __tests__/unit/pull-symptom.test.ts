// The kubelet-message classifier, on the messages issue 8 names and on real ones from public issue
// threads (each case says where it was seen; registry names and IPs as those threads redacted them).
import { classifyPullMessage, tellingMessage, type SymptomKind } from '../../src/checks/pull-symptom.js';

const cases: [string, string, SymptomKind][] = [
  // issue 8's own examples
  ['issue 8: oauth token 401', 'failed to fetch oauth token: unexpected status: 401 Unauthorized', 'auth'],
  ['issue 8: anonymous token 401', 'failed to fetch anonymous token: unexpected status: 401 Unauthorized', 'auth'],
  ['issue 8: 403', 'unexpected status code 403 Forbidden', 'firewall'],
  ['issue 8: firewall', "denied: client with IP '20.1.2.3' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.", 'firewall'],
  ['issue 8: not found', 'failed to resolve reference "myacr.azurecr.io/app:nope": myacr.azurecr.io/app:nope: not found', 'not-found'],
  ['issue 8: manifest unknown', 'manifest unknown: manifest tagged by "nope" is not found', 'not-found'],
  ['issue 8: no such host', 'dial tcp: lookup myacr.azurecr.io on 168.63.129.16:53: no such host', 'dns'],
  ['issue 8: i/o timeout', 'Head "https://myacr.azurecr.io/v2/app/manifests/1": dial tcp 10.1.2.3:443: i/o timeout', 'network'],
  ['issue 8: x509', 'tls: failed to verify certificate: x509: certificate signed by unknown authority', 'tls'],
  ['issue 8: platform', 'no match for platform in manifest: not found', 'platform'],
  ['issue 8: toomanyrequests', 'toomanyrequests: too many requests', 'throttling'],
  ['issue 8: 429', 'unexpected status code 429 Too Many Requests', 'throttling'],
  // Azure/AKS#4459 (AKS Automatic, ACR pull refused)
  [
    'Azure/AKS#4459',
    'Failed to pull image "<registryname>.azurecr.io/main/<imagerepo>:v5.0.0": failed to pull and unpack image "<registryname>.azurecr.io/main/<imagerepo>:v5.0.0": failed to resolve reference "<registryname>.azurecr.io/main/<imagerepo>:v5.0.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://<registryname>.azurecr.io/oauth2/token?scope=repository%3Amain%2F<imagerepo>%3Apull&service=<registryname>.azurecr.io: 401 Unauthorized',
    'auth',
  ],
  // Azure/karpenter-provider-azure#411 (new nodes, 401 from ACR)
  [
    'Azure/karpenter-provider-azure#411',
    'Failed to pull image "myregistry.azurecr.io/test-image:latest": failed to pull and unpack image "myregistry.azurecr.io/test-image:latest": failed to resolve reference "myregistry.azurecr.io/test-image:latest": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://myregistry.azurecr.io/oauth2/token?scope=repository%3test-image%3Apull&service=myregistry.azurecr.io: 401 Unauthorized',
    'auth',
  ],
  // Azure/AKS#679 (dockershim era)
  [
    'Azure/AKS#679',
    'Failed to pull image "cloudtechnologies.azurecr.io/poc-k8s-web:20181007.1": rpc error: code = Unknown desc = Error response from daemon: Get https://cloudtechnologies.azurecr.io/v2/poc-k8s-web/manifests/20181007.1: unauthorized: authentication required',
    'auth',
  ],
  // kubeflow/examples#654: a missing tag reported with an auth error beside it; the tag was the cause
  [
    'kubeflow/examples#654',
    'Failed to pull image "acrname.azurecr.io/preprocess": [rpc error: code = Unknown desc = Error response from daemon: manifest for acrname.azurecr.io/preprocess:latest not found: manifest unknown: manifest unknown, rpc error: code = Unknown desc = Error response from daemon: Get https://acrname.azurecr.io/v2/preprocess/manifests/latest: unauthorized: authentication required]',
    'not-found',
  ],
  // docker/build-push-action#1214 (ACR firewall, the JSON form of the denial)
  [
    'docker/build-push-action#1214',
    'error response from daemon: Get "https://.azurecr.io/v2/": denied: {"errors":[{"code":"DENIED","message":"client with IP \'172.214.169.102\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."}]}',
    'firewall',
  ],
  // Azure/acr#594 (private endpoint not reachable from the nodes)
  ['Azure/acr#594', 'failed to send token exchange request: Post https://d*****.azurecr.io/oauth2/exchange: dial tcp 10.201.3.5:443: i/o timeout', 'network'],
  // Azure/kubernetes-keyvault-flexvol#167 (NSG without MCR's CDN)
  [
    'Azure/kubernetes-keyvault-flexvol#167',
    'Failed to pull image "mcr.microsoft.com/k8s/aad-pod-identity/nmi:1.5.2": rpc error: code = Unknown desc =error pulling image configuration: Get https://mcreus0.cdn.mscr.io/<masked>/data?P1=6876786: dial tcp 204.79.197.219:443: i/o timeout',
    'network',
  ],
  // virtual-kubelet/azure-aci#65
  ['virtual-kubelet/azure-aci#65', 'Get https://***/v2/: dial tcp: lookup *** on 168.63.129.16:53: no such host', 'dns'],
  // kubernetes/minikube#12944 (TLS-inspecting proxy)
  [
    'kubernetes/minikube#12944',
    'Failed to pull image "selenium/hub": rpc error: code = Unknown desc = Error response from daemon: Get "https://registry-1.docker.io/v2/": x509: certificate signed by unknown authority',
    'tls',
  ],
  // kata-containers/kata-containers#10109 (Docker Hub rate limit)
  [
    'kata-containers/kata-containers#10109',
    'Failed to pull image "busybox": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/busybox:latest": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/busybox/manifests/sha256:50aa4698fa6262977cff89181b2664b99d8a56dbca847bf62f2ef04854597cf8: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
    'throttling',
  ],
  // aws-samples/bottlerocket-images-cache#7 (amd64-only image on arm64)
  ['aws-samples/bottlerocket-images-cache#7', 'ctr: no match for platform in manifest sha256:b9ab2c28208d75a75807445d4c370801da3992817325cc349764ad740abe40a6: not found', 'platform'],
  // devlikeapro/waha#1829 (docker's wording)
  ['devlikeapro/waha#1829', 'Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries: no match for platform in manifest: not found', 'platform'],
  // Azure/karpenter-provider-azure#496 (a tag that does not exist)
  ['Azure/karpenter-provider-azure#496', 'failed to resolve reference "mcr.microsoft.com/aks/karpenter/controller:latest": mcr.microsoft.com/aks/karpenter/controller:latest: not found', 'not-found'],
  // what carries no cause
  ['the back-off event', 'Back-off pulling image "myacr.azurecr.io/app:1"', 'unclassified'],
  ['a 500 from the registry (Azure/open-service-broker-azure#700)', 'Error response from daemon: Get https://osbapublicacr.azurecr.io/v2/microsoft/azure-service-broker/manifests/v1.6.0: received unexpected HTTP status: 500 Internal Server Error', 'unclassified'],
];

test.each(cases)('%s', (_where, message, kind) => {
  const c = classifyPullMessage(message);
  expect(c.kind).toBe(kind);
  expect(c.label.length).toBeGreaterThan(0);
  expect(c.explainedBy.length > 0).toBe(kind !== 'unclassified');
});

test('auth says an unknown tag can look like it, since the kubelet tries an anonymous pull first', () => {
  expect(classifyPullMessage('failed to fetch anonymous token: unexpected status: 401 Unauthorized').meaning).toMatch(/unknown tag can look like this/);
});

test.each([
  [['Pulling image "x"', 'Failed to pull image "x": failed to fetch oauth token: unexpected status: 401 Unauthorized', 'Error: ErrImagePull', 'Back-off pulling image "x"'], /401 Unauthorized/],
  [['Back-off pulling image "x"'], /Back-off/],
])('the telling message of a pod is the newest that says why, else the newest', (messages, want) => {
  expect(tellingMessage(messages)).toMatch(want);
});

test('a pod without events has no telling message', () => {
  expect(tellingMessage([])).toBeUndefined();
});
