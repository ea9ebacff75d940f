using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdentityProvider.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityProvider.IntegrationTests.Sso;

/// <summary>The authorization code flow as OpenID Connect relying parties use it; names follow the OpenID conformance modules.</summary>
public sealed class AuthorizationCodeTests(SsoFixture fixture) : IClassFixture<SsoFixture>
{
    private FormClient NewBrowser() => new(fixture.Provider);

    private static async Task<FormClient> SignedInAsync(FormClient browser)
    {
        var login = await TestAccounts.SignInAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return browser;
    }

    private async Task<TokenValidationResult> ValidateAsync(JsonWebToken token, string audience)
    {
        using var client = fixture.Provider.CreateTokenClient();
        var keys = new JsonWebKeySet(await client.Http.GetStringAsync(".well-known/jwks"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token.EncodedToken, new TokenValidationParameters
        {
            ValidIssuer = "https://idp.test/",
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
        });
    }

    [Fact]
    public async Task OidccServer_CompanyApp_GetsCodeWithoutConsent_AndASignedIdTokenWithEveryRequiredClaim()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);

        using var response = await flow.AuthorizeAsync();
        var returned = CodeFlow.ReturnedParameters(response);
        var tokens = await api.CodeAsync(returned["code"], flow.RedirectUri, flow.Verifier);
        var idToken = tokens.ReadIdentityToken();
        var validation = await ValidateAsync(idToken, ProviderFactory.CompanyClient);

        Assert.StartsWith(ProviderFactory.CompanyRedirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(flow.State, returned["state"]);
        Assert.Equal("https://idp.test/", returned["iss"]);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.False(string.IsNullOrEmpty(idToken.Kid));
        Assert.Equal("https://idp.test/", idToken.Issuer);
        Assert.Equal([ProviderFactory.CompanyClient], idToken.Audiences);
        Assert.True(idToken.ValidTo > DateTime.UtcNow && idToken.IssuedAt <= DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(flow.Nonce, idToken.GetClaim("nonce").Value);
        Assert.InRange(long.Parse(idToken.GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.False(string.IsNullOrEmpty(idToken.GetClaim("sid").Value));
        Assert.Equal(tokens.ReadAccessToken().Subject, idToken.Subject);
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
    }

    [Fact]
    public async Task OidccDiscovery_ClaimsSupported_NamesEveryClaimTheIdTokenAndUserInfoCarry()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser) { Scope = "openid profile email roles" };
        var tokens = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier);
        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "connect/userinfo");
        userInfoRequest.Headers.Authorization = new("Bearer", tokens.AccessToken);

        using var userInfo = JsonDocument.Parse(await (await api.Http.SendAsync(userInfoRequest)).Content.ReadAsStringAsync());
        using var discovery = JsonDocument.Parse(await api.Http.GetStringAsync(".well-known/openid-configuration"));
        var supported = discovery.RootElement.GetProperty("claims_supported").EnumerateArray().Select(claim => claim.GetString()).ToHashSet();
        // oi_* are OpenIddict's own bookkeeping (token and authorization ids), not claims about the user.
        var carried = tokens.ReadIdentityToken().Claims.Select(claim => claim.Type)
            .Concat(userInfo.RootElement.EnumerateObject().Select(property => property.Name))
            .Where(type => !type.StartsWith("oi_", StringComparison.Ordinal))
            .ToHashSet();

