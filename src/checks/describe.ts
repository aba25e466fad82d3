// How a read that failed is told to the user: what, status/code, message, correlation id, and the
// permission that would let the signed-in identity read it.
import type { ReadFailure } from '../model.js';

export function describeFailure(f: ReadFailure): string {
  const status = [f.status, f.code].filter((x) => x !== undefined).join(' ');
  const parts = [`${f.what} failed${status ? ` (${status})` : ''}: ${f.message}`];
  if (f.missingPermission) parts.push(`The signed-in identity needs ${f.missingPermission}.`);
  if (f.correlationId) parts.push(`Correlation id: ${f.correlationId}.`);
  return parts.join(' ');
}
