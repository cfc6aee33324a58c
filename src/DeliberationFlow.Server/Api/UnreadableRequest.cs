using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace DeliberationFlow.Server.Api;

/// <summary>
/// A request ASP.NET Core could not bind: a body that is not JSON or has a value of the wrong type ("votesFor": "abc",
/// "date": "2021-02-30", a malformed id), or a query or route value that does not parse (page=abc). Without this the
/// caller got a bare 400 naming nothing; now the field is named as the service's own checks name theirs
/// (<c>errors.votesFor</c>, <c>errors["entries[0].personId"]</c>, <c>errors.page</c>), and the request changed nothing.
/// </summary>
internal static partial class UnreadableRequest
{
    public static ProblemDetails Describe(BadHttpRequestException exception, Endpoint? endpoint)
    {
        var (field, message) = exception.InnerException is JsonException json ? FromJson(json, endpoint) : FromBinding(exception);
        if (field is null || exception.StatusCode != StatusCodes.Status400BadRequest)
        {
            return new ProblemDetails { Status = exception.StatusCode, Title = "The request could not be read.", Detail = message };
        }

        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = "See 'errors' for each field and what is wrong with it.",
        };
    }

    private static (string Field, string Message) FromJson(JsonException json, Endpoint? endpoint)
    {
        // System.Text.Json names the place as a JSON path ($.entries[0].personId); the API's errors name it without "$.".
        var path = json.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        var place = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine + 1})" : "";
        if (TooDeep().Match(json.Message) is { Success: true } depth)
        {
            // Valid JSON nested beyond the reader's limit: "not valid JSON" sent callers looking for a syntax error.
            return ("body", $"The body nests deeper than the {depth.Groups["depth"].Value} levels of objects and lists allowed{place}; " +
                "send one JSON object as the API reference describes it.");
        }

        if (path is null || JsonConversion().Match(json.Message) is not { Success: true } conversion)
        {
            return (path ?? "body", $"The body is not valid JSON{place}; send one JSON object as the API reference describes it.");
        }

        // For a record bound through its constructor the message names the record, not the value's type: that is found
        // by following the path through the properties of the endpoint's body parameter.
        var type = endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .Select(p => ValueType(p.ParameterType, path)).FirstOrDefault(t => t is not null);
        return (path, $"Not a valid value here: give {Expected(type?.FullName ?? conversion.Groups["type"].Value)}.");
    }

    /// <summary>The type of the value at <paramref name="path"/> (such as <c>entries[0].personId</c>) in <paramref name="root"/>.</summary>
    private static Type? ValueType(Type root, string path)
    {
        Type? type = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment.Split('[')[0];
            type = type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (type is not null && segment.Contains('[', StringComparison.Ordinal))
            {
                type = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            }
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    private static (string? Field, string Message) FromBinding(BadHttpRequestException exception)
    {
        if (BindingFailure().Match(exception.Message) is { Success: true } failure)
        {
            return (failure.Groups["name"].Value, $"'{failure.Groups["value"].Value}' is not valid here: give {Expected(failure.Groups["type"].Value)}.");
        }

        return RequiredBody().IsMatch(exception.Message)
            ? ("body", "The request needs a JSON body; see the API reference for its fields.")
            : (null, exception.Message);
    }

    private static string Expected(string type) => type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal)
        ? "a list"
        : Bare(type) switch
        {
            "Int32" or "Int64" or "int" or "long" => "a whole number",
            "Boolean" or "bool" => "true or false",
            "Guid" => "an id such as 01a21d8b-2057-7715-a035-b8f26a486c07",
            "DateOnly" => "a date such as 2021-04-29",
            "DateTime" or "DateTimeOffset" => "a date and time such as 2021-04-29T17:00",
            "TimeOnly" => "a time such as 17:00",
            "String" or "string" => "text",
            _ => "a value of the type the API reference names",
        };

    // "System.Nullable`1[System.Int32]" (System.Text.Json), "Nullable<int>" or "int?" (parameter binding) → "Int32" or "int".
    private static string Bare(string type) =>
        type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).Replace("Nullable<", "", StringComparison.Ordinal)
            .TrimEnd(']', '>', '?').Split('.')[^1];

    // "The JSON value could not be converted to System.Nullable`1[System.Int32]. Path: $.votesFor | LineNumber: 0 | …"
    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\. Path:")]
    private static partial Regex JsonConversion();

    // "The maximum configured depth of 64 has been exceeded. Cannot read next JSON object." (serializer) or
    // "CurrentDepth (64) is equal to or larger than the maximum allowed depth of 64. Cannot read next JSON array." (reader)
    [GeneratedRegex(@"maximum (?:configured|allowed) depth of (?<depth>\d+)")]
    private static partial Regex TooDeep();

    // "Failed to bind parameter \"int page\" from \"abc\"."
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex BindingFailure();

    // "Required parameter \"RecordOutcomeRequest request\" was not provided from body."
    [GeneratedRegex("^Required parameter \".*\" was not provided from body")]
    private static partial Regex RequiredBody();
}