        Assert.Contains("role", carried);
        Assert.Contains("sid", carried);
        var unlisted = string.Join(' ', carried.Except(supported).Order());
        Assert.True(unlisted.Length == 0, "Not in claims_supported: " + unlisted);
    }

    [Fact]
    public async Task NotSignedIn_GoesToTheLoginPageWithTheHint_AndBackToTheRequest()
    {
        using var browser = NewBrowser();
        var flow = new CodeFlow(browser);

        using var challenge = await flow.AuthorizeAsync(("login_hint", ProviderFactory.UserEmail));
        var loginUrl = challenge.Headers.Location!;
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(loginUrl.Query)["ReturnUrl"].ToString();
        var (_, loginPage) = await browser.GetAsync(loginUrl.PathAndQuery.TrimStart('/'));
        var login = await TestAccounts.SignInAsync(browser, returnUrl: returnUrl);
        using var back = await browser.Http.GetAsync(login.Headers.Location);

        Assert.Equal("/Account/Login", loginUrl.AbsolutePath);
        Assert.StartsWith("/connect/authorize?", returnUrl, StringComparison.Ordinal);
        Assert.Contains($"value=\"{ProviderFactory.UserEmail}\"", loginPage, StringComparison.Ordinal);
        Assert.Equal(returnUrl, login.Headers.Location?.OriginalString);
        Assert.True(CodeFlow.ReturnedParameters(back).ContainsKey("code"));
    }

    [Fact]
    public async Task OidccPromptNone_NotLoggedIn_AnswersLoginRequiredToTheClient()
    {
        using var browser = NewBrowser();
        var flow = new CodeFlow(browser);

        using var response = await flow.AuthorizeAsync(("prompt", "none"));
        var returned = CodeFlow.ReturnedParameters(response);

        Assert.StartsWith(ProviderFactory.CompanyRedirectUri, response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("login_required", returned["error"]);
        Assert.Equal(flow.State, returned["state"]);
        Assert.Equal("https://idp.test/", returned["iss"]);
    }

    [Fact]
    public async Task OidccPromptNone_LoggedIn_ReturnsACode()
    {
        using var browser = await SignedInAsync(NewBrowser());

        Assert.False(string.IsNullOrEmpty(await new CodeFlow(browser).CodeAsync(("prompt", "none"))));
    }

    [Fact]
    public async Task OidccPromptLogin_AsksForTheLoginAgain_AndAuthTimeMovesOn()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var first = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier);
        fixture.Clock.Offset += TimeSpan.FromSeconds(2);

        var again = new CodeFlow(browser);
        using var challenge = await again.AuthorizeAsync(("prompt", "login"));
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Headers.Location!.Query)["ReturnUrl"].ToString();
        var login = await TestAccounts.SignInAsync(browser, returnUrl: returnUrl);
        using var back = await browser.Http.GetAsync(login.Headers.Location);
        var second = await api.CodeAsync(CodeFlow.ReturnedParameters(back)["code"], again.RedirectUri, again.Verifier);

        Assert.Equal("/Account/Login", challenge.Headers.Location!.AbsolutePath);
        Assert.Contains("prompt=login", returnUrl, StringComparison.Ordinal);
        Assert.True(
            long.Parse(second.ReadIdentityToken().GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture) >
            long.Parse(first.ReadIdentityToken().GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PromptLogin_TheLoginPagesReturnAddressOpenedWithoutSigningIn_AsksForTheLoginAgain()
    {
        using var browser = await SignedInAsync(NewBrowser());
        fixture.Clock.Offset += TimeSpan.FromSeconds(2);
        var flow = new CodeFlow(browser);
        using var challenge = await flow.AuthorizeAsync(("prompt", "login"));
        var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(challenge.Headers.Location!.Query)["ReturnUrl"].ToString();

        using var skipped = await browser.Http.GetAsync(returnUrl);
        using var withoutThePrompt = await browser.Http.GetAsync(returnUrl.Replace("prompt=login", "prompt=consent", StringComparison.Ordinal));
        using var forgedMarker = await browser.Http.GetAsync(returnUrl + "0");

        Assert.Equal("/Account/Login", skipped.Headers.Location?.AbsolutePath);
        Assert.Equal("/Account/Login", withoutThePrompt.Headers.Location?.AbsolutePath);
        Assert.Equal("/Account/Login", forgedMarker.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task OidccMaxAge1_AfterTwoSeconds_AsksForTheLoginAgain()
    {
        using var browser = await SignedInAsync(NewBrowser());
        fixture.Clock.Offset += TimeSpan.FromSeconds(2);

        using var response = await new CodeFlow(browser).AuthorizeAsync(("max_age", "1"));

        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task OidccCodeReuse_SecondUseIsInvalidGrant_AndTheFirstTokensAreRevoked()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var code = await flow.CodeAsync();

        var first = await api.CodeAsync(code, flow.RedirectUri, flow.Verifier);
        var second = await api.CodeAsync(code, flow.RedirectUri, flow.Verifier);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("invalid_grant", second.Error);
        Assert.Equal("invalid_grant", (await api.RefreshAsync(first.RefreshToken, ProviderFactory.CompanyClient, ProviderFactory.CompanySecret)).Error);
    }

    [Theory]
    [InlineData("https://evil.test/signin-oidc")]
    [InlineData(ProviderFactory.CompanyRedirectUri + "/")]
    [InlineData(ProviderFactory.CompanyRedirectUri + "?next=1")]
    [InlineData("https://company.test/signin-oidc-extra")]
    public async Task OidccEnsureRegisteredRedirectUri_AnythingElseIsAnErrorOnTheProviderNeverARedirect(string redirectUri)
    {
        using var browser = await SignedInAsync(NewBrowser());

        using var response = await new CodeFlow(browser) { RedirectUri = redirectUri }.AuthorizeAsync();
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("did not give a return address registered for it", page, StringComparison.Ordinal);
        Assert.Contains(HtmlEncoder.Default.Encode(redirectUri), page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:49152/callback", true)]
    [InlineData("http://127.0.0.1/callback", true)]
    [InlineData("http://127.0.0.1:49152/other", false)]
    [InlineData("http://localhost:49152/callback", false)]
    [InlineData("https://127.0.0.1:49152/callback", false)]
    public async Task NativeApp_LoopbackRedirect_MayUseAnyPort_ButNothingElseMayDiffer(string redirectUri, bool accepted)
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser) { ClientId = ProviderFactory.NativeClient, RedirectUri = redirectUri, Scope = "openid" };

        using var response = await flow.AuthorizeAsync();

        if (accepted)
        {
            Assert.StartsWith(redirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.True(CodeFlow.ReturnedParameters(response).ContainsKey("code"));
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task WebApp_LoopbackStyleRelaxation_DoesNotApply()
    {
        using var browser = await SignedInAsync(NewBrowser());

        using var response = await new CodeFlow(browser) { RedirectUri = "https://company.test:8443/signin-oidc" }.AuthorizeAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnknownClient_IsAnErrorPageOnTheProviderNeverARedirect_WithAnErrorIdThatIsInTheLog()
    {
        using var browser = await SignedInAsync(NewBrowser());

        using var response = await new CodeFlow(browser) { ClientId = "no-such-client" }.AuthorizeAsync();
        var page = await response.Content.ReadAsStringAsync();
        var errorId = WebUtility.HtmlDecode(Regex.Match(page, "error id: <code>([^<]+)</code>").Groups[1].Value);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("is not registered with this provider", page, StringComparison.Ordinal);
        Assert.Contains("invalid_request", page, StringComparison.Ordinal);
        Assert.NotEmpty(errorId);
        var logged = Assert.Single(fixture.Logs.Entries, entry => entry.Message.Contains(errorId, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("no-such-client", logged.Message, StringComparison.Ordinal);
        Assert.Contains(ProviderFactory.CompanyRedirectUri, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OidccUnknownParameter_IsIgnored()
    {
        using var browser = await SignedInAsync(NewBrowser());

        Assert.False(string.IsNullOrEmpty(await new CodeFlow(browser).CodeAsync(("extra_parameter", "whatever"))));
    }

    [Theory]
    [InlineData("ui_locales", "de-CH fr")]
    [InlineData("claims_locales", "de")]
    [InlineData("display", "page")]
    public async Task OidccOptionalParameters_AreAccepted(string name, string value)
    {
        using var browser = await SignedInAsync(NewBrowser());

        Assert.False(string.IsNullOrEmpty(await new CodeFlow(browser).CodeAsync((name, value))));
    }

    [Fact]
    public async Task OidccIdTokenHint_OfTheSignedInUser_IsAccepted()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var first = new CodeFlow(browser);
        var idToken = (await api.CodeAsync(await first.CodeAsync(), first.RedirectUri, first.Verifier)).ReadIdentityToken();

        var code = await new CodeFlow(browser).CodeAsync(("id_token_hint", idToken.EncodedToken), ("prompt", "none"));

        Assert.False(string.IsNullOrEmpty(code));
    }

    [Theory]
    [InlineData("get")]
    [InlineData("post-header")]
    [InlineData("post-body")]
    public async Task OidccUserInfo_AnswersWithTheIdTokensSubject(string style)
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var tokens = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier);
        using var request = style switch
        {
            "get" => new HttpRequestMessage(HttpMethod.Get, "connect/userinfo"),
            "post-header" => new HttpRequestMessage(HttpMethod.Post, "connect/userinfo") { Content = new FormUrlEncodedContent([]) },
            _ => new HttpRequestMessage(HttpMethod.Post, "connect/userinfo")
            {
                Content = new FormUrlEncodedContent([new("access_token", tokens.AccessToken)]),
            },
        };
        if (style != "post-body")
        {
            request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        }

        using var response = await api.Http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tokens.ReadIdentityToken().Subject, document.RootElement.GetProperty("sub").GetString());
        Assert.Equal(ProviderFactory.UserEmail, document.RootElement.GetProperty("email").GetString());
    }

    [Fact]
    public async Task PublicClient_WithPkceAndNoSecret_GetsTokens()
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser) { ClientId = ProviderFactory.PublicClient, RedirectUri = ProviderFactory.PublicRedirectUri, Scope = "openid" };
        await ConsentOnceAsync(browser, flow);

        var tokens = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, flow.Verifier, ProviderFactory.PublicClient, secret: null);
        var wrongVerifier = await api.CodeAsync(await flow.CodeAsync(), flow.RedirectUri, "not-the-verifier-" + new string('x', 43), ProviderFactory.PublicClient, secret: null);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("invalid_grant", wrongVerifier.Error);
    }

    [Theory]
    [InlineData("", "code_challenge")]
    [InlineData("plain", "code_challenge_method")]
    public async Task PublicClient_WithoutS256Pkce_IsRefusedBackToTheClient(string method, string named)
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser) { ClientId = ProviderFactory.PublicClient, RedirectUri = ProviderFactory.PublicRedirectUri, Scope = "openid" };

        using var response = await flow.AuthorizeAsync(
            ("code_challenge", method.Length == 0 ? null : flow.Verifier), ("code_challenge_method", method.Length == 0 ? null : method));
        var returned = CodeFlow.ReturnedParameters(response);

        Assert.StartsWith(ProviderFactory.PublicRedirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request", returned["error"]);
        Assert.Contains(named, returned["error_description"], StringComparison.Ordinal);
        Assert.Equal(flow.State, returned["state"]);
        Assert.Equal("https://idp.test/", returned["iss"]);
        Assert.False(returned.ContainsKey("code"));
    }

    [Theory]
    [InlineData(42, "", false)]
    [InlineData(129, "", false)]
    [InlineData(42, "+", false)]
    [InlineData(42, "=", false)]
    [InlineData(43, "", true)]
    [InlineData(127, "~", true)]
    public async Task Authorize_WithCodeChallengeNot43To128Unreserved_IsInvalidRequest(int length, string last, bool accepted)
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser);

        using var response = await flow.AuthorizeAsync(("code_challenge", new string('a', length) + last));
        var returned = CodeFlow.ReturnedParameters(response);

        Assert.StartsWith(ProviderFactory.CompanyRedirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(flow.State, returned["state"]);
        if (accepted)
        {
            Assert.True(returned.ContainsKey("code"));
        }
        else
        {
            Assert.Equal("invalid_request", returned["error"]);
            Assert.Contains("code_challenge", returned["error_description"], StringComparison.Ordinal);
            Assert.False(returned.ContainsKey("code"));
        }
    }

    [Theory]
    [InlineData(42, "")]
    [InlineData(129, "")]
    [InlineData(42, "/")]
    public async Task Token_WithCodeVerifierNot43To128Unreserved_IsInvalidRequest(int length, string last)
    {
        using var browser = await SignedInAsync(NewBrowser());
        using var api = fixture.Provider.CreateTokenClient();
        var flow = new CodeFlow(browser);
        var code = await flow.CodeAsync();

        var malformed = await api.CodeAsync(code, flow.RedirectUri, new string('a', length) + last);
        var afterwards = await api.CodeAsync(code, flow.RedirectUri, flow.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal("invalid_request", malformed.Error);
        Assert.Contains("code_verifier", malformed.Get("error_description"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, afterwards.Status);
    }

    [Fact]
    public async Task ScopeTheClientMayNotUse_IsRefusedBackToTheClient()
    {
        using var browser = await SignedInAsync(NewBrowser());

        using var response = await new CodeFlow(browser) { Scope = "openid admin" }.AuthorizeAsync();
        var returned = CodeFlow.ReturnedParameters(response);

        Assert.StartsWith(ProviderFactory.CompanyRedirectUri + "?", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request", returned["error"]);
    }

    [Fact]
    public async Task AuthorizationRequest_ByPost_IsHandledLikeGet()
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(new Uri("https://idp.test/"), flow.AuthorizeUrl()).Query);

        using var response = await browser.Http.PostAsync("connect/authorize",
            new FormUrlEncodedContent(query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()))));

        Assert.True(CodeFlow.ReturnedParameters(response).ContainsKey("code"));
    }

    [Fact]
    public async Task ResponseModeFormPost_AnswersWithAFormThatPostsTheCodeToTheClient()
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser);

        using var response = await flow.AuthorizeAsync(("response_mode", "form_post"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"action=\"{ProviderFactory.CompanyRedirectUri}\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"code\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{flow.State}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseModeFormPost_LetsOnlyItsOwnScriptRun()
    {
        using var browser = await SignedInAsync(NewBrowser());
        var flow = new CodeFlow(browser);

        using var first = await flow.AuthorizeAsync(("response_mode", "form_post"));
        using var second = await new CodeFlow(browser).AuthorizeAsync(("response_mode", "form_post"));
        var policy = first.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = System.Text.RegularExpressions.Regex.Match(policy, "script-src 'nonce-([A-Za-z0-9_-]{22})'").Groups[1].Value;

        Assert.NotEmpty(nonce);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains($"<script nonce=\"{nonce}\">", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(nonce, second.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", first.Headers.GetValues("X-Frame-Options").Single());
    }

    private static async Task ConsentOnceAsync(FormClient browser, CodeFlow flow)
    {
        using var response = await flow.AuthorizeAsync();
        if (response.Headers.Location is not null && CodeFlow.Location(response).AbsolutePath == "/Account/Consent")
        {
            Assert.Equal(HttpStatusCode.Redirect, (await ConsentTests.AnswerAsync(browser, response, "Allow")).StatusCode);
        }
    }
}
