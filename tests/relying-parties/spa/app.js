// A single-page app on oidc-client-ts: public client, authorization code + PKCE (S256), response in the
// query, refresh tokens through CORS. The first path segment names the client id; the provider's
// address comes from the page's ?authority= (kept in sessionStorage across the redirects).
const clientId = location.pathname.split('/')[1];
const base = `${location.origin}/${clientId}`;
const authority = new URLSearchParams(location.search).get('authority') ?? sessionStorage.getItem('authority');
sessionStorage.setItem('authority', authority);

const manager = new oidc.UserManager({
  authority,
  client_id: clientId,
  redirect_uri: `${base}/callback`,
  post_logout_redirect_uri: `${base}/signed-out`,
  response_type: 'code',
  scope: 'openid profile email offline_access',
  automaticSilentRenew: false,
  loadUserInfo: true,
  userStore: new oidc.WebStorageStateStore({ store: sessionStorage }),
});

const show = (id, text) => { document.getElementById(id).textContent = text; };
const signedIn = (user) => `${clientId}: signed in as ${user.profile.email} (sub ${user.profile.sub})`;

async function start() {
  show('app', clientId);
  try {
    if (location.pathname.endsWith('/callback')) {
      const user = await manager.signinRedirectCallback();
      history.replaceState(null, '', `${base}/`);
      show('status', signedIn(user));
    } else if (location.pathname.endsWith('/signed-out')) {
      const response = await manager.signoutRedirectCallback();
      show('status', `${clientId}: signed out, state ${response.userState}`);
    } else {
      const user = await manager.getUser();
      show('status', user ? signedIn(user) : `${clientId}: signed out`);
    }
  } catch (error) {
    show('status', `${clientId}: error ${error.error ?? error.message}`);
  }
}

document.getElementById('signin').onclick = () => manager.signinRedirect();
document.getElementById('signin-none').onclick = () => manager.signinRedirect({ prompt: 'none' });
document.getElementById('renew').onclick = async () => {
  try {
    const before = (await manager.getUser()).refresh_token;
    const user = await manager.signinSilent();
    show('refresh', user.refresh_token && user.refresh_token !== before ? 'refresh token rotated' : 'refresh token NOT rotated');
    show('status', signedIn(user));
  } catch (error) {
    show('refresh', `refresh failed: ${error.error ?? error.message}`);
  }
};
// Forgetting the user first leaves out id_token_hint, so the provider asks the user to confirm.
document.getElementById('signout').onclick = async () => {
  await manager.removeUser();
  await manager.signoutRedirect({ state: 'bye-from-spa' });
};

start();
