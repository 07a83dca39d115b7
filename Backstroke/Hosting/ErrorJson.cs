using Microsoft.AspNetCore.Http.HttpResults;

namespace Backstroke.Hosting;

/// <summary>
/// Every error the app answers in JSON: <c>{"error": "&lt;sentence&gt;"}</c>, with a fitting status. The sentence says
/// what went wrong and, where it can, what to do; never a stack trace or a secret.
/// </summary>
internal sealed record ErrorJson(string Error)
{
    public static JsonHttpResult<ErrorJson> Result(int status, string error) => TypedResults.Json(new ErrorJson(error), statusCode: status);

    /// <summary>For code that writes the response itself (authentication events).</summary>
    public static Task WriteAsync(HttpResponse response, int status, string error)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new ErrorJson(error));
    }
}
