using LiveContract.Core.Localization;

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

/// <summary>
/// Why an operation was refused, in a sentence a person can act on. A refusal a customer may meet is a
/// <see cref="CustomerText"/> key (<see cref="ForCustomer"/>), worded each time <see cref="Message"/> is read, in the
/// reader's UI culture: an error made once (a static field) or on another thread still reads in the language of
/// whoever shows it. Two refusals are equal when their kinds and their sentences, worded now, are.
/// </summary>
public sealed record OperationError
{
    private readonly string? message;
    private readonly string? textKey;
    private readonly object[] arguments = [];

    /// <summary>A refusal worded once, in English: for staff, or where the sentence was already worded.</summary>
    public OperationError(ErrorKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Kind = kind;
        this.message = message;
    }

    private OperationError(ErrorKind kind, string textKey, object[] arguments)
    {
        Kind = kind;
        this.textKey = textKey;
        this.arguments = arguments;
    }

    public ErrorKind Kind { get; }

    /// <summary>The sentence, in the current UI culture when it is a customer text.</summary>
    public string Message => textKey is null ? message!
        : arguments.Length == 0 ? CustomerText.Standalone[textKey].Value
        : CustomerText.Standalone[textKey, arguments].Value;

    /// <summary>A refusal a customer may read: the <see cref="CustomerText"/> entry <paramref name="textKey"/>, with <paramref name="arguments"/> for its placeholders.</summary>
    public static OperationError ForCustomer(ErrorKind kind, string textKey, params object[] arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(textKey);
        ArgumentNullException.ThrowIfNull(arguments);
        return new OperationError(kind, textKey, arguments);
    }

    public static OperationError NotFound(string what) => new(ErrorKind.NotFound, $"{what} does not exist or is not yours.");

    public bool Equals(OperationError? other) =>
        other is not null && Kind == other.Kind && string.Equals(Message, other.Message, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, Message);
}

/// <summary>The result of an operation: a value, or the reason it was refused.</summary>
public readonly record struct Outcome<T>(T? Value, OperationError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(OperationError error) => new(default, error);
}
