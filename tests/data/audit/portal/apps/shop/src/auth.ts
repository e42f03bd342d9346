import { OktaAuth } from '@okta/okta-auth-js';

const authClient = new OktaAuth({ issuer: 'https://acme.okta.com/oauth2/default', clientId: '0oa1shop' });

// A note about sessionToken in a comment is not a finding.
export async function signIn(username: string, password: string): Promise<void> {
  const tx = await authClient.signInWithCredentials({ username, password });
  await authClient.token.getWithRedirect({ sessionToken: tx.sessionToken });
}
