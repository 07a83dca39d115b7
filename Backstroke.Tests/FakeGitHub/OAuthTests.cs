using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Octokit;

namespace Backstroke.Tests.FakeGitHub;

public sealed class OAuthTests
{
    [Fact]
    public async Task The_web_flow_signs_in_the_session_user_and_Octokit_exchanges_the_code()
    {
        await using var server = await Sim.StartWithForkAsync();
        server.SetSessionUser("forker");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };

        using var authorize = await browser.GetAsync("login/oauth/authorize?client_id=fake-client-id&redirect_uri=http%3A%2F%2Fapp.test%2Fauth%2Fgithub%2Fcallback&scope=repo&state=xyz");
        var callback = authorize.Headers.Location!;
        var query = QueryHelpers.ParseQuery(callback.Query);
        var token = await Sim.Octokit(server).Oauth.CreateAccessToken(new OauthTokenRequest("fake-client-id", "fake-client-secret", query["code"]!) { RedirectUri = new Uri("http://app.test/auth/github/callback") });
        var me = await Sim.Octokit(server, token.AccessToken).User.Current();

        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect);
        callback.GetLeftPart(UriPartial.Path).Should().Be("http://app.test/auth/github/callback");
        query["state"].ToString().Should().Be("xyz");
        token.Scope.Should().Equal("repo");
        me.Login.Should().Be("forker");
        Sim.Octokit(server, token.AccessToken).GetLastApiInfo().Should().BeNull();
        server.Requests.Last().Token.Should().Be(token.AccessToken);
    }

    [Fact]
    public async Task A_bad_code_is_a_200_error_body_in_json_or_form_encoding()
    {
        await using var server = await Sim.StartWithForkAsync();
        using var http = Sim.Http(server);
        var form = new Dictionary<string, string> { ["client_id"] = "fake-client-id", ["client_secret"] = "fake-client-secret", ["code"] = "nope" };

        using var json = new HttpRequestMessage(HttpMethod.Post, "login/oauth/access_token") { Content = new FormUrlEncodedContent(form) };
        json.Headers.Accept.ParseAdd("application/json");
        using var jsonAnswer = await http.SendAsync(json);
        using var formAnswer = await http.PostAsync("login/oauth/access_token", new FormUrlEncodedContent(form));
        using var wrongSecret = await http.PostAsync("login/oauth/access_token", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["client_secret"] = "x" }));

        jsonAnswer.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await jsonAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString().Should().Be("bad_verification_code");
        formAnswer.StatusCode.Should().Be(HttpStatusCode.OK);
        (await formAnswer.Content.ReadAsStringAsync()).Should().StartWith("error=bad_verification_code&");
        (await wrongSecret.Content.ReadAsStringAsync()).Should().StartWith("error=incorrect_client_credentials&");
    }
}
