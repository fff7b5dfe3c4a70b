using System.Globalization;
using System.Text.Json;

namespace Appliance.Console.Channel;

/// <summary>
/// Reading the daemon's answers without ever throwing: a property that is missing or of another kind (an older or
/// newer daemon) reads as zero, an empty string or an empty element, and the screen shows what there is.
/// </summary>
public static class Json
{
    public static JsonElement Get(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) ? value : default;

    public static long Long(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out long value) ? value : 0;

    public static double Double(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : 0;

    public static bool Bool(this JsonElement element, string name) => element.Get(name).ValueKind == JsonValueKind.True;

    public static string Str(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.String } text ? text.GetString() ?? "" : "";

    public static IEnumerable<JsonProperty> Properties(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Object } obj ? obj.EnumerateObject() : [];

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Get(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A value as the screens show it: numbers as the daemon wrote them, true/false, text as it is.</summary>
    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
