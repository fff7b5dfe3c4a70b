using System.Text;
using Appliance.Config.Document;
using Tomlyn;
using Tomlyn.Syntax;

namespace Appliance.Config.Tests.Toml;

/// <summary>
/// The suite our own TOML parser was held to, now held against Tomlyn as the configuration reads it
/// (<see cref="DocumentReader"/>): the same documents decode to the same values with keys and values at
/// the same positions, and the same mistakes are refused on the same line. Tomlyn places some errors at
/// the start of the offending token where our parser pointed at the character inside it; those columns
/// are Tomlyn's. What TOML 1.1 allows and 1.0 did not is accepted now, and listed at the end.
/// </summary>
public sealed class TomlAcceptanceTests
{
    // ---- Values --------------------------------------------------------------------------------

    [Fact]
    public void ScalarValuesDecodeToTheirExactTypesAndValues()
    {
        DocumentTable document = Read("""
            name = "gateway"
            raw = 'C:\temp'
            port = 502
            ratio = 0.25
            enabled = true
            disabled = false
            """);

        Assert.Equal("gateway", Get<StringValueSyntax>(document, "name").Value);
        Assert.Equal(@"C:\temp", Get<StringValueSyntax>(document, "raw").Value);
        Assert.Equal(502L, Get<IntegerValueSyntax>(document, "port").Value);
        Assert.Equal(0.25, Get<FloatValueSyntax>(document, "ratio").Value);
        Assert.True(Get<BooleanValueSyntax>(document, "enabled").Value);
        Assert.False(Get<BooleanValueSyntax>(document, "disabled").Value);
        Assert.Equal(["name", "raw", "port", "ratio", "enabled", "disabled"], document.Keys);
    }

    [Fact]
    public void KeysAndValuesRecordWhereTheyWereWritten()
    {
        DocumentTable document = Read("title = \"x\"\n\n[server]\n  host.name = [\n  1 ]\n");

        Assert.True(document.TryGetEntry("title", out DocumentEntry title));
        Assert.Equal(new TomlPosition(1, 1), title.KeyPosition);
        Assert.Equal(new TomlPosition(1, 9), title.Value.Position);

        Assert.True(document.TryGetEntry("server", out DocumentEntry server));
        Assert.Equal(new TomlPosition(3, 2), server.KeyPosition);
        Assert.Equal(new TomlPosition(3, 1), server.Value.Position);

        DocumentTable host = Get<DocumentTable>((DocumentTable)server.Value, "host");
        Assert.Equal(new TomlPosition(4, 3), host.Position);
        Assert.True(host.TryGetEntry("name", out DocumentEntry name));
        Assert.Equal(new TomlPosition(4, 8), name.KeyPosition);
        Assert.Equal(new TomlPosition(4, 15), name.Value.Position);
        Assert.Equal(new TomlPosition(5, 3), ((DocumentArray)name.Value)[0].Position);
    }

    [Fact]
    public void FloatsDecodeIncludingExponentsUnderscoresAndSpecialValues()
    {
        DocumentTable document = Read("""
            a = 3.141_592
            b = -6.626e-34
            c = 5E+22
            d = 1e06
            e = -0.0
            f = inf
            g = -inf
            h = +nan
            i = 0e0
            """);

        Assert.Equal(3.141592, Get<FloatValueSyntax>(document, "a").Value);
        Assert.Equal(-6.626e-34, Get<FloatValueSyntax>(document, "b").Value);
        Assert.Equal(5e22, Get<FloatValueSyntax>(document, "c").Value);
        Assert.Equal(1e6, Get<FloatValueSyntax>(document, "d").Value);
        Assert.True(double.IsNegative(Get<FloatValueSyntax>(document, "e").Value));
        Assert.Equal(double.PositiveInfinity, Get<FloatValueSyntax>(document, "f").Value);
        Assert.Equal(double.NegativeInfinity, Get<FloatValueSyntax>(document, "g").Value);
        Assert.True(double.IsNaN(Get<FloatValueSyntax>(document, "h").Value));
        Assert.Equal(0.0, Get<FloatValueSyntax>(document, "i").Value);
    }

