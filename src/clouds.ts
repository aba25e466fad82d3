// The Azure clouds this tool knows: where ARM, Entra ID and Microsoft Graph live, and the registry DNS suffix.

import type { Cloud, CloudName } from './model.js';

function cloud(name: CloudName, arm: string, authority: string, graph: string, acrSuffix: string): Cloud {
  return {
    name,
    armEndpoint: arm,
    armScope: `${arm}/.default`,
    authorityHost: authority,
    graphEndpoint: graph,
    graphScope: `${graph}/.default`,
    acrSuffix,
  };
}

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  AzureCloud: cloud(
    'AzureCloud',
    'https://management.azure.com',
    'https://login.microsoftonline.com',
    'https://graph.microsoft.com',
    'azurecr.io',
  ),
  AzureChinaCloud: cloud(
    'AzureChinaCloud',
    'https://management.chinacloudapi.cn',
    'https://login.chinacloudapi.cn',
    'https://microsoftgraph.chinacloudapi.cn',
    'azurecr.cn',
  ),
  AzureUSGovernment: cloud(
    'AzureUSGovernment',
    'https://management.usgovcloudapi.net',
    'https://login.microsoftonline.us',
    'https://graph.microsoft.us',
    'azurecr.us',
  ),
};

export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];
