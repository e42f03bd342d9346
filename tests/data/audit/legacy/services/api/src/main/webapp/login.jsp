<%@ page contentType="text/html;charset=UTF-8" %>
<html>
<body>
<div id="widget"></div>
<script>
  var widget = new OktaSignIn({
    baseUrl: '<%= request.getAttribute("oktaBaseUrl") %>',
    clientId: '<%= request.getAttribute("clientId") %>',
    redirectUri: '<%= request.getAttribute("redirectUri") %>'
  });
  widget.showSignInToGetTokens({ el: '#widget' });
</script>
</body>
</html>
