namespace Appliance.Modbus.Simulator;

/// <summary>One request the simulator answered, and what it sent back: the log that tests check clients against.</summary>
/// <param name="Connection">Which connection (numbered from 1 in accept order).</param>
/// <param name="TransactionId">The request's transaction id.</param>
/// <param name="UnitId">The request's unit id.</param>
/// <param name="Function">The request's function code.</param>
/// <param name="Address">The request's first register (0 when the request had none).</param>
/// <param name="Quantity">The request's register count (0 when the request had none).</param>
/// <param name="Step">The step k whose values built the reply.</param>
/// <param name="ExceptionCode">The exception code of a valid exception reply (illegal function, address or value); 0 for a normal reply.</param>
/// <param name="Attack">The attack sent instead of the valid reply; null when the valid reply was sent.</param>
public readonly record struct SimulatorExchange(
    long Connection,
    ushort TransactionId,
    byte UnitId,
    byte Function,
    ushort Address,
    ushort Quantity,
    long Step,
    byte ExceptionCode,
    AttackKind? Attack);
