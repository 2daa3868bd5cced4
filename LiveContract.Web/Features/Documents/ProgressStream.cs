using LiveContract.Core.Common;

namespace LiveContract.Web.Features.Documents;

/// <summary>A read-only pass-through stream that reports how many bytes have been read so far.</summary>
internal sealed class ProgressStream(Stream inner, Action<long> progress) : ReadOnlyStream
{
    private long read;

    public override long Length => inner.Length;

    public override int Read(byte[] buffer, int offset, int count) => Advance(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Advance(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Advance(int count)
    {
        read += count;
        progress(read);
        return count;
    }
}
