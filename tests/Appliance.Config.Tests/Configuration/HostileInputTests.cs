using System.Globalization;
using System.Text;
using Appliance.Config.Document;
using Appliance.Testing;
using Tomlyn;
using Tomlyn.Syntax;

namespace Appliance.Config.Tests.Configuration;

/// <summary>
/// Files written to break the loader: deep nesting, invalid UTF-8, oversized input, integers past 64 bits,
/// control characters, lone surrogates, byte-order marks. <see cref="ConfigLoader"/> refuses each with
/// <c>FILE:LINE:COL: message</c> and never throws. These promises were first made by our own TOML parser;
/// they hold now that Tomlyn reads the file, some of them through the layer in front of it (<see cref="DocumentReader"/>).
/// </summary>
public sealed class HostileInputTests
{
    private const int HundredThousand = 100_000;
    private const string TooDeep = "nesting deeper than 64 levels (arrays, inline tables and dotted keys); flatten the structure";

    // ---- Nesting -------------------------------------------------------------------------------

    [Fact]
    public void HundredThousandNestedArraysAreRefusedAtTheSixtyFifthLevel()
    {
        string toml = "a = " + new string('[', HundredThousand) + new string(']', HundredThousand);

        // a is level 1; its array holds level 2, ... the 65th '[' (column 4 + 65) is level 65.
        Assert.Equal($"test.toml:1:69: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void HundredThousandNestedInlineTablesAreRefusedWhereTomlynStops()
    {
        string toml = "a = " + string.Concat(Enumerable.Repeat("{b = ", HundredThousand)) + "1" + new string('}', HundredThousand);

        // Tomlyn stops at the 65th '{' (column 5 + 64 * 5), before its key; our parser counted the key and
        // stopped one key earlier, at column 321, which is still where a file exactly that deep is refused.
        Assert.Equal($"test.toml:1:325: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void SixtyFourNestedInlineTablesAreRefusedAtTheKeyOnTheSixtyFifthLevel()
    {
        string toml = "a = " + string.Concat(Enumerable.Repeat("{b = ", 64)) + "1" + new string('}', 64);

        // The 64th b is at level 65; it starts at column 5 + 63 * 5 + 1.
        Assert.Equal($"test.toml:1:321: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void HundredThousandSegmentDottedKeyIsRefusedAtTheSixtyFifthSegment()
    {
        string toml = string.Join('.', Enumerable.Repeat("k", HundredThousand)) + " = 1";

        Assert.Equal($"test.toml:1:129: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void HundredThousandSegmentTableHeaderIsRefusedAtTheSixtyFifthSegment()
    {
        string toml = "[" + string.Join('.', Enumerable.Repeat("k", HundredThousand)) + "]";

        Assert.Equal($"test.toml:1:130: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void AMillionNestedArraysCannotOverflowTheStack()
    {
        const int Levels = 1_000_000;

        // node is level 1, id level 2 and so its array; the 64th '[' (column 5 + 64) is level 65.
        string toml = "[node]\nid = " + new string('[', Levels) + new string(']', Levels);

        Assert.Equal($"test.toml:2:69: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void NestingUpToTheLimitIsAccepted()
    {
        string key = string.Join('.', Enumerable.Repeat("k", 64));

        Assert.True(Read($"{key} = 1").ContainsKey("k"));
        Assert.True(Read($"[{key}]").ContainsKey("k"));
        Assert.True(Read("a = " + new string('[', 63) + "1" + new string(']', 63)).ContainsKey("a"));
        Assert.True(Read("a = " + string.Concat(Enumerable.Repeat("{b = ", 63)) + "1" + new string('}', 63)).ContainsKey("a"));
    }

    [Fact]
    public void TablesAndArraysCountTogether()
    {
        // 60 header segments, then an array four deep inside it: level 60 + 1 + 4 = 65.
        string toml = "[" + string.Join('.', Enumerable.Repeat("k", 60)) + "]\na = [[[[1]]]]";

        Assert.Equal($"test.toml:2:9: {TooDeep}", Assert.Single(Errors(toml)).ToString());
    }

    // ---- Size ----------------------------------------------------------------------------------

    [Fact]
    public void TextLongerThanFourMebibytesIsRefusedBeforeParsing()
    {
        byte[] tooLarge = new byte[ConfigLoader.MaxFileBytes + 1];
        tooLarge.AsSpan().Fill((byte)'#');

        ConfigDiagnostic error = Assert.Single(Errors(tooLarge));

        Assert.Equal("test.toml:1:1: the document is 4,194,305 bytes long; a configuration file may be at most 4,194,304 bytes (4 MiB)", error.ToString());
        Assert.True(ConfigLoader.Parse(tooLarge.AsSpan(0, ConfigLoader.MaxFileBytes), "test.toml", "/etc").IsValid);
    }

    [Fact]
    public void AFileLargerThanTheLimitIsRefusedWithItsSize()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "big.toml");
        File.WriteAllBytes(file, new byte[(5 * 1024 * 1024) + 3]);

        ConfigDiagnostic error = Assert.Single(ConfigLoader.Load(file).Errors);

        Assert.Equal($"{file}:1:1: the file is 5,242,883 bytes; a configuration file may be at most 4,194,304 bytes (4 MiB). Is this the right file?", error.ToString());
    }

    [Fact]
    public void MoreThanHalfAMillionTokensAreRefusedBeforeTomlynBuildsItsSyntaxTree()
    {
        // 4 MiB of "k = 1": Tomlyn's syntax tree of it would take about 1 GB. Six tokens a line (k, space,
        // =, space, 1, newline): token 500,001 is the '=' of line 83,334.
        string toml = string.Concat(Enumerable.Repeat("k = 1\n", ConfigLoader.MaxFileBytes / 6));
        long before = GC.GetAllocatedBytesForCurrentThread();

        ConfigDiagnostic error = Assert.Single(Errors(toml));

        Assert.Equal("test.toml:83334:3: the file holds more than 500,000 TOML tokens (keys, values, punctuation, comments and line breaks); a configuration may hold at most that many: remove what is not needed or split the plant over several gateways", error.ToString());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (64L << 20), "reading the file took more than 64 MiB");
    }

    [Fact]
    public void CountingTokensReadsEveryConformanceCaseWithoutACrash()
    {
        // Tokens are counted only in texts of at least MaxTokens characters: pad every toml-test case so.
        byte[] padding = Encoding.ASCII.GetBytes("\n#" + new string('x', DocumentReader.MaxTokens));
        string suite = Toml.ConformanceSuite.Folder();
        IEnumerable<string> cases = Directory.EnumerateFiles(suite, "*.toml", SearchOption.AllDirectories);

        Assert.All(cases, file => DocumentReader.TryRead([.. File.ReadAllBytes(file), .. padding], file, out _, out _));
    }

    [Fact]
    public void ALargeRealisticConfigurationIsWellWithinTheTokenLimit()
    {
        var text = new StringBuilder("[node]\nid = \"plant\"\n");
        for (int device = 0; device < 50; device++)
        {
            text.Append(CultureInfo.InvariantCulture, $"[[device]]\nname = \"plc-{device}\"\nhost = \"10.0.{device}.1\"\n[[device.group]]\nname = \"process\"\ninterval = \"1s\"\n");
            for (int tag = 0; tag < 200; tag++)
            {
                text.Append(CultureInfo.InvariantCulture, $"[[device.group.tag]]\nname = \"tag-{tag}\"\naddress = {tag * 2}\ntype = \"float32\"\nunit = \"°C\"\n");
            }
        }

        ConfigLoadResult result = ConfigLoader.Parse(Encoding.UTF8.GetBytes(text.ToString()), "test.toml", "/etc/appliance");

        Assert.True(result.IsValid, string.Join('\n', result.Errors.Take(5)));
        Assert.Equal(10_000, result.Config.Devices.Sum(device => device.Groups.Sum(group => group.Tags.Count)));
    }

    [Fact]
    public void ALargeDocumentIsReadCompletely()
    {
        var text = new StringBuilder();
        int sections = 0;
        while (text.Length < 1_000_000)
        {
            text.Append(
                $"[device_{sections}]\nname = \"device {sections} é\"\nport = {sections}\nratio = 0.5\n"
                + "tags = [\"a\", 'b', { x = 1 }]\nlabel.text = '''\nmulti\n'''\n[[device_" + sections + ".endpoint]]\nhost = \"10.0.0.1\"\n\n");
            sections++;
        }

        DocumentTable document = Read(text.ToString());

        Assert.Equal(sections, document.Count);
        Assert.True(document.TryGetValue($"device_{sections - 1}", out DocumentValue? last));
        DocumentTable table = Assert.IsType<DocumentTable>(last);
        Assert.True(table.TryGetValue("port", out DocumentValue? port));
        Assert.Equal(sections - 1L, Assert.IsType<IntegerValueSyntax>(Assert.IsType<DocumentScalar>(port).Syntax).Value);
    }

    // ---- Encoding ------------------------------------------------------------------------------

    [Fact]
    public void InvalidUtf8IsReportedAtItsLineAndColumn()
    {
        byte[] toml = [.. "a = 1\nb = \"é\"\nc = "u8, 0xFF, .. "\n"u8];

        Assert.Equal("test.toml:3:5: invalid UTF-8: byte 0xFF never appears in UTF-8; save the file as UTF-8", Assert.Single(Errors(toml)).ToString());

        // Columns before the bad byte count characters, not bytes.
        byte[] afterMultiByte = [.. "# é😀 "u8, 0xC3, 0x28];
        ConfigDiagnostic error = Assert.Single(Errors(afterMultiByte));
        Assert.Equal((1, 6), (error.Line, error.Column));
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0xAF }, "overlong")]
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF }, "overlong")]
    [InlineData(new byte[] { 0xF0, 0x80, 0x80, 0xAF }, "overlong")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "surrogate")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "beyond U+10FFFF")]
    [InlineData(new byte[] { 0xE2, 0x82 }, "the input ends inside")]
    [InlineData(new byte[] { 0xE2, 0x28, 0xA1 }, "cut short")]
    [InlineData(new byte[] { 0x80 }, "continuation byte")]
    [InlineData(new byte[] { 0xFF }, "never appears in UTF-8")]
    public void MalformedUtf8IsRefusedWithTheReason(byte[] sequence, string reason)
    {
        byte[] toml = [.. "# "u8, .. sequence];

        ConfigDiagnostic error = Assert.Single(Errors(toml));

        Assert.Equal((1, 3), (error.Line, error.Column));
        Assert.StartsWith("invalid UTF-8: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEncodedSurrogateInAStringIsInvalidUtf8()
    {
        byte[] toml = [.. "[node]\nid = \"a"u8, 0xED, 0xB0, 0x80, .. "\"\n"u8];

        ConfigDiagnostic error = Assert.Single(Errors(toml));

        Assert.Equal((2, 8), (error.Line, error.Column));
        Assert.Contains("a UTF-16 surrogate (U+D800..U+DFFF)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[node]\nid = \"\\uD800\"", 2, 8)]
    [InlineData("[node]\nid = \"\\uDFFF\"", 2, 8)]
    [InlineData("[node]\nid = \"\\U00110000\"", 2, 8)]
    public void EscapesOfSurrogatesAndPastU10FfffAreRefused(string toml, int line, int column)
    {
        ConfigDiagnostic error = Assert.Single(Errors(toml));

        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void ALeadingByteOrderMarkIsSkippedAndColumnsStartAfterIt()
    {
        byte[] toml = [0xEF, 0xBB, 0xBF, .. "[mqqt]\nqos = 1\n"u8];

        Assert.Equal("test.toml:1:2: unknown section \"mqqt\" at the top level; did you mean \"mqtt\"?", Assert.Single(Errors(toml)).ToString());
    }

    [Fact]
    public void ASecondByteOrderMarkIsRefused()
    {
        byte[] toml = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "a = 1"u8];

        ConfigDiagnostic error = Assert.Single(Errors(toml));

        Assert.Equal((1, 1), (error.Line, error.Column));
    }

    [Fact]
    public void ColumnsCountUnicodeScalarValuesNotBytesOrUtf16Units()
    {
        // é is 2 bytes and 😀 is 4 bytes (2 UTF-16 units), but each is one column.
        ConfigDiagnostic error = Assert.Single(Errors("[node]\ndescription = \"é😀\"  x"));

        Assert.Equal((2, 21), (error.Line, error.Column));
    }

    // ---- Control characters --------------------------------------------------------------------

    [Theory]
    [InlineData("a = 1\rb = 2", 1, 6)]
    [InlineData("a = \"x\ry\"", 1, 7)]
    [InlineData("# comment\r", 1, 10)]
    [InlineData("a = \"\"\"\nx\ry\"\"\"", 2, 2)]
    public void ABareCarriageReturnIsRefusedWhereItStands(string toml, int line, int column)
    {
        ConfigDiagnostic error = Errors(toml)[0];

        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("a = 1 # bell \u0007", 1, 14)]
    [InlineData("a = 1 # nul \0", 1, 13)]
    [InlineData("a = \"del \u007F\"", 1, 5)]
    [InlineData("a = \"nul \0\"", 1, 5)]
    [InlineData("a = '''nul \0'''", 1, 5)]
    [InlineData("a = 1\u000B", 1, 6)]
    [InlineData("\0", 1, 1)]
    public void ControlCharactersAreRefusedInCommentsStringsAndBetweenTokens(string toml, int line, int column)
    {
        ConfigDiagnostic error = Errors(toml)[0];

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    [Fact]
    public void ANulWrittenAsAnEscapeIsRefusedInAPath()
    {
        ConfigDiagnostic error = Assert.Single(Errors("[spool]\npath = \"/var/lib/a\\u0000b\"\n"));

        Assert.Equal("test.toml:2:8: spool.path contains a NUL character", error.ToString());
    }

    [Theory]
    [InlineData("[node]\nid = \"abc\\", 2, 11)]
    [InlineData("[node]\nid = \"\"\"abc\\", 2, 13)]
    [InlineData("[node]\n\"id\\", 2, 5)]
    [InlineData("[node]\nid = \"\\u12", 2, 11)]
    [InlineData("[node]\nid = \"\\U0001F6", 2, 15)]
    public void AFileThatEndsInsideAnEscapeSequenceIsRefusedAtItsEnd(string toml, int line, int column)
    {
        // Tomlyn 2.11.1 throws ArgumentOutOfRangeException on these by itself.
        IReadOnlyList<ConfigDiagnostic> errors = Errors(toml);

        Assert.Contains(errors, error => (error.Line, error.Column) == (line, column));
        Assert.All(errors, error => Assert.True(error.Line <= line, error.ToString()));
    }

    [Fact]
    public void ACommentMayEndTheFileWithABackslash()
    {
        Assert.True(ConfigLoader.Parse("[node]\nid = \"a\" # see C:\\"u8, "test.toml", "/etc").IsValid);
    }

    // ---- Numbers -------------------------------------------------------------------------------

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999999999999")]
    [InlineData("0x8000_0000_0000_0000")]
    [InlineData("0xFFFF_FFFF_FFFF_FFFF")]
    [InlineData("0o1777777777777777777777")]
    [InlineData("0b1000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0x1_0000_0000_0000_0000")]
    public void IntegersOutsideSixtyFourBitsAreRefusedWithTheirText(string integer)
    {
        ConfigDiagnostic error = Assert.Single(Errors($"[tmr]\nfuel = {integer}\n"));

        Assert.Equal((2, 8), (error.Line, error.Column));
        Assert.Contains("integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SixtyFourBitExtremesAreAccepted()
    {
        DocumentTable document = Read("""
            max = 9_223_372_036_854_775_807
            min = -9223372036854775808
            hex = 0x7FFF_FFFF_ffff_ffff
            oct = 0o777_777_777_777_777_777_777
            bin = 0b0111111111111111111111111111111111111111111111111111111111111111
            """);

        Assert.Equal([long.MaxValue, long.MinValue, long.MaxValue, long.MaxValue, long.MaxValue], document.Select(entry => Assert.IsType<IntegerValueSyntax>(Assert.IsType<DocumentScalar>(entry.Value).Syntax).Value));
    }

    // ---- What Tomlyn refused that TOML allows --------------------------------------------------

    [Fact]
    public void AReplacementCharacterInAStringOrCommentIsKept()
    {
        ConfigLoadResult result = ConfigLoader.Parse("[node] # \uFFFD\ndescription = \"bad byte: \uFFFD, escaped: \\uFFFD\"\n"u8, "test.toml", "/etc");

        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        Assert.Equal("bad byte: \uFFFD, escaped: \uFFFD", result.Config.Node.Description);
    }

    [Fact]
    public void AReplacementCharacterOutsideStringsIsStillRefusedAndNamed()
    {
        ConfigDiagnostic error = Errors("[node]\nid\uFFFD = 1\n")[0];

        Assert.Equal((2, 3), (error.Line, error.Column));
        Assert.Contains("\uFFFD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FractionalSecondsPastTheSeventhDigitAreTruncatedNotRefused()
    {
        DocumentTable document = Read("t = 07:32:00.1234567891234 # c\nu = [1979-05-27T00:32:00.999999999-07:30, 1979-05-27 00:32:00.999999999]");

        Assert.True(document.TryGetValue("t", out DocumentValue? t));
        TomlDateTime time = Assert.IsType<DateTimeValueSyntax>(Assert.IsType<DocumentScalar>(t).Syntax).Value;
        Assert.Equal((TomlDateTimeKind.LocalTime, new TimeSpan(0, 7, 32, 0) + TimeSpan.FromTicks(1_234_567)), (time.Kind, time.DateTime.TimeOfDay));
        Assert.True(document.TryGetValue("u", out DocumentValue? u));
        TomlDateTime offset = Assert.IsType<DateTimeValueSyntax>(Assert.IsType<DocumentScalar>(Assert.IsType<DocumentArray>(u)[0]).Syntax).Value;
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, TimeSpan.FromMinutes(-450)).AddTicks(9_999_999), offset.DateTime);
    }

    [Fact]
    public void PositionsAfterATruncatedFractionDoNotMove()
    {
        ConfigDiagnostic error = Assert.Single(Errors("[node]\nid = [07:32:00.123456789123, 1979-05-27 00:32:00.999999999] x\n"));

        Assert.Equal((2, 61), (error.Line, error.Column));
    }

    // ---- Every problem, at its place -----------------------------------------------------------

    [Fact]
    public void EverySyntaxErrorIsReportedNotJustTheFirst()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors("[node]\nid = \ndescription = hello\n");

        Assert.Equal(["test.toml:2:6: ", "test.toml:3:15: "], errors.Select(error => error.ToString()[..(error.ToString().IndexOf(": ", StringComparison.Ordinal) + 2)]));
    }

    [Fact]
    public void AFileThatIsNotTomlGetsAHundredErrorsAndACount()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors(string.Concat(Enumerable.Repeat("= 1\n", 1_000)));

        Assert.Equal(101, errors.Count);
        Assert.EndsWith("more problems; correct these first", errors[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnErrorAtTheEndOfTheInputIsReportedThereNotAtTheStart()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors("[node]\nid = [1,");

        Assert.All(errors, error => Assert.Equal((2, 9), (error.Line, error.Column)));
    }

    [Fact]
    public void ADuplicateKeyNamesTheKeyItsTableAndTheFirstDefinition()
    {
        ConfigDiagnostic error = Assert.Single(Errors("[node]\nid = \"a\"\nid = \"b\"\n"));

        Assert.Equal("test.toml:3:1: duplicate key \"id\" in [node]: it was first defined at 2:1; remove or rename one of them", error.ToString());
    }

    [Fact]
    public void ATableDefinedTwiceNamesTheFirstHeader()
    {
        IReadOnlyList<ConfigDiagnostic> errors = Errors("[mqtt]\nqos = 1\n\n[mqtt]\nqos = 0\n");

        Assert.Equal("test.toml:4:1: table [mqtt] is defined twice: first at 1:1; write its keys under one header", errors[0].ToString());
    }

    private static IReadOnlyList<ConfigDiagnostic> Errors(string toml) => Errors(Encoding.UTF8.GetBytes(toml));

    private static IReadOnlyList<ConfigDiagnostic> Errors(byte[] toml)
    {
        ConfigLoadResult result = ConfigLoader.Parse(toml, "test.toml", "/etc/appliance");
        Assert.False(result.IsValid, "the configuration was accepted");
        Assert.All(result.Errors, error => Assert.True(error.File == "test.toml" && error.Line >= 1 && error.Column >= 1, error.ToString()));
        return result.Errors;
    }

    /// <summary>The document as the loader reads it, before binding (for TOML the configuration has no keys for).</summary>
    private static DocumentTable Read(string toml)
    {
        Assert.True(DocumentReader.TryRead(Encoding.UTF8.GetBytes(toml), "test.toml", out DocumentTable? document, out IReadOnlyList<ConfigDiagnostic> problems), string.Join('\n', problems));
        return document;
    }
}
