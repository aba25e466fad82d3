// The sticky comment on the pull request, through @actions/github's Octokit with the github-token input.
// One comment per set of clusters, found again by its hidden marker among the token's own comments (every
// page of them) and edited in place: never deleted, and never someone else's, even one with the same text.
// Who the token is: GET /user answers for a personal access token; an installation token (GITHUB_TOKEN, a
// GitHub App's) is refused there (403 "Resource not accessible by integration"), and GraphQL's `viewer`
// names its bot ("github-actions[bot]"), the login its comments carry.
import { createHash } from 'node:crypto';
import type { Config, Report } from '../model.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { pullRequestRun } from './event.js';

export type CommentOutcome =
  | { kind: 'written'; url: string; created: boolean }
  /** not a pull_request / pull_request_target run: nothing is posted */
  | { kind: 'not-a-pull-request'; detail: string }
  /** the token may not write (a fork's read-only GITHUB_TOKEN, or no pull-requests: write) */
  | { kind: 'refused'; detail: string }
  | { kind: 'failed'; detail: string };

/** A few seconds more than GitHub's own 10 s limit on a REST request, for the whole comment. */
const COMMENT_TIMEOUT_MS = 30_000;

/** The key of the comment's marker: a short hash of the cluster set, so that jobs about other clusters keep their own comment. */
export function commentKey(config: Pick<Config, 'clusters'> & Partial<Pick<Config, 'fleet' | 'clusterTags'>>): string {
  const clusters = config.clusters.map((c) => (c.kind === 'id' ? c.id : `${c.resourceGroup}/${c.name}`).toLowerCase()).sort();
  // cluster: * is known by where it looks and the tags it narrows by (what it finds may change from run to run)
  // (names compare case-insensitively, tag values exactly, as ARM compares them)
  const fleet = config.fleet && [`*:${config.fleet.subscriptionId ?? ''}/${config.fleet.resourceGroup ?? ''}`.toLowerCase(), ...(config.clusterTags ?? []).map((t) => `${t.key.toLowerCase()}=${t.value ?? ''}`).sort()].join('\n');
  return createHash('sha256').update(fleet ?? clusters.join('\n')).digest('hex').slice(0, 12);
}

const statusOf = (err: unknown): number | undefined => (err as { status?: number })?.status;
const messageOf = (err: unknown): string => (err as Error)?.message ?? String(err);

type Env = Record<string, string | undefined>;

/** Creates or updates the sticky comment. Never throws: every outcome is data for the adapter to tell. */
export async function writeComment(config: Pick<Config, 'clusters' | 'githubToken'> & Partial<Pick<Config, 'fleet' | 'clusterTags'>>, report: Report, env: Env): Promise<CommentOutcome> {
  const run = pullRequestRun(env);
  if (!run) return { kind: 'not-a-pull-request', detail: `the comment is only written on pull_request and pull_request_target events; this run is for ${env.GITHUB_EVENT_NAME || 'no event'}.` };
  if (!config.githubToken) return { kind: 'failed', detail: 'the github-token input is empty: give it ${{ github.token }} (the default) or a token that may write pull-request comments.' };
  const [owner = '', repo = ''] = run.repository.split('/');
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  const links = {
    ...(env.GITHUB_RUN_ID && { runUrl: `${server}/${run.repository}/actions/runs/${env.GITHUB_RUN_ID}` }),
    ...(run.headSha && { blobUrl: `${server}/${run.repository}/blob/${run.headSha}/` }),
  };
  const marker = commentMarker(commentKey(config));
  const body = renderComment(report, marker, links);
  try {
    const [{ getOctokit }, { defaults }] = await Promise.all([import('@actions/github'), import('@actions/github/lib/utils')]);
    const octokit = getOctokit(config.githubToken, { request: { ...defaults.request, signal: AbortSignal.timeout(COMMENT_TIMEOUT_MS) } });
    const login = await (async () => {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (err) {
        if (statusOf(err) !== 403) throw err;
        return (await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')).viewer.login;
      }
    })();
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: run.number, per_page: 100 });
    const own = comments.find((c) => c.user?.login.toLowerCase() === login.toLowerCase() && c.body?.includes(marker));
    const written = own
      ? await octokit.rest.issues.updateComment({ owner, repo, comment_id: own.id, body })
      : await octokit.rest.issues.createComment({ owner, repo, issue_number: run.number, body });
    return { kind: 'written', url: written.data.html_url, created: !own };
  } catch (err) {
    const detail = messageOf(err);
    if (statusOf(err) === 403) {
      const fork = run.fork ? ` This pull request comes from ${run.fork}, and GitHub gives a pull_request run from a fork a read-only token.` : ' Give the job permissions: pull-requests: write.';
      return { kind: 'refused', detail: `GitHub refused the comment on pull request #${run.number} (${detail}).${fork} The verdict is in the job summary and the annotations.` };
    }
    return { kind: 'failed', detail: `writing the comment on pull request #${run.number} failed: ${detail}` };
  }
}
