import { ipFamily, isPrivateAddress, parseRange, rangeContains, rangesOverlap } from '../../src/checks/ip.js';

describe('parseRange', () => {
  test.each<[string, { family: string; bits: number } | undefined]>([
    ['20.1.2.3', { family: 'ipv4', bits: 32 }],
    [' 20.1.2.0/24 ', { family: 'ipv4', bits: 24 }],
    ['20.1.2.3/24', { family: 'ipv4', bits: 24 }],
    ['0.0.0.0/0', { family: 'ipv4', bits: 0 }],
    ['2603:1020:200::/48', { family: 'ipv6', bits: 48 }],
    ['2603:1020::1', { family: 'ipv6', bits: 128 }],
    ['::/0', { family: 'ipv6', bits: 0 }],
    ['::ffff:20.1.2.3', { family: 'ipv4', bits: 32 }],
    ['::ffff:20.1.2.0/120', { family: 'ipv4', bits: 24 }],
    ['20.1.2.0/33', undefined],
    ['2603::/129', undefined],
    ['::ffff:20.1.2.0/90', undefined],
    ['20.1.2', undefined],
    ['127.1', undefined],
    ['0x7f.0.0.1', undefined],
    ['20.1.2.256', undefined],
    ['20.1.2.0/24/1', undefined],
    ['20.1.2.0/x', undefined],
    ['myacr.azurecr.io', undefined],
    ['', undefined],
  ])('%s', (value, expected) => {
    const r = parseRange(value);
    expect(r && { family: r.family, bits: r.bits }).toEqual(expected);
    expect(ipFamily(value)).toBe(expected?.family);
  });
});

describe('rangeContains and rangesOverlap', () => {
  test.each<[string, string, boolean, boolean]>([
    // outer, inner, contains, overlaps
    ['20.1.2.0/24', '20.1.2.3', true, true],
    ['20.1.2.0/24', '20.1.2.0/28', true, true],
    ['20.1.2.0/29', '20.1.2.0/28', false, true],
    ['20.1.2.3', '20.1.2.3', true, true],
    ['20.1.2.3', '20.1.2.4', false, false],
    ['20.1.2.7/24', '20.1.2.200', true, true],
    ['0.0.0.0/0', '203.0.113.10', true, true],
    ['2603:1020:200::/48', '2603:1020:200:10::/64', true, true],
    ['2603:1020:200::/64', '2603:1020:200::/56', false, true],
    ['2603:1020:200::/48', '2603:1030::7', false, false],
    ['::/0', '20.1.2.3', false, false],
    ['0.0.0.0/0', '2603:1020::1', false, false],
    ['20.1.2.0/24', '::ffff:20.1.2.9', true, true],
    ['20.1.2.0/24', 'nonsense', false, false],
  ])('%s ⊇ %s', (outer, inner, contains, overlaps) => {
    expect(rangeContains(outer, inner)).toBe(contains);
    expect(rangesOverlap(outer, inner)).toBe(overlaps);
    expect(rangesOverlap(inner, outer)).toBe(overlaps);
  });
});

describe('isPrivateAddress', () => {
  test.each<[string, boolean]>([
    ['10.0.0.5', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['20.61.10.1', false],
    ['203.0.113.10', false],
    ['::1', true],
    ['fd12:3456::1', true],
    ['fc00::1', true],
    ['fe80::1', true],
    ['2603:1020::1', false],
    ['::ffff:10.0.0.5', true],
    ['::ffff:20.1.2.3', false],
    ['not-an-ip', false],
  ])('%s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
