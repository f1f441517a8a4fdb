// A real OpenID Connect provider (npm oidc-provider) standing in for BC Services Card in the
// end-to-end tests. Its development login form accepts any login; the login becomes the subject
// and names the person: "jane.doe" → Jane Doe, jane.doe@clinic.example, born 1980-01-01.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 4000);
const issuer = `http://127.0.0.1:${port}`;
// The portals it signs people in to: PORTAL_URL, several separated by commas.
const portals = (process.env.PORTAL_URL ?? 'http://127.0.0.1:3000').split(',');

const capitalise = (word) => word.charAt(0).toUpperCase() + word.slice(1);

function claimsOf(login) {
  const [given, ...rest] = login.split('.');
  return {
    sub: login,
    given_name: capitalise(given ?? login),
    family_name: capitalise(rest.join(' ') || 'Tester'),
    birthdate: '1980-01-01',
    email: `${login}@clinic.example`,
    email_verified: true,
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'portal',
      client_secret: 'portal-test-secret',
      redirect_uris: portals.map((portal) => `${portal}/auth/oidc/callback`),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'birthdate'],
    email: ['email', 'email_verified'],
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return { accountId: id, claims: async () => claimsOf(id) };
  },
  cookies: { keys: ['end-to-end-tests-only'] },
});
provider.proxy = false;
provider.listen(port, () => console.log(`OIDC provider at ${issuer}`));
