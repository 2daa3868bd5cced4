namespace LiveContract.Core.Common;

public enum ErrorKind
{
    /// <summary>Not there, or not visible to the person asking (the two look the same on purpose).</summary>
    NotFound,

    /// <summary>The request is well formed but the contract's state does not allow it now.</summary>
    Conflict,

    /// <summary>The person may see this but not change it.</summary>
    Forbidden,

    /// <summary>The input itself is wrong.</summary>
    Invalid,

    /// <summary>A store or database failed; nothing was changed and a retry may succeed.</summary>
    Unavailable,

    /// <summary>Too many requests in a short time; a later one will be accepted.</summary>
    TooManyRequests,
}

/// <summary>Why an operation was refused, in a sentence a person can act on.</summary>
public sealed record OperationError(ErrorKind Kind, string Message)
{
    public static OperationError NotFound(string what) => new(ErrorKind.NotFound, $"{what} does not exist or is not yours.");
}

/// <summary>The result of an operation: a value, or the reason it was refused.</summary>
public readonly record struct Outcome<T>(T? Value, OperationError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(OperationError error) => new(default, error);
}
