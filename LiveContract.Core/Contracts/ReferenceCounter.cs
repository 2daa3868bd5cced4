namespace LiveContract.Core.Contracts;

/// <summary>The last contract number handed out in a year; references are <c>LC-{Year}-{Number:000000}</c>.</summary>
public sealed class ReferenceCounter
{
    public int Year { get; set; }

    public int Last { get; set; }
}
