// The table of checks: every check id of CONTRACT.md, one module each, in the order the report lists
// them. A new check is a new module under src/checks/ and one line here (see CONTRIBUTING.md).
import type { AnyCheck } from './check.js';
import { check as cluster } from './cluster.js';
import { check as image } from './image.js';
import { check as inClusterPull } from './in-cluster-pull.js';
import { check as podSymptoms } from './pod-symptoms.js';
import { check as pullPermission } from './pull-permission.js';
import { check as pullSecret } from './pull-secret.js';
import { check as registryDns } from './registry-dns.js';
import { check as registryEndpoint } from './registry-endpoint.js';
import { check as registryNetwork } from './registry-network.js';
import { check as registry } from './registry.js';

export const CHECKS: readonly AnyCheck[] = [
  cluster,
  registry,
  pullPermission,
  registryNetwork,
  registryDns,
  registryEndpoint,
  image,
  inClusterPull,
  podSymptoms,
  pullSecret,
];
