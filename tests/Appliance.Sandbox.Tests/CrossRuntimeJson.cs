using System.Text.Json.Serialization;

namespace Appliance.Sandbox.Tests;

/// <summary>Source-generated JSON for the tag maps handed to tests/jco/decode.mjs.</summary>
[JsonSerializable(typeof(List<Dictionary<string, object>>), TypeInfoPropertyName = "ListDictionaryStringObject")]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class CrossRuntimeJson : JsonSerializerContext;
