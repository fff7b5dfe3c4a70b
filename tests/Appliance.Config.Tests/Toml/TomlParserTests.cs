using System.Text;
using Appliance.Config.Toml;

namespace Appliance.Config.Tests.Toml;

public sealed class TomlParserTests
{
    private const int HundredThousand = 100_000;

    // ---- Values --------------------------------------------------------------------------------

    [Fact]
    public void ScalarValuesDecodeToTheirExactTypesAndValues()
    {
        TomlTable document = Parse("""
            name = "gateway"
            raw = 'C:\temp'
            port = 502
            ratio = 0.25
            enabled = true
            disabled = false
            """);

        Assert.Equal("gateway", Get<TomlString>(document, "name").Value);
        Assert.Equal(@"C:\temp", Get<TomlString>(document, "raw").Value);
        Assert.Equal(502L, Get<TomlInteger>(document, "port").Value);
        Assert.Equal(0.25, Get<TomlFloat>(document, "ratio").Value);
        Assert.True(Get<TomlBoolean>(document, "enabled").Value);
        Assert.False(Get<TomlBoolean>(document, "disabled").Value);
        Assert.Equal(["name", "raw", "port", "ratio", "enabled", "disabled"], document.Keys);
    }

    [Fact]
    public void KeysAndValuesRecordWhereTheyWereWritten()
    {
        TomlTable document = Parse("title = \"x\"\n\n[server]\n  host.name = [\n  1 ]\n");

        Assert.True(document.TryGetEntry("title", out TomlTableEntry title));
        Assert.Equal(new TomlPosition(1, 1), title.KeyPosition);
        Assert.Equal(new TomlPosition(1, 9), title.Value.Position);

        Assert.True(document.TryGetEntry("server", out TomlTableEntry server));
        Assert.Equal(new TomlPosition(3, 2), server.KeyPosition);
        Assert.Equal(new TomlPosition(3, 1), server.Value.Position);

        TomlTable host = Get<TomlTable>((TomlTable)server.Value, "host");
        Assert.Equal(new TomlPosition(4, 3), host.Position);
        Assert.True(host.TryGetEntry("name", out TomlTableEntry name));
        Assert.Equal(new TomlPosition(4, 8), name.KeyPosition);
        Assert.Equal(new TomlPosition(4, 15), name.Value.Position);
        Assert.Equal(new TomlPosition(5, 3), ((TomlArray)name.Value)[0].Position);
    }

    [Fact]
    public void ColumnsCountUnicodeScalarValuesNotBytes()
    {
        // k = "é😀"  x   : é is 2 bytes and 😀 is 4 bytes (2 UTF-16 units), but each is one column.
        TomlException error = Reject("k = \"é😀\"  x");

        Assert.Equal(TomlErrorCode.UnexpectedCharacter, error.Code);
        Assert.Equal(new TomlPosition(1, 11), error.Position);
    }

    [Fact]
    public void Int64ExtremesAreAccepted()
    {
        TomlTable document = Parse("""
            max = 9_223_372_036_854_775_807
            min = -9223372036854775808
            hex = 0x7FFF_FFFF_ffff_ffff
            oct = 0o777_777_777_777_777_777_777
            bin = 0b0111111111111111111111111111111111111111111111111111111111111111
            zero = -0
            """);

        Assert.Equal(long.MaxValue, Get<TomlInteger>(document, "max").Value);
        Assert.Equal(long.MinValue, Get<TomlInteger>(document, "min").Value);
        Assert.Equal(long.MaxValue, Get<TomlInteger>(document, "hex").Value);
        Assert.Equal(long.MaxValue, Get<TomlInteger>(document, "oct").Value);
        Assert.Equal(long.MaxValue, Get<TomlInteger>(document, "bin").Value);
        Assert.Equal(0L, Get<TomlInteger>(document, "zero").Value);
    }

