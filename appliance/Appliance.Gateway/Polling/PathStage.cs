namespace Appliance.Gateway.Polling;

/// <summary>The stages one poll goes through, in order; tests inject faults at each (<see cref="GroupPoller.FaultProbe"/>).</summary>
public enum PathStage
{
    /// <summary>A transaction with the PLC through the device's transport.</summary>
    Transport,

    /// <summary>The parser instances decode a reply and their results are lifted.</summary>
    Lifting,

    /// <summary>The lifted results are voted on.</summary>
    Voting,

    /// <summary>The message's sequence number is taken from the sink.</summary>
    Sequence,

    /// <summary>The message is written as JSON.</summary>
    Formatting,

    /// <summary>The message is handed to the sink (the spool's commit).</summary>
    Sink,
}
