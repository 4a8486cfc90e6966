// A real OpenID provider for the single sign-on tests: oidc-provider with its development
// login pages (any login name, any password). Started by tests/oidc_support.py as
//   node provider.mjs <port> '<json config>'
// where the config gives the client and the test accounts:
//   {"client_id": "...", "client_secret": "...", "redirect_uris": [...],
//    "post_logout_redirect_uris": [...],
//    "accounts": {"<login>": {"email": "...", "email_verified": true, "name": "..."}}}
// A login not in "accounts" is its own e-mail address, verified.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3]);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris || [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  // xms_edov: Microsoft Entra ID's "e-mail domain owner verified", sent instead of email_verified.
  claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
  // Scope claims in the ID token too, as Entra ID and Google put them there.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const known = (config.accounts || {})[id];
    const claims = known || { email: id, email_verified: true, name: id };
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
