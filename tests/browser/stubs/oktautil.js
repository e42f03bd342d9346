// oie-lint's stand-in for the `{{{OktaUtil}}}` object of an Okta-hosted
// sign-in page on an Identity Engine org. completeLogin is opaque in the
// real page (okta-oie.md §3.3); here it reports to the harness.
(function () {
  window.OktaUtil = {
    getSignInWidgetConfig: function () {
      return {
        baseUrl: 'https://org.example',
        stateToken: '02.idx-state-stub',
        relayState: '/app',
        redirectUri: 'https://org.example/app',
        features: {},
        i18n: {},
        helpLinks: {},
      };
    },
    completeLogin: function (res) {
      if (typeof window.__oieRecord === 'function') {
        window.__oieRecord({ type: 'completeLogin', data: res && res.status });
      }
    },
    getRequestContext: function () { return undefined; },
  };
})();