    [Theory]
    [InlineData("a = 01", 1, 5)]
    [InlineData("a = -01", 1, 6)]
    [InlineData("a = 1__2", 1, 7)]
    [InlineData("a = 1_", 1, 7)]
    [InlineData("a = +0x1F", 1, 7)]
    [InlineData("a = 0x", 1, 5)]
    [InlineData("a = 0b102", 1, 9)]
    [InlineData("a = 0X1F", 1, 6)]
    [InlineData("a = 12kg", 1, 7)]
    [InlineData("a = .5", 1, 5)]
    [InlineData("a = 5.", 1, 5)]
    [InlineData("a = 1e", 1, 5)]
    [InlineData("a = 1.5e+", 1, 5)]
    [InlineData("a = 01.5", 1, 5)]
    [InlineData("a = 1._5", 1, 5)]
    [InlineData("a = 1.5_", 1, 9)]
    [InlineData("a = 1.2.3", 1, 8)]
    [InlineData("a = Inf", 1, 5)]
    [InlineData("a = nan1", 1, 8)]
    public void MalformedNumbersAreRefused(string toml, int line, int column) => AssertRefusedAt(toml, line, column);

    // ---- Dates and times -----------------------------------------------------------------------

    [Fact]
    public void OffsetDateTimeKeepsEveryFieldToTheTickAndTheOffset()
    {
        TomlDateTime value = Get<DateTimeValueSyntax>(Read("t = 1979-05-27T00:32:00.999999999-07:30"), "t").Value;

        // DateTimeOffset holds 100 ns; TOML says further digits are truncated, not rounded.
        Assert.Equal(TomlDateTimeKind.OffsetDateTimeByNumber, value.Kind);
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, TimeSpan.FromMinutes(-450)).AddTicks(9_999_999), value.DateTime);
        Assert.Equal(TimeSpan.FromMinutes(-450), value.DateTime.Offset);
    }

    [Fact]
    public void EachDateTimeFormHasItsOwnKind()
    {
        DocumentTable document = Read("""
            utc = 1987-07-05t17:45:00z
            spaced = 1987-07-05 17:45:00.5
            date = 2024-02-29
            time = 23:59:59
            """);

        TomlDateTime utc = Get<DateTimeValueSyntax>(document, "utc").Value;
        Assert.Equal((TomlDateTimeKind.OffsetDateTimeByZ, TimeSpan.Zero), (utc.Kind, utc.DateTime.Offset));
        TomlDateTime spaced = Get<DateTimeValueSyntax>(document, "spaced").Value;
        Assert.Equal((TomlDateTimeKind.LocalDateTime, 500), (spaced.Kind, spaced.DateTime.Millisecond));
        TomlDateTime date = Get<DateTimeValueSyntax>(document, "date").Value;
        Assert.Equal((TomlDateTimeKind.LocalDate, new DateTime(2024, 2, 29)), (date.Kind, date.DateTime.DateTime));
        TomlDateTime time = Get<DateTimeValueSyntax>(document, "time").Value;
        Assert.Equal((TomlDateTimeKind.LocalTime, new TimeSpan(23, 59, 59)), (time.Kind, time.DateTime.TimeOfDay));
    }

    [Theory]
    [InlineData("2000-02-29", true)]
    [InlineData("2024-02-29", true)]
    [InlineData("1900-02-29", false)]
    [InlineData("2023-02-29", false)]
    [InlineData("2023-04-31", false)]
    [InlineData("2023-12-31", true)]
    public void DayOfMonthFollowsTheMonthAndLeapYears(string date, bool valid)
    {
        string toml = $"d = {date}";

        if (valid)
        {
            Assert.Equal(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture), Get<DateTimeValueSyntax>(Read(toml), "d").Value.DateTime.DateTime);
        }
        else
        {
            AssertRefusedAt(toml, 1, 5);
        }
    }

    [Theory]
    [InlineData("t = 24:00:00")]
    [InlineData("t = 00:60:00")]
    [InlineData("t = 00:00:60")]
    [InlineData("t = 2000-13-01")]
    [InlineData("t = 2000-01-01T00:00:00+24:00")]
    [InlineData("t = 07:32:00Z")]
    public void MalformedDateTimesAreRefusedAtTheValue(string toml) => AssertRefusedAt(toml, 1, 5);

    // ---- Strings -------------------------------------------------------------------------------

    [Fact]
    public void EveryBasicStringEscapeDecodes()
    {
        DocumentTable document = Read("""s = "\b\t\n\f\r\"\\ \u00E9 \U0001F600 \u0000" """);

        Assert.Equal("\b\t\n\f\r\"\\ é 😀 \0", Get<StringValueSyntax>(document, "s").Value);
    }

    [Theory]
    [InlineData("""s = "\uD800" """)]
    [InlineData("""s = "\U00110000" """)]
    [InlineData("""s = "\q" """)]
    [InlineData("""s = "\x4" """)]
    public void InvalidEscapesAreRefused(string toml) => AssertRefusedAt(toml, 1, 7);

    [Fact]
    public void MultiLineBasicStringTrimsTheFirstNewlineAndLineEndingBackslashes()
    {
        DocumentTable document = Read("s = \"\"\"\nThe quick \\\n\n   brown \\   \n  fox\n\"\"\"");

        Assert.Equal("The quick brown fox\n", Get<StringValueSyntax>(document, "s").Value);
    }

    [Fact]
    public void MultiLineStringsMayEndWithUpToTwoExtraQuotes()
    {
        DocumentTable document = Read("a = \"\"\"\"say \"\"hi\"\"\"\"\"\nb = '''''x'''''\nc = \"\"\"\"\"\"\"");

        Assert.Equal("\"say \"\"hi\"\"", Get<StringValueSyntax>(document, "a").Value);
        Assert.Equal("''x''", Get<StringValueSyntax>(document, "b").Value);
        Assert.Equal("\"", Get<StringValueSyntax>(document, "c").Value);
    }

    [Fact]
    public void SixQuotesAtTheEndOfAMultiLineStringAreRefused() => AssertRefusedAt("a = \"\"\"x\"\"\"\"\"\"", 1, 14);

    [Fact]
    public void LiteralStringsKeepBackslashesAndNewlinesVerbatim()
    {
        DocumentTable document = Read("path = 'C:\\Users\\n'\nregex = '''\n\\d{2} \\\n'''");

        Assert.Equal(@"C:\Users\n", Get<StringValueSyntax>(document, "path").Value);
        Assert.Equal("\\d{2} \\\n", Get<StringValueSyntax>(document, "regex").Value);
    }

    [Fact]
    public void CrlfInsideAMultiLineStringIsKeptAsWritten()
    {
        // TOML lets a parser normalize the newlines of multi-line strings "to whatever makes sense for their
        // platform" (1.0.0 and 1.1.0, "String"). Our parser made them LF; Tomlyn keeps what the file has.
        DocumentTable document = Read("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''x\r\ny'''\r\nc = \"\"\"\none\ntwo\"\"\"");

        Assert.Equal("one\r\ntwo", Get<StringValueSyntax>(document, "a").Value);
        Assert.Equal("x\r\ny", Get<StringValueSyntax>(document, "b").Value);
        Assert.Equal("one\ntwo", Get<StringValueSyntax>(document, "c").Value);
    }

    [Fact]
    public void NewlineInASingleLineStringIsRefused() => AssertRefusedAt("s = \"abc\ndef\"", 1, 9);

    [Fact]
    public void TabIsAllowedInStringsCommentsAndWhitespace()
    {
        DocumentTable document = Read("\ta\t=\t\"x\ty\"\t# tab\there\n");

        Assert.Equal("x\ty", Get<StringValueSyntax>(document, "a").Value);
    }

    // ---- Keys and tables -----------------------------------------------------------------------

    [Fact]
    public void QuotedDottedAndEmptyKeysAreDistinct()
    {
        DocumentTable document = Read("\"\" = 1\n'a.b' = 2\na . \"b\" = 3\n\"é\" = 4");

        Assert.Equal(1L, Get<IntegerValueSyntax>(document, "").Value);
        Assert.Equal(2L, Get<IntegerValueSyntax>(document, "a.b").Value);
        Assert.Equal(3L, Get<IntegerValueSyntax>(document, "a", "b").Value);
        Assert.Equal(4L, Get<IntegerValueSyntax>(document, "é").Value);
    }

    [Fact]
    public void ALeadingByteOrderMarkIsNotAColumn()
    {
        byte[] toml = [0xEF, 0xBB, 0xBF, .. "a = 1"u8];

        Assert.True(DocumentReader.TryRead(toml, "test.toml", out DocumentTable? document, out _));
        Assert.True(document.TryGetEntry("a", out DocumentEntry entry));
        Assert.Equal(new TomlPosition(1, 1), entry.KeyPosition);
        Assert.Equal(new TomlPosition(1, 5), entry.Value.Position);
    }

    [Fact]
    public void ADuplicateKeyIsReportedAtTheSecondKeyAndNamesTheFirst()
    {
        ConfigDiagnostic error = Refused("[server]\nhost = \"a\"\nport = 1\nport = 2");

        Assert.Equal("test.toml:4:1: duplicate key \"port\" in [server]: it was first defined at 3:1; remove or rename one of them", error.ToString());
    }

    [Fact]
    public void TablesWithManyKeysFindEveryKeyAndStillRefuseDuplicates()
    {
        string keys = string.Concat(Enumerable.Range(0, 40).Select(i => $"k{i} = {i}\n"));

        DocumentTable document = Read(keys);
        ConfigDiagnostic error = Refused(keys + "k3 = 0");

        Assert.Equal(40, document.Count);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(i, Get<IntegerValueSyntax>(document, $"k{i}").Value));
        Assert.False(document.ContainsKey("k40"));
        Assert.Equal("test.toml:41:1: duplicate key \"k3\": it was first defined at 4:1; remove or rename one of them", error.ToString());
    }

    [Fact]
    public void ATableDefinedTwiceIsReportedAtTheSecondHeader()
    {
        ConfigDiagnostic error = Refused("a = 1\n[server]\nport = 1\n\n[server]");

        Assert.Equal("test.toml:5:1: table [server] is defined twice: first at 2:1; write its keys under one header", error.ToString());
    }

    [Fact]
    public void AnImplicitTableMayBeDefinedOnceLaterAndTakesThatPosition()
    {
        DocumentTable implicitOnly = Read("[a.b]");
        Assert.Equal(DocumentTableOrigin.Implicit, Get<DocumentTable>(implicitOnly, "a").Origin);
        Assert.Equal(new TomlPosition(1, 2), Get<DocumentTable>(implicitOnly, "a").Position);

        DocumentTable document = Read("[a.b]\nx = 1\n[a]\ny = 2");

        DocumentTable a = Get<DocumentTable>(document, "a");
        Assert.Equal(DocumentTableOrigin.Header, a.Origin);
        Assert.Equal(new TomlPosition(3, 1), a.Position);
        Assert.Equal(2L, Get<IntegerValueSyntax>(a, "y").Value);

        Assert.Equal("test.toml:3:1: table [a] is defined twice: first at 2:1; write its keys under one header", Refused("[a.b]\n[a]\n[a]").ToString());
    }

    [Fact]
    public void ATableMadeByDottedKeysCannotBeReopenedButMayGetSubTables()
    {
        DocumentTable document = Read("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true");
        DocumentTable apple = Get<DocumentTable>(document, "fruit", "apple");
        Assert.Equal(DocumentTableOrigin.DottedKey, apple.Origin);
        Assert.True(Get<BooleanValueSyntax>(apple, "texture", "smooth").Value);

        AssertRefusedAt("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 1);
    }

    [Theory]
    [InlineData("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 1)]
    [InlineData("a = 1\na.b = 2", 2, 1)]
    [InlineData("a = { b = 1 }\na.c = 2", 2, 1)]
    [InlineData("a = { b = 1 }\n[a.c]", 2, 2)]
    [InlineData("a = { b = 1 }\n[a]", 2, 1)]
    [InlineData("a = { b = { c = 1 }, b.d = 2 }", 1, 22)]
    [InlineData("x = []\n[[x]]", 2, 1)]
    [InlineData("x = [{ a = 1 }]\n[[x]]", 2, 1)]
    [InlineData("[x]\n[[x]]", 2, 1)]
    [InlineData("[[x]]\n[x]", 2, 1)]
    public void DottedKeysHeadersInlineTablesAndArraysCannotReachIntoEachOther(string toml, int line, int column) =>
        AssertRefusedAt(toml, line, column);

    [Fact]
    public void AnArrayOfTablesAppendsElementsAndSubTablesGoToTheNewestOne()
    {
        DocumentTable document = Read("""
            [[product]]
            name = "a"
            [product.size]
            w = 1
            [[product]]
            name = "b"
            [product.size]
            w = 2
            point = { x = 1 }
            """);

        DocumentArray products = Get<DocumentArray>(document, "product");
        Assert.True(products.IsArrayOfTables);
        Assert.Equal(2, products.Count);
        var second = Assert.IsType<DocumentTable>(products[1]);
        Assert.Equal(DocumentTableOrigin.ArrayElement, second.Origin);
        Assert.Equal(new TomlPosition(5, 1), second.Position);
        Assert.Equal("b", Get<StringValueSyntax>(second, "name").Value);
        Assert.Equal(2L, Get<IntegerValueSyntax>(second, "size", "w").Value);
        Assert.Equal(DocumentTableOrigin.Header, Get<DocumentTable>(second, "size").Origin);
        Assert.Equal(DocumentTableOrigin.Inline, Get<DocumentTable>(second, "size", "point").Origin);
        Assert.Equal(DocumentTableOrigin.Root, document.Origin);
    }

    [Fact]
    public void ArraysMayMixTypesAndSpanLinesWithComments()
    {
        DocumentTable document = Read("a = [ # start\n  1, 'two', # more\n  [3.0], { four = 4 },\n]");

        DocumentArray array = Get<DocumentArray>(document, "a");
        Assert.False(array.IsArrayOfTables);
        Assert.Equal(["an integer", "a string", "an array", "a table"], array.Select(value => value.Describe()));
    }

    [Theory]
    [InlineData("a = [1,,2]", 1, 8)]
    [InlineData("a = [1 2]", 1, 8)]
    [InlineData("a = [1,", 1, 8)]
    [InlineData("name \"gateway\"", 1, 6)]
    [InlineData("a = 1 b = 2", 1, 7)]
    [InlineData("[a] b = 2", 1, 5)]
    [InlineData("a$ = 1", 1, 2)]
    [InlineData("= 1", 1, 1)]
    [InlineData("a = ", 1, 5)]
    [InlineData("a = hello", 1, 5)]
    [InlineData("[a", 1, 3)]
    [InlineData("[[a]", 1, 4)]
    [InlineData("\"\"\"k\"\"\" = 1", 1, 3)]
    public void SyntaxErrorsAreRefusedWhereTheyAre(string toml, int line, int column) => AssertRefusedAt(toml, line, column);

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \t\n")]
    [InlineData("# only a comment")]
    public void DocumentsWithoutKeysGiveAnEmptyRootTable(string toml)
    {
        DocumentTable document = Read(toml);

        Assert.Equal(0, document.Count);
        Assert.Equal(DocumentTableOrigin.Root, document.Origin);
    }

    // ---- TOML 1.1: refused by our TOML 1.0 parser, valid now -----------------------------------

    [Fact]
    public void Toml11EscapeAndByteEscapesDecode()
    {
        DocumentTable document = Read("""
            csi = "\e["
            bytes = "\x41\x00\xE9"
            """);

        Assert.Equal("\u001B[", Get<StringValueSyntax>(document, "csi").Value);
        Assert.Equal("A\0é", Get<StringValueSyntax>(document, "bytes").Value);
    }

    [Fact]
    public void Toml11SecondsAreOptional()
    {
        DocumentTable document = Read("t = 07:32\ndt = 2010-02-03 14:15");

        Assert.Equal(new TimeSpan(7, 32, 0), Get<DateTimeValueSyntax>(document, "t").Value.DateTime.TimeOfDay);
        Assert.Equal(new DateTime(2010, 2, 3, 14, 15, 0), Get<DateTimeValueSyntax>(document, "dt").Value.DateTime.DateTime);
    }

    [Theory]
    [InlineData("a = { b = 1,\n c = 2 }")]
    [InlineData("a = { b = 1, c = 2, }")]
    [InlineData("a = { b = 1 # comment\n, c = 2 }")]
    public void Toml11InlineTablesMaySpanLinesAndEndWithAComma(string toml)
    {
        DocumentTable a = Get<DocumentTable>(Read(toml), "a");

        Assert.Equal([1L, 2L], a.Select(entry => Assert.IsType<IntegerValueSyntax>(Assert.IsType<DocumentScalar>(entry.Value).Syntax).Value));
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static DocumentTable Read(string toml)
    {
        Assert.True(DocumentReader.TryRead(Encoding.UTF8.GetBytes(toml), "test.toml", out DocumentTable? document, out IReadOnlyList<ConfigDiagnostic> problems), string.Join('\n', problems));
        return document;
    }

    /// <summary>The first problem of a refused document.</summary>
    private static ConfigDiagnostic Refused(string toml)
    {
        Assert.False(DocumentReader.TryRead(Encoding.UTF8.GetBytes(toml), "test.toml", out _, out IReadOnlyList<ConfigDiagnostic> problems), "the document was accepted");
        return problems[0];
    }

    private static void AssertRefusedAt(string toml, int line, int column)
    {
        ConfigDiagnostic error = Refused(toml);
        Assert.True((line, column) == (error.Line, error.Column), $"expected {line}:{column}, got {error}");
    }

    /// <summary>The value at a path of keys: a <see cref="DocumentValue"/>, or for a scalar Tomlyn's syntax node.</summary>
    private static T Get<T>(DocumentTable table, params string[] path)
        where T : class
    {
        DocumentValue value = table;
        foreach (string key in path)
        {
            Assert.True(((DocumentTable)value).TryGetValue(key, out DocumentValue? next), $"missing key {key}");
            value = next;
        }

        return value is DocumentScalar scalar && !typeof(DocumentValue).IsAssignableFrom(typeof(T))
            ? Assert.IsType<T>(scalar.Syntax)
            : Assert.IsType<T>(value);
    }
}
