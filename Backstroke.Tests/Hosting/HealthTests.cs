using System.Net;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Hosting;

public sealed class HealthTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Healthz_answers_200_while_the_process_is_up()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }
}