    [Theory]
    [InlineData("a = 9223372036854775808", "integer 9223372036854775808 is out of the 64-bit range")]
    [InlineData("a = -9223372036854775809", "integer -9223372036854775809 is out of the 64-bit range")]
    [InlineData("a = 0x8000_0000_0000_0000", "integer 0x8000_0000_0000_0000 is out of the 64-bit range")]
    [InlineData("a = 99999999999999999999999999999", "integer 99999999999999999999999999999 is out of the 64-bit range")]
    public void IntegersOutsideInt64AreRejectedWithTheirText(string toml, string reason)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidInteger, error.Code);
        Assert.Equal(new TomlPosition(1, 5), error.Position);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 01", 5)]
    [InlineData("a = -01", 6)]
    [InlineData("a = 1__2", 6)]
    [InlineData("a = 1_", 6)]
    [InlineData("a = +0x1F", 5)]
    [InlineData("a = 0x", 7)]
    [InlineData("a = 0b102", 9)]
    [InlineData("a = 0X1F", 6)]
    [InlineData("a = 12kg", 7)]
    public void MalformedIntegersAreRejectedAtTheOffendingCharacter(string toml, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidInteger, error.Code);
        Assert.Equal(new TomlPosition(1, column), error.Position);
    }

    [Fact]
    public void FloatsDecodeIncludingExponentsUnderscoresAndSpecialValues()
    {
        TomlTable document = Parse("""
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

        Assert.Equal(3.141592, Get<TomlFloat>(document, "a").Value);
        Assert.Equal(-6.626e-34, Get<TomlFloat>(document, "b").Value);
        Assert.Equal(5e22, Get<TomlFloat>(document, "c").Value);
        Assert.Equal(1e6, Get<TomlFloat>(document, "d").Value);
        Assert.True(double.IsNegative(Get<TomlFloat>(document, "e").Value));
        Assert.Equal(double.PositiveInfinity, Get<TomlFloat>(document, "f").Value);
        Assert.Equal(double.NegativeInfinity, Get<TomlFloat>(document, "g").Value);
        Assert.True(double.IsNaN(Get<TomlFloat>(document, "h").Value));
        Assert.Equal(0.0, Get<TomlFloat>(document, "i").Value);
    }

    [Theory]
    [InlineData("a = .5", TomlErrorCode.InvalidValue, 5)]
    [InlineData("a = 5.", TomlErrorCode.InvalidFloat, 7)]
    [InlineData("a = 1e", TomlErrorCode.InvalidFloat, 7)]
    [InlineData("a = 1.5e+", TomlErrorCode.InvalidFloat, 10)]
    [InlineData("a = 01.5", TomlErrorCode.InvalidFloat, 5)]
    [InlineData("a = 1._5", TomlErrorCode.InvalidFloat, 7)]
    [InlineData("a = 1.5_", TomlErrorCode.InvalidFloat, 8)]
    [InlineData("a = 1.2.3", TomlErrorCode.InvalidFloat, 8)]
    [InlineData("a = Inf", TomlErrorCode.InvalidValue, 5)]
    [InlineData("a = nan1", TomlErrorCode.InvalidFloat, 8)]
    public void MalformedFloatsAreRejected(string toml, TomlErrorCode code, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(code, error.Code);
        Assert.Equal(new TomlPosition(1, column), error.Position);
    }

    // ---- Dates and times -----------------------------------------------------------------------

    [Fact]
    public void OffsetDateTimeKeepsEveryFieldIncludingNanosecondsAndOffset()
    {
        TomlDateTimeValue value = Get<TomlDateTime>(Parse("t = 1979-05-27T00:32:00.999999999-07:30"), "t").Value;

        Assert.Equal(
            new TomlDateTimeValue(TomlValueKind.OffsetDateTime, 1979, 5, 27, 0, 32, 0, 999_999_999, -450),
            value);
        Assert.Equal("1979-05-27T00:32:00.999999999-07:30", value.ToString());
    }

    [Fact]
    public void FractionDigitsBeyondNanosecondsAreTruncated()
    {
        TomlDateTimeValue value = Get<TomlDateTime>(Parse("t = 07:32:00.1234567891234"), "t").Value;

        Assert.Equal(123_456_789, value.Nanosecond);
    }

    [Fact]
    public void EachDateTimeFormHasItsOwnKind()
    {
        TomlTable document = Parse("""
            utc = 1987-07-05t17:45:00z
            spaced = 1987-07-05 17:45:00.5
            date = 2024-02-29
            time = 23:59:59
            """);

        TomlDateTime utc = Get<TomlDateTime>(document, "utc");
        Assert.Equal(TomlValueKind.OffsetDateTime, utc.Kind);
        Assert.Equal(0, utc.Value.OffsetMinutes);
        Assert.Equal("1987-07-05T17:45:00Z", utc.Value.ToString());

        TomlDateTime spaced = Get<TomlDateTime>(document, "spaced");
        Assert.Equal(TomlValueKind.LocalDateTime, spaced.Kind);
        Assert.Equal(500_000_000, spaced.Value.Nanosecond);

        Assert.Equal(
            new TomlDateTimeValue(TomlValueKind.LocalDate, 2024, 2, 29, 0, 0, 0, 0, 0),
            Get<TomlDateTime>(document, "date").Value);
        Assert.Equal(
            new TomlDateTimeValue(TomlValueKind.LocalTime, 0, 0, 0, 23, 59, 59, 0, 0),
            Get<TomlDateTime>(document, "time").Value);
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
            Assert.Equal(date, Get<TomlDateTime>(Parse(toml), "d").Value.ToString());
        }
        else
        {
            TomlException error = Reject(toml);
            Assert.Equal(TomlErrorCode.InvalidDateTime, error.Code);
            Assert.Equal(new TomlPosition(1, 13), error.Position);
        }
    }

    [Theory]
    [InlineData("t = 24:00:00", 5, "hour 24 is out of range (00-23)")]
    [InlineData("t = 00:60:00", 8, "minute 60 is out of range (00-59)")]
    [InlineData("t = 00:00:60", 11, "second 60 is out of range (00-59)")]
    [InlineData("t = 2000-13-01", 10, "month 13 does not exist (01-12)")]
    [InlineData("t = 2000-01-01T00:00:00+24:00", 25, "offset hour 24 is out of range (00-23)")]
    [InlineData("t = 07:32", 10, "expected ':' and the seconds")]
    [InlineData("t = 07:32:00Z", 13, "unexpected 'Z' after a local time")]
    public void MalformedDateTimesAreRejectedAtTheField(string toml, int column, string reason)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidDateTime, error.Code);
        Assert.Equal(new TomlPosition(1, column), error.Position);
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    // ---- Strings -------------------------------------------------------------------------------

    [Fact]
    public void EveryBasicStringEscapeDecodes()
    {
        TomlTable document = Parse("""s = "\b\t\n\f\r\"\\ \u00E9 \U0001F600 \u0000" """);

        Assert.Equal("\b\t\n\f\r\"\\ é 😀 \0", Get<TomlString>(document, "s").Value);
    }

    [Theory]
    [InlineData("""s = "\uD800" """, "is a surrogate code point")]
    [InlineData("""s = "\U00110000" """, "is beyond U+10FFFF")]
    [InlineData("""s = "\e" """, @"\e is new in TOML 1.1")]
    [InlineData("""s = "\x41" """, @"\x is new in TOML 1.1")]
    [InlineData("""s = "\q" """, @"invalid escape sequence: \q")]
    public void InvalidEscapesAreRejectedAtTheBackslash(string toml, string reason)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidString, error.Code);
        Assert.Equal(new TomlPosition(1, 6), error.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MultiLineBasicStringTrimsTheFirstNewlineAndLineEndingBackslashes()
    {
        TomlTable document = Parse("s = \"\"\"\nThe quick \\\n\n   brown \\   \n  fox\n\"\"\"");

        Assert.Equal("The quick brown fox\n", Get<TomlString>(document, "s").Value);
    }

    [Fact]
    public void MultiLineStringsMayEndWithUpToTwoExtraQuotes()
    {
        TomlTable document = Parse("a = \"\"\"\"say \"\"hi\"\"\"\"\"\nb = '''''x'''''\nc = \"\"\"\"\"\"\"");

        Assert.Equal("\"say \"\"hi\"\"", Get<TomlString>(document, "a").Value);
        Assert.Equal("''x''", Get<TomlString>(document, "b").Value);
        Assert.Equal("\"", Get<TomlString>(document, "c").Value);
    }

    [Fact]
    public void SixQuotesAtTheEndOfAMultiLineStringAreRejected()
    {
        TomlException error = Reject("a = \"\"\"x\"\"\"\"\"\"");

        Assert.Equal(TomlErrorCode.InvalidString, error.Code);
        Assert.Equal(new TomlPosition(1, 14), error.Position);
    }

    [Fact]
    public void LiteralStringsKeepBackslashesAndNewlinesVerbatim()
    {
        TomlTable document = Parse("path = 'C:\\Users\\n'\nregex = '''\n\\d{2} \\\n'''");

        Assert.Equal(@"C:\Users\n", Get<TomlString>(document, "path").Value);
        Assert.Equal("\\d{2} \\\n", Get<TomlString>(document, "regex").Value);
    }

    [Fact]
    public void CrlfInsideAMultiLineStringBecomesLf()
    {
        TomlTable document = Parse("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''x\r\ny'''\r\n");

        Assert.Equal("one\ntwo", Get<TomlString>(document, "a").Value);
        Assert.Equal("x\ny", Get<TomlString>(document, "b").Value);
    }

    [Fact]
    public void NewlineInASingleLineStringIsRejected()
    {
        TomlException error = Reject("s = \"abc\ndef\"");

        Assert.Equal(TomlErrorCode.InvalidString, error.Code);
        Assert.Equal(new TomlPosition(1, 9), error.Position);
        Assert.Contains("use a multi-line string", error.Reason, StringComparison.Ordinal);
    }

    // ---- Control characters and encoding -------------------------------------------------------

    [Theory]
    [InlineData("a = 1\rb = 2", 1, 6)]
    [InlineData("a = \"x\ry\"", 1, 7)]
    [InlineData("# comment\r", 1, 10)]
    [InlineData("a = \"\"\"\nx\ry\"\"\"", 2, 2)]
    public void BareCarriageReturnIsRejectedWhereItStands(string toml, int line, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.ControlCharacter, error.Code);
        Assert.Equal(new TomlPosition(line, column), error.Position);
        Assert.Contains("carriage return", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1 # bell \u0007", 14)]
    [InlineData("a = \"del \u007F\"", 10)]
    [InlineData("a = '''nul \0'''", 12)]
    [InlineData("a = 1\u000B", 6)]
    public void ControlCharactersAreRejectedInCommentsStringsAndBetweenTokens(string toml, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.ControlCharacter, error.Code);
        Assert.Equal(new TomlPosition(1, column), error.Position);
    }

    [Fact]
    public void TabIsAllowedInStringsCommentsAndWhitespace()
    {
        TomlTable document = Parse("\ta\t=\t\"x\ty\"\t# tab\there\n");

        Assert.Equal("x\ty", Get<TomlString>(document, "a").Value);
    }

    [Fact]
    public void InvalidUtf8ByteIsReportedAtItsLineAndColumn()
    {
        byte[] toml = [.. "a = 1\nb = \"é\"\nc = "u8, 0xFF, .. "\n"u8];

        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidUtf8, error.Code);
        Assert.Equal(new TomlPosition(3, 5), error.Position);
        Assert.Equal("invalid UTF-8: byte 0xFF never appears in UTF-8", error.Reason);

        // Columns before the bad byte count characters, not bytes.
        byte[] afterMultiByte = [.. "# é😀 "u8, 0xC3, 0x28];
        Assert.Equal(new TomlPosition(1, 6), Reject(afterMultiByte).Position);
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
    public void MalformedUtf8IsRejectedWithTheReason(byte[] sequence, string reason)
    {
        byte[] toml = [.. "# "u8, .. sequence];

        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidUtf8, error.Code);
        Assert.Equal(new TomlPosition(1, 3), error.Position);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LeadingByteOrderMarkIsSkippedAndColumnsStartAfterIt()
    {
        byte[] toml = [0xEF, 0xBB, 0xBF, .. "a = 1"u8];

        TomlTable document = TomlParser.Parse(toml);

        Assert.True(document.TryGetEntry("a", out TomlTableEntry entry));
        Assert.Equal(new TomlPosition(1, 1), entry.KeyPosition);
        Assert.Equal(new TomlPosition(1, 5), entry.Value.Position);
    }

    [Fact]
    public void ByteOrderMarkAnywhereElseIsRejected()
    {
        byte[] toml = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, .. "a = 1"u8];

        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.InvalidKey, error.Code);
        Assert.Equal(new TomlPosition(1, 1), error.Position);
    }

    // ---- Keys and tables -----------------------------------------------------------------------

    [Fact]
    public void QuotedDottedAndEmptyKeysAreDistinct()
    {
        TomlTable document = Parse("\"\" = 1\n'a.b' = 2\na . \"b\" = 3\n\"é\" = 4");

        Assert.Equal(1L, Get<TomlInteger>(document, "").Value);
        Assert.Equal(2L, Get<TomlInteger>(document, "a.b").Value);
        Assert.Equal(3L, Get<TomlInteger>(document, "a", "b").Value);
        Assert.Equal(4L, Get<TomlInteger>(document, "é").Value);
    }

    [Fact]
    public void DuplicateKeyIsReportedAtTheSecondKeyAndNamesTheFirst()
    {
        TomlException error = Reject("[server]\nhost = \"a\"\nport = 1\nport = 2");

        Assert.Equal(TomlErrorCode.DuplicateKey, error.Code);
        Assert.Equal(new TomlPosition(4, 1), error.Position);
        Assert.Equal("duplicate key \"port\": it was first defined at 3:1", error.Reason);
        Assert.Equal("4:1: duplicate key \"port\": it was first defined at 3:1", error.Message);
    }

    [Fact]
    public void TablesWithManyKeysFindEveryKeyAndStillRejectDuplicates()
    {
        string keys = string.Concat(Enumerable.Range(0, 40).Select(i => $"k{i} = {i}\n"));

        TomlTable document = Parse(keys);
        TomlException error = Reject(keys + "k3 = 0");

        Assert.Equal(40, document.Count);
        Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(i, Get<TomlInteger>(document, $"k{i}").Value));
        Assert.False(document.ContainsKey("k40"));
        Assert.Equal(TomlErrorCode.DuplicateKey, error.Code);
        Assert.Equal(new TomlPosition(41, 1), error.Position);
        Assert.Equal("duplicate key \"k3\": it was first defined at 4:1", error.Reason);
    }

    [Fact]
    public void TableDefinedTwiceIsReportedAtTheSecondHeader()
    {
        TomlException error = Reject("a = 1\n[server]\nport = 1\n\n[server]");

        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(5, 1), error.Position);
        Assert.Equal("table [server] is defined twice: first at 2:1", error.Reason);
    }

    [Fact]
    public void ImplicitTableMayBeDefinedOnceLaterAndTakesThatPosition()
    {
        TomlTable implicitOnly = Parse("[a.b]");
        Assert.Equal(TomlTableOrigin.Implicit, Get<TomlTable>(implicitOnly, "a").Origin);
        Assert.Equal(new TomlPosition(1, 2), Get<TomlTable>(implicitOnly, "a").Position);

        TomlTable document = Parse("[a.b]\nx = 1\n[a]\ny = 2");

        TomlTable a = Get<TomlTable>(document, "a");
        Assert.Equal(TomlTableOrigin.Header, a.Origin);
        Assert.Equal(new TomlPosition(3, 1), a.Position);
        Assert.Equal(2L, Get<TomlInteger>(a, "y").Value);

        TomlException error = Reject("[a.b]\n[a]\n[a]");
        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(3, 1), error.Position);
        Assert.Equal("table [a] is defined twice: first at 2:1", error.Reason);
    }

    [Fact]
    public void TableMadeByDottedKeysCannotBeReopenedButMayGetSubTables()
    {
        TomlTable document = Parse("[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true");
        TomlTable apple = Get<TomlTable>(document, "fruit", "apple");
        Assert.Equal(TomlTableOrigin.DottedKey, apple.Origin);
        Assert.True(Get<TomlBoolean>(apple, "texture", "smooth").Value);

        TomlException error = Reject("[fruit]\napple.color = \"red\"\n[fruit.apple]");
        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(3, 1), error.Position);
        Assert.Contains("already defined by the dotted key at 2:1", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DottedKeysCannotAddToATableDefinedByAHeader()
    {
        TomlException error = Reject("[a.b.c]\nz = 9\n[a]\nb.c.t = 1");

        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(4, 3), error.Position);
    }

    [Fact]
    public void DottedKeyThroughAValueIsADuplicateKey()
    {
        TomlException error = Reject("a = 1\na.b = 2");

        Assert.Equal(TomlErrorCode.DuplicateKey, error.Code);
        Assert.Equal(new TomlPosition(2, 1), error.Position);
        Assert.Contains("already holds an integer (defined at 1:1)", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = { b = 1 }\na.c = 2", 2, 1)]
    [InlineData("a = { b = 1 }\n[a.c]", 2, 2)]
    [InlineData("a = { b = 1 }\n[a]", 2, 1)]
    [InlineData("a = { b = { c = 1 }, b.d = 2 }", 1, 22)]
    public void InlineTablesAreSealed(string toml, int line, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(line, column), error.Position);
    }

    [Fact]
    public void ArrayOfTablesAppendsElementsAndSubTablesGoToTheNewestOne()
    {
        TomlTable document = Parse("""
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

        TomlArray products = Get<TomlArray>(document, "product");
        Assert.True(products.IsArrayOfTables);
        Assert.Equal(2, products.Count);
        var second = Assert.IsType<TomlTable>(products[1]);
        Assert.Equal(TomlTableOrigin.ArrayElement, second.Origin);
        Assert.Equal(new TomlPosition(5, 1), second.Position);
        Assert.Equal("b", Get<TomlString>(second, "name").Value);
        Assert.Equal(2L, Get<TomlInteger>(second, "size", "w").Value);
        Assert.Equal(TomlTableOrigin.Header, Get<TomlTable>(second, "size").Origin);
        Assert.Equal(TomlTableOrigin.Inline, Get<TomlTable>(second, "size", "point").Origin);
        Assert.Equal(TomlTableOrigin.Root, document.Origin);
    }

    [Theory]
    [InlineData("x = []\n[[x]]")]
    [InlineData("x = [{ a = 1 }]\n[[x]]")]
    [InlineData("[x]\n[[x]]")]
    [InlineData("[[x]]\n[x]")]
    public void ArrayOfTablesAndTablesCannotReplaceEachOther(string toml)
    {
        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.TableRedefinition, error.Code);
        Assert.Equal(new TomlPosition(2, 1), error.Position);
    }

    [Fact]
    public void ArraysMayMixTypesAndSpanLinesWithComments()
    {
        TomlTable document = Parse("a = [ # start\n  1, 'two', # more\n  [3.0], { four = 4 },\n]");

        TomlArray array = Get<TomlArray>(document, "a");
        Assert.False(array.IsArrayOfTables);
        Assert.Equal(
            [TomlValueKind.Integer, TomlValueKind.String, TomlValueKind.Array, TomlValueKind.Table],
            array.Select(value => value.Kind));
    }

    [Theory]
    [InlineData("a = { b = 1,\n c = 2 }", TomlErrorCode.UnexpectedCharacter, 1, 13)]
    [InlineData("a = { b = 1, }", TomlErrorCode.UnexpectedCharacter, 1, 14)]
    [InlineData("a = { b = 1 # no\n}", TomlErrorCode.UnexpectedCharacter, 1, 13)]
    [InlineData("a = [1,,2]", TomlErrorCode.InvalidValue, 1, 8)]
    [InlineData("a = [1 2]", TomlErrorCode.UnexpectedCharacter, 1, 8)]
    [InlineData("a = [1,", TomlErrorCode.UnexpectedEnd, 1, 8)]
    public void MalformedArraysAndInlineTablesAreRejected(string toml, TomlErrorCode code, int line, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(code, error.Code);
        Assert.Equal(new TomlPosition(line, column), error.Position);
    }

    [Fact]
    public void MissingEqualsSignIsReportedAfterTheKey()
    {
        TomlException error = Reject("name \"gateway\"");

        Assert.Equal(TomlErrorCode.UnexpectedCharacter, error.Code);
        Assert.Equal(new TomlPosition(1, 6), error.Position);
        Assert.StartsWith("expected \"=\" after the key \"name\"", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a = 1 b = 2", TomlErrorCode.UnexpectedCharacter, 7)]
    [InlineData("[a] b = 2", TomlErrorCode.UnexpectedCharacter, 5)]
    [InlineData("a$ = 1", TomlErrorCode.InvalidKey, 2)]
    [InlineData("= 1", TomlErrorCode.InvalidKey, 1)]
    [InlineData("a = ", TomlErrorCode.UnexpectedEnd, 5)]
    [InlineData("a = hello", TomlErrorCode.InvalidValue, 5)]
    [InlineData("[a", TomlErrorCode.UnexpectedEnd, 3)]
    [InlineData("[[a]", TomlErrorCode.UnexpectedEnd, 5)]
    [InlineData("\"\"\"k\"\"\" = 1", TomlErrorCode.InvalidKey, 1)]
    public void SyntaxErrorsHaveFittingCodesAndPositions(string toml, TomlErrorCode code, int column)
    {
        TomlException error = Reject(toml);

        Assert.Equal(code, error.Code);
        Assert.Equal(new TomlPosition(1, column), error.Position);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n  \t\n")]
    [InlineData("# only a comment")]
    public void DocumentsWithoutKeysGiveAnEmptyRootTable(string toml)
    {
        TomlTable document = Parse(toml);

        Assert.Equal(0, document.Count);
        Assert.Equal(TomlTableOrigin.Root, document.Origin);
    }

    // ---- Limits --------------------------------------------------------------------------------

    [Fact]
    public void HundredThousandNestedArraysFailWithNestingTooDeep()
    {
        string toml = "a = " + new string('[', HundredThousand) + new string(']', HundredThousand);

        TomlException error = Reject(toml);

        // a is level 1; its array holds level 2, ... the 65th '[' (column 4 + 65) is level 65.
        Assert.Equal(TomlErrorCode.NestingTooDeep, error.Code);
        Assert.Equal(new TomlPosition(1, 69), error.Position);
        Assert.Equal(
            "nesting deeper than 64 levels (arrays, inline tables and dotted keys); flatten the structure",
            error.Reason);
    }

    [Fact]
    public void HundredThousandNestedInlineTablesFailWithNestingTooDeep()
    {
        string toml = "a = " + string.Concat(Enumerable.Repeat("{b = ", HundredThousand)) + "1" + new string('}', HundredThousand);

        TomlException error = Reject(toml);

        // The 64th b is at level 65; it starts at column 5 + 63 * 5 + 1.
        Assert.Equal(TomlErrorCode.NestingTooDeep, error.Code);
        Assert.Equal(new TomlPosition(1, 321), error.Position);
    }

    [Fact]
    public void HundredThousandSegmentDottedKeyFailsWithNestingTooDeep()
    {
        string toml = string.Join('.', Enumerable.Repeat("k", HundredThousand)) + " = 1";

        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.NestingTooDeep, error.Code);
        Assert.Equal(new TomlPosition(1, 129), error.Position);
    }

    [Fact]
    public void HundredThousandSegmentTableHeaderFailsWithNestingTooDeep()
    {
        string toml = "[" + string.Join('.', Enumerable.Repeat("k", HundredThousand)) + "]";

        TomlException error = Reject(toml);

        Assert.Equal(TomlErrorCode.NestingTooDeep, error.Code);
        Assert.Equal(new TomlPosition(1, 130), error.Position);
    }

    [Fact]
    public void NestingUpToTheLimitIsAccepted()
    {
        string key = string.Join('.', Enumerable.Repeat("k", 64));
        Assert.Equal(1, Parse($"{key} = 1").Count);
        Assert.Equal(1, Parse($"[{key}]").Count);
        Assert.Equal(1, Parse("a = " + new string('[', 63) + "1" + new string(']', 63)).Count);

        var limits = new TomlLimits { MaxDepth = 2 };
        Assert.Equal(1, TomlParser.Parse("a = [[]]"u8, limits).Count);
        Assert.Equal(TomlErrorCode.NestingTooDeep, Reject("a = [[1]]", limits).Code);
        Assert.Equal(TomlErrorCode.NestingTooDeep, Reject("[a.b]\nc = 1", limits).Code);
    }

    [Fact]
    public void GenerousMaxDepthStillCannotOverflowTheStack()
    {
        const int Levels = 1_000_000;
        string toml = "a = " + new string('[', Levels) + new string(']', Levels);

        TomlException error = Reject(toml, new TomlLimits { MaxDepth = int.MaxValue });

        Assert.Equal(TomlErrorCode.NestingTooDeep, error.Code);
    }

    [Fact]
    public void InputLongerThanMaxInputBytesIsRejectedBeforeParsing()
    {
        var limits = new TomlLimits { MaxInputBytes = 16 };

        TomlException error = Reject("this is [not TOML", limits);

        Assert.Equal(TomlErrorCode.InputTooLarge, error.Code);
        Assert.Equal(new TomlPosition(1, 1), error.Position);
        Assert.Equal("the document is 17 bytes long; the limit is 16 bytes", error.Reason);
        Assert.Equal(1, TomlParser.Parse("key = 'exactly!'"u8, limits).Count);
    }

    [Fact]
    public void DefaultLimitAllowsFourMebibytes()
    {
        byte[] tooLarge = new byte[(4 * 1024 * 1024) + 1];
        tooLarge.AsSpan().Fill((byte)'#');

        Assert.Equal(TomlErrorCode.InputTooLarge, Assert.Throws<TomlException>(() => TomlParser.Parse(tooLarge)).Code);
    }

    [Fact]
    public void LargeDocumentParsesCompletely()
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

        TomlTable document = Parse(text.ToString());

        Assert.Equal(sections, document.Count);
        TomlTable last = Get<TomlTable>(document, $"device_{sections - 1}");
        Assert.Equal(sections - 1L, Get<TomlInteger>(last, "port").Value);
        Assert.Equal("multi\n", Get<TomlString>(last, "label", "text").Value);
    }

    // ---- TryParse ------------------------------------------------------------------------------

    [Fact]
    public void TryParseReturnsTheDocumentOrTheErrorWithoutThrowing()
    {
        Assert.True(TomlParser.TryParse("a = 1"u8, out TomlTable? document, out TomlException? error));
        Assert.Null(error);
        Assert.Equal(1L, Get<TomlInteger>(document, "a").Value);

        Assert.False(TomlParser.TryParse("a = 1\na = 2"u8, out document, out error));
        Assert.Null(document);
        Assert.Equal(TomlErrorCode.DuplicateKey, error.Code);
        Assert.Equal(new TomlPosition(2, 1), error.Position);
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static TomlTable Parse(string toml) => TomlParser.Parse(Encoding.UTF8.GetBytes(toml));

    private static TomlException Reject(string toml, TomlLimits? limits = null) =>
        Reject(Encoding.UTF8.GetBytes(toml), limits);

    private static TomlException Reject(byte[] toml, TomlLimits? limits = null) =>
        Assert.Throws<TomlException>(() => TomlParser.Parse(toml, limits));

    /// <summary>The value at a path of keys, checked to be of type <typeparamref name="T"/>.</summary>
    private static T Get<T>(TomlTable table, params string[] path)
        where T : TomlValue
    {
        TomlValue value = table;
        foreach (string key in path)
        {
            Assert.True(((TomlTable)value).TryGetValue(key, out TomlValue? next), $"missing key {key}");
            value = next;
        }

        return Assert.IsType<T>(value);
    }
}
