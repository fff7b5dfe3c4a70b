namespace Appliance.Sandbox.Parsing;

/// <summary>The <c>request</c> record of <c>wit/modbus-parser.wit</c>: the read request a response answers, as the host sent it.</summary>
public readonly record struct ParserRequest(ushort Transaction, byte Unit, byte Function, ushort Address, ushort Quantity);
