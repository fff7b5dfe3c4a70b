using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Config.Toml;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// toml-test's tagged JSON (see the conformance MANIFEST.md): a table is an object, an array is an
/// array, and every leaf is <c>{"type": TYPE, "value": STRING}</c>. Also compares two such documents
/// semantically: integers as int64, floats as double (NaN equals NaN), date-times as points in time.
/// </summary>
internal static class TaggedJson
{
    public static JsonNode Encode(TomlValue value) => value switch
    {
        TomlTable table => EncodeTable(table),
        TomlArray array => new JsonArray(array.Select(Encode).ToArray()),
        TomlString text => Leaf("string", text.Value),
        TomlInteger integer => Leaf("integer", integer.Value.ToString(CultureInfo.InvariantCulture)),
        TomlFloat number => Leaf("float", FormatFloat(number.Value)),
        TomlBoolean boolean => Leaf("bool", boolean.Value ? "true" : "false"),
        TomlDateTime dateTime => Leaf(DateTimeType(dateTime.Kind), dateTime.Value.ToString()),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Kind, "not a TOML value kind"),
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

    private static JsonObject EncodeTable(TomlTable table)
    {
        var result = new JsonObject();
        foreach (TomlTableEntry entry in table)
        {
            result[entry.Key] = Encode(entry.Value);
        }

        return result;
    }

    private static JsonObject Leaf(string type, string value) => new() { ["type"] = type, ["value"] = value };

    private static string DateTimeType(TomlValueKind kind) => kind switch
    {
        TomlValueKind.OffsetDateTime => "datetime",
        TomlValueKind.LocalDateTime => "datetime-local",
        TomlValueKind.LocalDate => "date-local",
        TomlValueKind.LocalTime => "time-local",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a date-time kind"),
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
