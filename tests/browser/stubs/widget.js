// oie-lint's stand-in for the Okta Sign-In Widget on an Identity Engine org.
// It behaves as the real widget does after the upgrade (okta-oie.md §3.2, §4):
// a renderEl success result is `{ status: 'SUCCESS', tokens }` with no
// `session`, `user` or `type`; showSignInToGetTokens / showSignIn resolve
// tokens and need an OIDC config (clientId); auth-js's Authn calls fail, and
// `idx.authenticate` needs `clientId` and `issuer`.
// Every call that completes a sign-in is reported to the harness through
// window.__oieRecord (a playwright binding that survives navigations).
(function () {
  function rec(type, data) {
    if (typeof window.__oieRecord === 'function') window.__oieRecord({ type: type, data: data });
  }
  var TOKENS = {
    accessToken: { accessToken: 'at.stub', scopes: ['openid', 'email', 'profile'] },
    idToken: {
      idToken: 'it.stub',
      claims: {
        sub: '00u1stub', preferred_username: 'ada@example.com', name: 'Ada Lovelace',
        given_name: 'Ada', family_name: 'Lovelace', email: 'ada@example.com',
        locale: 'en-US', zoneinfo: 'America/Los_Angeles',
      },
    },
  };
  function later(fn) { setTimeout(fn, 20); }
  function oidcError() { return new Error('CONFIG_ERROR: showSignIn* require an OIDC configuration (clientId)'); }

  function AuthClient(config) {
    this.config = config || {};
    this.tokenManager = {
      setTokens: function (t) {
        if (!t || !t.idToken || !t.accessToken) throw new TypeError('setTokens: not a token set');
        rec('setTokens', Object.keys(t).sort().join(','));
      },
      getTokens: function () { return Promise.resolve({}); },
    };
    var cfg = this.config;
    this.idx = {
      authenticate: function (o) {
        // IDX needs an OIDC app: `clientId` and `issuer` (okta-oie.md §6).
        if (!cfg.clientId || !cfg.issuer) {
          return Promise.reject(new Error('idx.authenticate needs clientId and issuer in the OktaAuth config'));
        }
        rec('idx.authenticate', o && o.username);
        return new Promise(function (r) { later(function () { r({ status: 'SUCCESS', tokens: TOKENS }); }); });
      },
    };
    this.token = {
      getWithRedirect: function (o) {
        if (o && o.sessionToken) return Promise.reject(new Error('Identity Engine issues no sessionToken'));
        rec('getWithRedirect');
        return Promise.resolve();
      },
    };
    this.session = {
      setCookieAndRedirect: function () { throw new Error('setCookieAndRedirect: no Classic session on Identity Engine'); },
    };
    var authnGone = function () { return Promise.reject(new Error('Classic Authn is not enabled on this Identity Engine org')); };
    this.signIn = authnGone;
    this.signInWithCredentials = authnGone;
  }

  function OktaSignIn(config) {
    this.config = config || {};
    this.authClient = new AuthClient(this.config);
    rec('construct', !!this.config.clientId);
  }
  OktaSignIn.prototype.renderEl = function (opts, success, error) {
    var cfg = this.config;
    later(function () {
      if (!cfg.clientId && !cfg.stateToken) {
        if (error) error(oidcError());
        return;
      }
      success({ status: 'SUCCESS', tokens: TOKENS });
    });
  };
  OktaSignIn.prototype.showSignInToGetTokens = function () {
    var cfg = this.config;
    return new Promise(function (resolve, reject) {
      later(function () { cfg.clientId ? resolve(TOKENS) : reject(oidcError()); });
    });
  };
  OktaSignIn.prototype.showSignIn = function () {
    var cfg = this.config;
    return new Promise(function (resolve, reject) {
      later(function () { cfg.clientId ? resolve({ status: 'SUCCESS', tokens: TOKENS }) : reject(oidcError()); });
    });
  };
  OktaSignIn.prototype.remove = function () { rec('remove'); };
  OktaSignIn.prototype.on = function () {};
  OktaSignIn.prototype.off = function () {};
  OktaSignIn.prototype.hide = function () {};
  OktaSignIn.prototype.show = function () {};
  window.OktaSignIn = OktaSignIn;
  window.OktaAuth = AuthClient;
})();
