using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Config.Document;
using Tomlyn;
using Tomlyn.Syntax;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// toml-test's tagged JSON (see the conformance MANIFEST.md): a table is an object, an array is an
/// array, and every leaf is <c>{"type": TYPE, "value": STRING}</c>. Also compares two such documents
/// semantically: integers as int64, floats as double (NaN equals NaN), date-times as points in time.
/// </summary>
internal static class TaggedJson
{
    /// <summary>The tagged JSON of a value as the configuration reads it: the tables gathered from Tomlyn's syntax tree, its scalar nodes.</summary>
    public static JsonNode Encode(DocumentValue value) => value switch
    {
        DocumentTable table => EncodeTable(table),
        DocumentArray array => new JsonArray(array.Select(Encode).ToArray()),
        DocumentScalar { Syntax: StringValueSyntax text } => Leaf("string", text.Value ?? string.Empty),
        DocumentScalar { Syntax: IntegerValueSyntax integer } => Leaf("integer", integer.Value.ToString(CultureInfo.InvariantCulture)),
        DocumentScalar { Syntax: FloatValueSyntax number } => Leaf("float", FormatFloat(number.Value)),
        DocumentScalar { Syntax: BooleanValueSyntax boolean } => Leaf("bool", boolean.Value ? "true" : "false"),
        DocumentScalar { Syntax: DateTimeValueSyntax dateTime } => EncodeDateTime(dateTime.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Describe(), "not a TOML value"),
    };

    /// <summary>Null when equal, otherwise where and how the documents differ.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected)
        {
            case JsonObject expectedObject when IsLeaf(expectedObject):
                return actual is JsonObject actualLeaf && IsLeaf(actualLeaf)
                    ? LeafDifference(expectedObject, actualLeaf, path)
                    : $"{path}: expected a {expectedObject["type"]} value, got {Show(actual)}";
            case JsonObject expectedObject:
                if (actual is not JsonObject actualObject || IsLeaf(actualObject))
                {
                    return $"{path}: expected a table, got {Show(actual)}";
                }

                var expectedKeys = expectedObject.Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList();
                var actualKeys = actualObject.Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys))
                {
                    return $"{path}: expected keys [{string.Join(", ", expectedKeys)}], got [{string.Join(", ", actualKeys)}]";
                }

                foreach (string key in expectedKeys)
                {
                    string? difference = Difference(expectedObject[key], actualObject[key], $"{path}.{key}");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            case JsonArray expectedArray:
                if (actual is not JsonArray actualArray)
                {
                    return $"{path}: expected an array, got {Show(actual)}";
                }

                if (expectedArray.Count != actualArray.Count)
                {
                    return $"{path}: expected {expectedArray.Count} elements, got {actualArray.Count}";
                }

                for (int i = 0; i < expectedArray.Count; i++)
                {
                    string? difference = Difference(expectedArray[i], actualArray[i], $"{path}[{i}]");
                    if (difference is not null)
                    {
                        return difference;
                    }
                }

                return null;
            default:
                return $"{path}: unexpected JSON in the expected document: {Show(expected)}";
        }
    }

    private static JsonObject EncodeTable(DocumentTable table)
    {
        var result = new JsonObject();
        foreach (DocumentEntry entry in table)
        {
            result[entry.Key] = Encode(entry.Value);
        }

        return result;
    }

    private static JsonObject Leaf(string type, string value) => new() { ["type"] = type, ["value"] = value };

    // RFC 3339 as toml-test writes it; Tomlyn keeps fractions to 100 ns (DateTimeOffset), F drops trailing zeros.
    private static JsonObject EncodeDateTime(TomlDateTime value) => value.Kind switch
    {
        TomlDateTimeKind.LocalDateTime => Leaf("datetime-local", value.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        TomlDateTimeKind.LocalDate => Leaf("date-local", value.DateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        TomlDateTimeKind.LocalTime => Leaf("time-local", value.DateTime.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)),
        _ => Leaf("datetime", value.DateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)),
    };

    private static string FormatFloat(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static bool IsLeaf(JsonObject node) =>
        node.Count == 2
        && node["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String
        && node["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private static string? LeafDifference(JsonObject expected, JsonObject actual, string path)
    {
        string type = expected["type"]!.GetValue<string>();
        string expectedValue = expected["value"]!.GetValue<string>();
        string actualType = actual["type"]!.GetValue<string>();
        string actualValue = actual["value"]!.GetValue<string>();
        if (type != actualType)
        {
            return $"{path}: expected type {type}, got {actualType} ({actualValue})";
        }

        bool equal = type switch
        {
            "integer" => long.Parse(expectedValue, CultureInfo.InvariantCulture) == long.Parse(actualValue, CultureInfo.InvariantCulture),
            "float" => ParseFloat(expectedValue).Equals(ParseFloat(actualValue)),
            "datetime" => DateTimeOffset.Parse(expectedValue, CultureInfo.InvariantCulture) == DateTimeOffset.Parse(actualValue, CultureInfo.InvariantCulture),
            "datetime-local" => DateTime.Parse(expectedValue, CultureInfo.InvariantCulture) == DateTime.Parse(actualValue, CultureInfo.InvariantCulture),
            "date-local" => DateOnly.Parse(expectedValue, CultureInfo.InvariantCulture) == DateOnly.Parse(actualValue, CultureInfo.InvariantCulture),
            "time-local" => TimeOnly.Parse(expectedValue, CultureInfo.InvariantCulture) == TimeOnly.Parse(actualValue, CultureInfo.InvariantCulture),
            _ => expectedValue == actualValue,
        };
        return equal ? null : $"{path}: expected {type} {JsonSerializer.Serialize(expectedValue)}, got {JsonSerializer.Serialize(actualValue)}";
    }

    // double.Equals treats NaN as equal to NaN, as toml-test does.
    private static double ParseFloat(string text) => text switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "+nan" or "-nan" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "nothing";
}
