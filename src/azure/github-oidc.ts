// The GitHub Actions runner's ID token, by its documented protocol (what @actions/core's
// getIDToken does), for the CLI run inside a workflow with `permissions: id-token: write`.

export async function requestGitHubIdToken(env: NodeJS.ProcessEnv, audience: string): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !bearer) {
    throw new Error("auth 'oidc' needs the GitHub runner's ID token: run inside a workflow with `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL is not set)");
  }
  const target = new URL(url);
  target.searchParams.set('audience', audience);
  const res = await fetch(target, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`the runner refused an ID token (${res.status}); is \`permissions: id-token: write\` set?`);
  const body = (await res.json()) as { value?: string };
  if (!body.value) throw new Error('the runner answered without an ID token');
  return body.value;
}
