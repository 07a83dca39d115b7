using System.Net;
using System.Security.Cryptography;

namespace Backstroke.Tests.FakeGitHub;

/// <summary>An App's JWT is checked as GitHub checks it, and each refusal says what GitHub says.</summary>
public sealed class AppJwtTests
{
    [Fact]
    public async Task A_jwt_signed_with_the_app_s_key_reaches_the_app_by_its_id_or_its_client_id()
    {
        await using var world = await AppWorld.StartAsync();

        using var byId = world.Bearer(world.Jwt(world.App.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), -60, 540));
        using var byClientId = world.Bearer(world.Jwt(world.App.ClientId, -60, 540));
        using var asNumber = world.Bearer(world.Jwt(world.App.Id, -60, 540));
        var answers = new[] { await byId.GetAsync("app"), await byClientId.GetAsync("app"), await asNumber.GetAsync("app") };

        answers.Select(a => a.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var app = await Sim.JsonAsync(answers[0]);
        app.GetProperty("slug").GetString().Should().Be("backstroke");
        app.GetProperty("client_id").GetString().Should().Be(world.App.ClientId);
        app.GetProperty("installations_count").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Each_bad_jwt_gets_github_s_401()
    {
        await using var world = await AppWorld.StartAsync();
        using var otherKey = RSA.Create(2048);
        var cases = new (string Why, string Jwt, string Message)[]
        {
            ("not a JWT at all", "eyJub3QiOiJqd3QifQ.eyJ.x", "A JSON web token could not be decoded"),
            ("signed with another key", world.Jwt(world.App.Id, -60, 540, key: otherKey.ExportRSAPrivateKeyPem()), "A JSON web token could not be decoded"),
            ("another algorithm", world.Jwt(world.App.Id, -60, 540, alg: "HS256"), "A JSON web token could not be decoded"),
            ("an App that does not exist", world.Jwt(999_999, -60, 540), "A JSON web token could not be decoded"),
            ("no issuer", world.Jwt(null, -60, 540), "'Issuer' claim ('iss') must be an Integer"),
            ("an issuer that is neither id nor client id", world.Jwt("backstroke ", -60, 540), "'Issuer' claim ('iss') must be an Integer"),
            ("issued two minutes from now", world.Jwt(world.App.Id, 120, 540), "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"),
            ("no issued-at", world.Jwt(world.App.Id, null, 540), "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"),
            ("expired", world.Jwt(world.App.Id, -700, -10), "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"),
            ("no expiry", world.Jwt(world.App.Id, -60, null), "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"),
            ("expiring in eleven minutes", world.Jwt(world.App.Id, -60, 660), "'Expiration time' claim ('exp') is too far in the future"),
        };

        foreach (var (why, jwt, message) in cases)
        {
            using var http = world.Bearer(jwt);
            using var response = await http.PostAsync($"app/installations/{world.Installation.Id}/access_tokens", null);
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, why);
            (await Sim.JsonAsync(response)).GetProperty("message").GetString().Should().Be(message, why);
        }
    }

    [Fact]
    public async Task A_clock_within_the_skew_is_accepted_and_ten_minutes_exactly_is_the_longest()
    {
        await using var world = await AppWorld.StartAsync();

        using var slightlyAhead = world.Bearer(world.Jwt(world.App.Id, 30, 600));
        using var answer = await slightlyAhead.GetAsync("app/installations");

        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Sim.JsonAsync(answer)).EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).Should().Equal(world.Installation.Id);
    }

    [Fact]
    public async Task A_jwt_reaches_only_the_app_s_endpoints_and_other_credentials_do_not_reach_them()
    {
        await using var world = await AppWorld.StartAsync();
        var token = await world.TokenAsync();
        using var jwt = world.Bearer(world.Jwt());
        using var user = Sim.Http(world.Server, "forker-token");
        using var installation = world.Bearer(token);

        using var jwtOnRepo = await jwt.GetAsync("repos/forker/project/pulls");
        using var userOnApp = await user.GetAsync("app");
        using var tokenOnApp = await installation.GetAsync("repos/forker/project/installation");
        using var userOnInstallation = await user.GetAsync("installation/repositories");
        using var tokenOnUser = await installation.GetAsync("user");

        jwtOnRepo.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        userOnApp.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Sim.JsonAsync(tokenOnApp)).GetProperty("message").GetString().Should().Be("A JSON web token could not be decoded");
        (await Sim.JsonAsync(userOnInstallation)).GetProperty("message").GetString()
            .Should().Be("You must authenticate with an installation access token in order to list repositories for an installation.");
        tokenOnUser.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Sim.JsonAsync(tokenOnUser)).GetProperty("message").GetString().Should().Be("Resource not accessible by integration");
    }

    [Fact]
    public async Task The_app_finds_a_repository_s_installation_and_nothing_for_one_it_is_not_installed_on()
    {
        await using var world = await AppWorld.StartAsync();
        using var jwt = world.Bearer(world.Jwt());

        using var installed = await jwt.GetAsync("repos/forker/project/installation");
        using var notInstalled = await jwt.GetAsync("repos/maintainer/project/installation");
        using var byId = await jwt.GetAsync($"app/installations/{world.Installation.Id}");
        using var unknown = await jwt.GetAsync("app/installations/424242");

        var installation = await Sim.JsonAsync(installed);
        installation.GetProperty("id").GetInt64().Should().Be(world.Installation.Id);
        installation.GetProperty("account").GetProperty("login").GetString().Should().Be("forker");
        installation.GetProperty("repository_selection").GetString().Should().Be("selected");
        notInstalled.StatusCode.Should().Be(HttpStatusCode.NotFound);
        byId.StatusCode.Should().Be(HttpStatusCode.OK);
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
