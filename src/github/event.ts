// The workflow run's event, as the runner gives it (GITHUB_EVENT_NAME, the payload in GITHUB_EVENT_PATH):
// which pull request this run is for, and whether it comes from a fork. Read only what the comment and the
// sign-in need; no @actions import, so that the input parser can use it.
import { readFileSync } from 'node:fs';
import type { AzureUnavailable } from '../model.js';

/** The events on which the sticky comment is written. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const;

export interface PullRequestRun {
  event: (typeof PULL_REQUEST_EVENTS)[number];
  /** the pull request's number (the issue the comment belongs to) */
  number: number;
  /** the commit at the head of the pull request: manifest links point at it */
  headSha?: string;
  /** the repository the pull request is on, "owner/name" */
  repository: string;
  /** the head repository when it is not `repository` (a fork; "a deleted fork" when GitHub no longer knows it) */
  fork?: string;
}

interface PullRequestPayload {
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { repo?: { full_name?: string } };
  };
}

type Env = Record<string, string | undefined>;

/** The pull request this run is for, or undefined on any other event (push, schedule, …) or without a payload. */
export function pullRequestRun(env: Env): PullRequestRun | undefined {
  const event = PULL_REQUEST_EVENTS.find((e) => e === env.GITHUB_EVENT_NAME);
  if (!event || !env.GITHUB_EVENT_PATH) return undefined;
  let payload: PullRequestPayload;
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestPayload;
  } catch {
    return undefined;
  }
  const pr = payload.pull_request;
  const repository = pr?.base?.repo?.full_name ?? env.GITHUB_REPOSITORY;
  if (!pr || typeof pr.number !== 'number' || !repository) return undefined;
  const head = pr.head?.repo === null ? 'a deleted fork' : pr.head?.repo?.full_name;
  return {
    event,
    number: pr.number,
    repository,
    ...(pr.head?.sha && { headSha: pr.head.sha }),
    ...(head && head.toLowerCase() !== repository.toLowerCase() && { fork: head }),
  };
}

/**
 * On a `pull_request` run from a fork, GitHub gives the job no OIDC ID token (and no secrets or
 * variables): nothing can sign in to Azure. Undefined when the run has an ID token or is not such a run.
 */
export function azureUnavailableOn(env: Env): AzureUnavailable | undefined {
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return undefined;
  const run = pullRequestRun(env);
  if (run?.event !== 'pull_request' || !run.fork) return undefined;
  return {
    reason:
      `this run is for pull request #${run.number} from ${run.fork}, and GitHub gives a pull_request run from a fork no OIDC ID token and no secrets, ` +
      'so nothing could sign in to Azure and the checks that read Azure were not run.',
    fix:
      'Run the Azure checks on pull_request_target in a job with an environment that requires a reviewer (the federated credential trusts that environment, and a reviewer vets the fork first), ' +
      'or rely on the run on push to the default branch after the merge.',
  };
}
