import { RestError } from '@azure/core-rest-pipeline';
import { ListingDidNotEnd, MalformedAnswer, collectAll, expectResource, toReadFailure } from '../../src/azure/arm.js';

/** A paged listing as the SDKs hand it out: pages with their next-page link as the continuation token. */
function listing(links: (string | undefined)[], options: { abortAt?: number } = {}) {
  let requests = 0;
  const pages = async function* () {
    for (const [i, link] of links.entries()) {
      requests += 1;
      if (options.abortAt === i) throw Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
      yield Object.assign([`item${i}`], { continuationToken: link });
      if (!link) return;
    }
  };
  return {
    iter: { byPage: () => pages(), [Symbol.asyncIterator]: () => pages() as unknown as AsyncIterator<string> } as never,
    requests: () => requests,
  };
}

describe('collectAll', () => {
  test('collects every page until a page has no next link', async () => {
    const l = listing(['a', 'b', undefined, 'never read']);
    expect(await collectAll<string>(l.iter)).toEqual(['item0', 'item1', 'item2']);
    expect(l.requests()).toBe(3);
  });

  test.each<[string, (string | undefined)[], number, string]>([
    ['a link that points at itself', ['a', 'a', 'a'], 2, 'the listing did not end: page 2 repeated the next-page link of page 1'],
    ['a cycle of two links', ['a', 'b', 'a', 'b'], 3, 'the listing did not end: page 3 repeated the next-page link of page 1'],
    ['new links for ever, past the cap', ['1', '2', '3', '4', '5', '6'], 4, 'the listing did not end after 4 pages (each pointed to another)'],
  ])('%s', async (_name, links, requests, message) => {
    const l = listing(links);
    const read = collectAll<string>(l.iter, undefined, 4);
    await expect(read).rejects.toBeInstanceOf(ListingDidNotEnd);
    await expect(read).rejects.toThrow(message);
    expect(l.requests()).toBe(requests);
  });

  test('a budget that runs out in the middle of the pages is a listing that had not ended', async () => {
    const l = listing(['a', 'b', 'c', undefined], { abortAt: 2 });
    await expect(collectAll<string>(l.iter)).rejects.toThrow('the listing had not ended after 2 pages when the time budget ran out');
  });

  test('a budget that runs out on the first or second page stays a plain abort', async () => {
    const l = listing(['a', undefined], { abortAt: 1 });
    await expect(collectAll<string>(l.iter)).rejects.toMatchObject({ name: 'AbortError' });
  });

  test("a classic SDK's tokens come from its own getter", async () => {
    const tokens = new WeakMap<object, string>();
    const page = (item: string, token?: string) => {
      const p = [item];
      if (token) tokens.set(p, token);
      return p;
    };
    const iter = { byPage: async function* () { yield page('x', 'a'); yield page('y', 'a'); }, [Symbol.asyncIterator]: async function* () {} };
    await expect(collectAll<string>(iter as never, (p) => tokens.get(p))).rejects.toThrow('page 2 repeated the next-page link of page 1');
  });

  test('an iterable without pages is read item by item', async () => {
    const items = (async function* () { yield 1; yield 2; })();
    expect(await collectAll(items)).toEqual([1, 2]);
  });
});

describe('toReadFailure', () => {
  const WHAT = 'listing registries in subscription s1';
  test.each<[string, unknown, RegExp]>([
    ['a listing that did not end', new ListingDidNotEnd('the listing did not end after 1000 pages (each pointed to another)'), /^the listing did not end after 1000 pages/],
    [
      'core-client PARSE_ERROR',
      new RestError('Error "SyntaxError: Unterminated string in JSON at position 23" occurred while parsing the response body - {"id": "/sub', { code: 'PARSE_ERROR', statusCode: 200 }),
      /^Azure answered, but the answer was malformed \(SyntaxError: Unterminated string in JSON at position 23\)/,
    ],
    ['a page without a value array', new RestError("Couldn't paginate response\n Body doesn't contain an array property with name: value"), /malformed \(Couldn't paginate response: +Body doesn't contain an array property/],
    ['a nextLink that is not a string', new RestError('Body Property nextLink should be a string or undefined or null but got number'), /malformed \(Body Property nextLink/],
    ['a resource without an id', new MalformedAnswer('expected a registry with a resource id, got an object with no fields'), /malformed \(expected a registry with a resource id, got an object with no fields\)/],
    ['the time budget', Object.assign(new Error('aborted'), { name: 'AbortError' }), /^the time budget ran out before Azure answered/],
    ['a refused connection stays what it was', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }), /^connect ECONNREFUSED/],
  ])('%s', (_name, err, message) => {
    const f = toReadFailure(WHAT, err, 'Microsoft.ContainerRegistry/registries/read');
    expect(f.what).toBe(WHAT);
    expect(f.message).toMatch(message);
    expect(f.missingPermission).toBeUndefined();
  });
});

describe('expectResource', () => {
  test.each<[string, unknown, string | undefined]>([
    ['a resource', { id: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr', name: 'myacr' }, undefined],
    ['no id', { name: 'myacr', id: undefined }, 'expected a registry with a resource id, got an object with name'],
    ['an id that is not a resource id', { id: 'myacr' }, 'expected a registry with a resource id, got an object with id'],
    ['a string', 'oops', 'expected a registry with a resource id, got string'],
    ['null', null, 'expected a registry with a resource id, got object'],
  ])('%s', (_name, value, error) => {
    const read = () => expectResource(value as { id?: string }, 'a registry');
    if (error === undefined) expect(read()).toBe(value);
    else expect(read).toThrow(error);
  });
});
