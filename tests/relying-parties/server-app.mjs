// A server-side web app on openid-client v6 for Node: confidential client, authorization code + PKCE
// (S256), response in the query (the library's defaults). Usage:
//   node server-app.mjs <issuer> <port> <client_id>=<secret> [<client_id>=<secret> ...] [<name>@<initial access token> ...]
// Each client lives under /<client_id>/ on http://127.0.0.1:<port>. An app given as <name>@<token> registers
// itself first (RFC 7591, the library's dynamicClientRegistration) and lives under /<name>/. The provider's test
// certificate is trusted through NODE_EXTRA_CA_CERTS. Prints "listening" once it accepts requests.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as client from 'openid-client';

const [issuer, port, ...registrations] = process.argv.slice(2);
const origin = `http://127.0.0.1:${port}`;
const configurations = new Map();
for (const registration of registrations) {
  if (registration.includes('@')) {
    const [name, initialAccessToken] = registration.split('@');
    configurations.set(name, await client.dynamicClientRegistration(new URL(issuer), {
      client_name: `${name} (openid-client)`,
      redirect_uris: [`${origin}/${name}/callback`],
      post_logout_redirect_uris: [`${origin}/${name}/signed-out`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid profile email',
    }, undefined, { initialAccessToken }));
    continue;
  }

  const [id, secret] = registration.split('=');
  configurations.set(id, await client.discovery(new URL(issuer), id, secret));
}

// Per-browser state, keyed by a cookie: what a real app keeps in its session store.
const sessions = new Map();

const page = (response, status, text) => {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!DOCTYPE html><title>openid-client app</title><p id="status">${text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`);
};

createServer(async (request, response) => {
  const url = new URL(request.url, origin);
  const [, id, action = ''] = url.pathname.split('/');
  const config = configurations.get(id);
  if (!config) {
    return page(response, 404, 'no such app');
  }

  const cookieName = `sid_${id.replace(/[^a-z0-9]/gi, '_')}`;
  let sessionId = (request.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${cookieName}=`))?.split('=')[1];
  if (!sessionId || !sessions.has(sessionId)) {
    sessionId = randomUUID();
    sessions.set(sessionId, {});
    response.setHeader('set-cookie', `${cookieName}=${sessionId}; Path=/${id}; HttpOnly; SameSite=Lax`);
  }
  const session = sessions.get(sessionId);

  try {
    switch (action) {
      case 'login': {
        session.verifier = client.randomPKCECodeVerifier();
        session.state = client.randomState();
        session.nonce = client.randomNonce();
        const parameters = {
          redirect_uri: `${origin}/${id}/callback`,
          scope: 'openid profile email',
          code_challenge: await client.calculatePKCECodeChallenge(session.verifier),
          code_challenge_method: 'S256',
          state: session.state,
          nonce: session.nonce,
        };
        if (url.searchParams.get('prompt')) {
          parameters.prompt = url.searchParams.get('prompt');
        }
        response.writeHead(302, { location: client.buildAuthorizationUrl(config, parameters).href });
        return response.end();
      }
      case 'callback': {
        const tokens = await client.authorizationCodeGrant(config, url, {
          pkceCodeVerifier: session.verifier,
          expectedState: session.state,
          expectedNonce: session.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        session.user = { sub: claims.sub, email: userInfo.email };
        response.writeHead(302, { location: `/${id}/` });
        return response.end();
      }
      case 'logout': {
        // No id_token_hint: the provider asks the user to confirm before it signs them out.
        session.user = undefined;
        session.logoutState = client.randomState();
        const endSession = client.buildEndSessionUrl(config, {
          post_logout_redirect_uri: `${origin}/${id}/signed-out`,
          state: session.logoutState,
        });
        response.writeHead(302, { location: endSession.href });
        return response.end();
      }
      case 'signed-out': {
        const state = url.searchParams.get('state');
        return state && state === session.logoutState
          ? page(response, 200, `${id}: signed out, state ${state}`)
          : page(response, 400, `${id}: signed out with an unexpected state ${state}`);
      }
      default:
        return page(response, 200, session.user ? `${id}: signed in as ${session.user.email} (sub ${session.user.sub})` : `${id}: signed out`);
    }
  } catch (error) {
    return page(response, 200, `${id}: error ${error.error ?? error.cause?.error ?? error.code ?? error.message}`);
  }
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
