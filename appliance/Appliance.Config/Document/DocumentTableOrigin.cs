namespace Appliance.Config.Document;

/// <summary>How a table came to be (TOML 1.0, "Table" and "Inline Table"); the builder enforces the redefinition rules with it.</summary>
internal enum DocumentTableOrigin
{
    /// <summary>The root table of the document.</summary>
    Root,

    /// <summary>Defined by a <c>[header]</c>; cannot be defined again.</summary>
    Header,

    /// <summary>Created implicitly as a parent of a header (<c>[a.b]</c> creates <c>a</c>); a later <c>[a]</c> may define it.</summary>
    Implicit,

    /// <summary>Created by a dotted key (<c>a.b = 1</c>); cannot be reopened with a header.</summary>
    DottedKey,

    /// <summary>An inline table <c>{ ... }</c>; sealed, nothing may be added later.</summary>
    Inline,

    /// <summary>An element of an array of tables, made by <c>[[header]]</c>.</summary>
    ArrayElement,
}
