// A real OpenID provider on loopback for Samverkan's browser tests (issue 21.4).
//
// panva's oidc-provider (OpenID Certified) does the protocol: discovery,
// authorization code flow, client authentication, signed ID tokens, userinfo,
// JWKS. This file adds only what a real identity provider has and the
// library leaves to its user: a log-in page (user name + password) and a
// consent page, and which assurance level (`acr`) each account logs in with —
// as an e-legitimation provider says LoA 3 for a strong log-in and LoA 2 for
// a weak one.
//
// Usage: node server.mjs  with OIDC_TEST_CONFIG set to JSON:
//   {"client": {"client_id", "client_secret", "redirect_uris": [...]},
//    "accounts": [{"login", "password", "acr", "claims": {...}}]}
// It listens on a free port of 127.0.0.1 and prints one line of JSON,
// {"issuer": "http://127.0.0.1:PORT"}, when it is ready.

import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = new Map((config.accounts || []).map((account) => [account.login, account]));
const acrValues = [...new Set((config.accounts || []).map((account) => account.acr))];

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escape(title)} – Testlegitimering</title>
<style>
  body { font-family: sans-serif; margin: 0; background: #eef1f4; color: #1b1b1b; }
  main { max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border-radius: 6px; }
  label, input, button { display: block; width: 100%; box-sizing: border-box; font-size: 1rem; }
  input { margin: .25rem 0 1rem; padding: .5rem; border: 1px solid #555; }
  button { padding: .6rem; margin-top: .5rem; background: #0b4f8a; color: #fff; border: 0; border-radius: 4px; }
  button.secondary { background: #fff; color: #0b4f8a; border: 1px solid #0b4f8a; }
  .error { color: #a00000; font-weight: bold; }
</style></head>
<body><main><p>Testlegitimering (OpenID-leverantör för test)</p>${body}</main></body></html>`;
}

function loginPage(uid, clientName, error = '') {
  return page('Logga in', `
<h1>Logga in till ${escape(clientName)}</h1>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="login">Användarnamn</label>
  <input id="login" name="login" autocomplete="username" required autofocus>
  <label for="password">Lösenord</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Logga in</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
  <button type="submit" class="secondary">Avbryt</button>
</form>`);
}

function consentPage(uid, clientName, scopes) {
  return page('Godkänn', `
<h1>Godkänn inloggning</h1>
<p>${escape(clientName)} vill få veta: ${escape(scopes.join(', '))}.</p>
<form method="post" action="/interaction/${escape(uid)}/consent">
  <button type="submit">Godkänn</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
  <button type="submit" class="secondary">Avbryt</button>
</form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

async function interaction(provider, req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    sendHtml(res, 400, page('Fel', '<h1>Okänd inloggning</h1>'));
    return;
  }
  const { prompt, params, session, grantId } = details;
  const client = await provider.Client.find(params.client_id);
  const clientName = client.clientName || client.clientId;

  if (req.method === 'GET' && !step) {
    if (prompt.name === 'login') {
      sendHtml(res, 200, loginPage(uid, clientName));
    } else {
      const scopes = prompt.details.missingOIDCScope || [];
      sendHtml(res, 200, consentPage(uid, clientName, scopes));
    }
    return;
  }
  if (req.method !== 'POST') {
    sendHtml(res, 405, page('Fel', '<h1>Fel metod</h1>'));
    return;
  }
  if (step === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'Användaren avbröt',
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (step === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const account = accounts.get(form.get('login') || '');
    if (!account || account.password !== form.get('password')) {
      sendHtml(res, 200, loginPage(uid, clientName, 'Fel användarnamn eller lösenord.'));
      return;
    }
    // The assurance level of this log-in: the ID token's `acr`.
    await provider.interactionFinished(req, res, {
      login: { accountId: account.login, acr: account.acr, amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (step === 'consent' && prompt.name === 'consent') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    await provider.interactionFinished(req, res, {
      consent: { grantId: await grant.save() },
    }, { mergeWithLastSubmission: true });
    return;
  }
  sendHtml(res, 400, page('Fel', '<h1>Oväntat steg</h1>'));
}

function signingKeys() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' }] };
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_name: 'Samverkan',
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...config.client,
    }],
    acrValues,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      acr: null,
      auth_time: null,
    },
    findAccount(ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
    },
    interactions: { url: (ctx, found) => `/interaction/${found.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    jwks: signingKeys(),
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/.exec(req.url.split('?')[0]);
    if (!match) {
      handle(req, res);
      return;
    }
    interaction(provider, req, res, match[1], match[2]).catch((error) => {
      sendHtml(res, 400, page('Fel', `<h1>Inloggningen misslyckades</h1><p>${escape(error.message)}</p>`));
    });
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
