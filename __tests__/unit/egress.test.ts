import { bypassesProxy, egressCoverage } from '../../src/checks/egress.js';

describe('bypassesProxy (NO_PROXY as containerd reads it)', () => {
  test.each<[string, string[], boolean]>([
    ['myacr.azurecr.io', [], false],
    ['myacr.azurecr.io', ['localhost', '127.0.0.1'], false],
    ['myacr.azurecr.io', ['*'], true],
    ['myacr.azurecr.io', ['myacr.azurecr.io'], true],
    ['MyAcr.AzureCR.io', ['myacr.azurecr.io.'], true],
    ['myacr.azurecr.io', ['azurecr.io'], true],
    ['myacr.azurecr.io', ['.azurecr.io'], true],
    ['myacr.azurecr.io', ['*.azurecr.io'], true],
    ['azurecr.io', ['.azurecr.io'], false],
    ['myacr.azurecr.io', ['cr.io'], false],
    ['myacr.azurecr.io', ['myacr.azurecr.io:443'], true],
    ['*.blob.core.windows.net', ['blob.core.windows.net'], true],
    ['*.blob.core.windows.net', ['.core.windows.net'], true],
    ['*.blob.core.windows.net', ['myaccount.blob.core.windows.net'], false],
    ['myacr.westeurope.data.azurecr.io', ['.azurecr.io'], true],
    ['10.0.0.5', ['10.0.0.0/8'], true],
    ['2603:1020::1', ['2603:1020::/32'], true],
    ['myacr.azurecr.io', ['10.0.0.0/8'], false],
    ['myacr.azurecr.io', ['', ' '], false],
  ])('%s with %j', (host, noProxy, expected) => {
    expect(bypassesProxy(host, noProxy)).toBe(expected);
  });
});

describe('egressCoverage with IPv4 and IPv6', () => {
  const egress = (...values: string[]) => values.map((value, i) => ({ value, sourceId: `ip${i}` }));
  const allow = (...values: string[]) => values.map((value) => ({ action: 'Allow', value }));
  test.each<[string, ReturnType<typeof egress>, ReturnType<typeof allow>, ReturnType<typeof egressCoverage>]>([
    [
      'IPv4 rules only: IPv6 egress cannot be allowed',
      egress('20.1.2.3', '2603:1020::/124'),
      allow('20.1.2.0/24'),
      { allowed: [{ address: '20.1.2.3', rule: '20.1.2.0/24' }], missing: [], ipv6: ['2603:1020::/124'], unparsed: [] },
    ],
    [
      'IPv6 rules: IPv6 egress is compared like IPv4',
      egress('2603:1020::5', '2603:1030::/64', '2603:1040::/56'),
      allow('2603:1020::/32', '2603:1040::/64'),
      {
        allowed: [{ address: '2603:1020::5', rule: '2603:1020::/32' }],
        missing: [
          { address: '2603:1030::/64', partly: [] },
          { address: '2603:1040::/56', partly: ['2603:1040::/64'] },
        ],
        ipv6: [],
        unparsed: [],
      },
    ],
    [
      'a Deny rule allows nothing',
      egress('20.1.2.3'),
      [{ action: 'Deny', value: '20.1.2.0/24' }],
      { allowed: [], missing: [{ address: '20.1.2.3', partly: [] }], ipv6: [], unparsed: [] },
    ],
    ['unparsable values', egress('20.1.2', 'n/a'), allow('0.0.0.0/0'), { allowed: [], missing: [], ipv6: [], unparsed: ['20.1.2', 'n/a'] }],
  ])('%s', (_name, addresses, rules, expected) => {
    expect(egressCoverage(addresses, rules)).toEqual(expected);
  });
});
