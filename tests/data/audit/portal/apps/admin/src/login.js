import OktaSignIn from '@okta/okta-signin-widget';

// The admin console signs in with an embedded widget.
const signIn = new OktaSignIn({
  baseUrl: 'https://acme.okta.com',
  clientId: '0oa1admin',
  redirectUri: window.location.origin + '/callback',
});

signIn.renderEl({ el: '#sign-in' }, function (res) {
  if (res.status === 'SUCCESS') {
    res.session.setCookieAndRedirect('https://admin.acme.example/');
  }
});
