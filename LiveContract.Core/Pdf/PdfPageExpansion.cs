using LiveContract.Core.Common;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Tokens;

namespace LiveContract.Core.Pdf;

/// <summary>
/// Checks what each page decodes to when it is drawn: its content streams, and every image and form
/// XObject it uses (forms' own XObjects too), against <see cref="PdfExpansionLimits.MaxPageBytes"/>.
/// Runs on a document PdfPig has opened, after <see cref="PdfStreamScan"/> has bounded every stream
/// (so opening was safe), and before any page's content is read. Counts by streaming, like the scan.
/// </summary>
internal static class PdfPageExpansion
{
    public static OperationError? Check(PdfDocument document, PdfExpansionLimits limits)
    {
        var sizes = new Dictionary<IndirectReference, (long Bytes, long Tokens)>();
        var walked = new HashSet<IndirectReference>();
        var pages = new Stack<(IToken Node, IToken? Resources)>();
        if (!document.Structure.Catalog.CatalogDictionary.TryGet(NameToken.Pages, out var root))
        {
            return null;
        }

        pages.Push((root, null));
        var pageNumber = 0;
        while (pages.Count > 0)
        {
            var (node, inherited) = pages.Pop();
            if (node is IndirectReferenceToken reference && !walked.Add(reference.Data))
            {
                continue;
            }

            if (Resolve(document, node) is not DictionaryToken dictionary)
            {
                continue;
            }

            var resources = dictionary.TryGet(NameToken.Resources, out var own) ? own : inherited;
            if (dictionary.TryGet(NameToken.Kids, out var kidsToken) && Resolve(document, kidsToken) is ArrayToken kids)
            {
                for (var i = kids.Data.Count - 1; i >= 0; i--)
                {
                    pages.Push((kids.Data[i], resources));
                }

                continue;
            }

            pageNumber++;
            var page = new PageTotal(document, sizes, limits);
            if (dictionary.TryGet(NameToken.Contents, out var contents))
            {
                foreach (var content in Resolve(document, contents) is ArrayToken array ? array.Data : [contents])
                {
                    page.Add(content);
                }
            }

            page.AddXObjects(resources, 0);
            if (page.Total > limits.MaxPageBytes)
            {
                return limits.PageTooLarge(pageNumber);
            }

            if (page.Tokens > limits.MaxPageContentTokens)
            {
                return limits.PageTooComplex(pageNumber);
            }
        }

        return null;
    }

    private static bool IsSubtype(DictionaryToken dictionary, NameToken subtype) =>
        dictionary.Data.GetValueOrDefault(NameToken.Subtype.Data) is NameToken name && name.Data == subtype.Data;

    private static IToken? Resolve(PdfDocument document, IToken? token)
    {
        for (var hops = 0; token is IndirectReferenceToken reference && hops < 8; hops++)
        {
            token = document.Structure.GetObject(reference.Data)?.Data;
        }

        return token;
    }

    /// <summary>What one page decodes to so far; each stream counted once per page.</summary>
    private sealed class PageTotal(PdfDocument document, Dictionary<IndirectReference, (long Bytes, long Tokens)> sizes, PdfExpansionLimits limits)
    {
        private const int MaxFormDepth = 16;

        private readonly HashSet<IndirectReference> counted = [];

        public long Total { get; private set; }

        /// <summary>The tokens of the page's content and forms: PdfPig turns each into objects when it reads the page.</summary>
        public long Tokens { get; private set; }

        public void Add(IToken token)
        {
            if (token is IndirectReferenceToken reference)
            {
                if (counted.Add(reference.Data))
                {
                    Count(Size(reference.Data));
                }
            }
            else if (token is StreamToken stream)
            {
                Count(Decoded(stream));
            }
        }

        private void Count((long Bytes, long Tokens) size)
        {
            Total = long.MaxValue - Total < size.Bytes ? long.MaxValue : Total + size.Bytes;
            Tokens += size.Tokens;
        }

        public void AddXObjects(IToken? resources, int depth)
        {
            if (depth > MaxFormDepth
                || Resolve(document, resources) is not DictionaryToken dictionary
                || !dictionary.TryGet(NameToken.Xobject, out var xobjectsToken)
                || Resolve(document, xobjectsToken) is not DictionaryToken xobjects)
            {
                return;
            }

            foreach (var xobject in xobjects.Data.Values)
            {
                if (Total > limits.MaxPageBytes || Tokens > limits.MaxPageContentTokens)
                {
                    return;
                }

                var alreadyCounted = xobject is IndirectReferenceToken reference && counted.Contains(reference.Data);
                Add(xobject);
                if (!alreadyCounted && Resolve(document, xobject) is StreamToken form
                    && IsSubtype(form.StreamDictionary, NameToken.Form)
                    && form.StreamDictionary.TryGet(NameToken.Resources, out var formResources))
                {
                    AddXObjects(formResources, depth + 1);
                }
            }
        }

        private (long Bytes, long Tokens) Size(IndirectReference reference)
        {
            if (!sizes.TryGetValue(reference, out var size))
            {
                size = Resolve(document, new IndirectReferenceToken(reference)) is StreamToken stream ? Decoded(stream) : (0, 0);
                sizes[reference] = size;
            }

            return size;
        }

        /// <summary>The stream's decoded bytes (for an image at least its pixels' bytes), and the tokens of content (a page's or a form's).</summary>
        private (long Bytes, long Tokens) Decoded(StreamToken stream)
        {
            var dictionary = stream.StreamDictionary;
            var filters = new List<string>();
            if (dictionary.TryGet(NameToken.Filter, out var filterToken))
            {
                switch (Resolve(document, filterToken))
                {
                    case NameToken name:
                        filters.Add(name.Data);
                        break;
                    case ArrayToken array:
                        filters.AddRange(array.Data.Select(f => Resolve(document, f)).OfType<NameToken>().Select(n => n.Data));
                        break;
                }
            }

            var isImage = IsSubtype(dictionary, NameToken.Image);
            var (decoded, tokens) = PdfFilterDecoding.CountDecoded(new MemoryStream(stream.Data.ToArray(), writable: false), filters, limits.MaxPageBytes, countTokens: !isImage);
            return (Math.Max(decoded, Pixels(dictionary)), tokens);
        }

        private long Pixels(DictionaryToken dictionary)
        {
            if (!IsSubtype(dictionary, NameToken.Image)
                || Resolve(document, dictionary.Data.GetValueOrDefault(NameToken.Width.Data)) is not NumericToken width
                || Resolve(document, dictionary.Data.GetValueOrDefault(NameToken.Height.Data)) is not NumericToken height)
            {
                return 0;
            }

            var bits = Resolve(document, dictionary.Data.GetValueOrDefault(NameToken.BitsPerComponent.Data)) is NumericToken b && b.Int is > 0 and <= 16 ? b.Int : 8;
            var mask = Resolve(document, dictionary.Data.GetValueOrDefault(NameToken.ImageMask.Data)) is BooleanToken { Data: true };
            var colorSpace = Resolve(document, dictionary.Data.GetValueOrDefault(NameToken.ColorSpace.Data));
            var first = colorSpace is ArrayToken { Data.Count: > 0 } array ? Resolve(document, array.Data[0]) : colorSpace;
            var components = mask ? 1 : (first as NameToken)?.Data switch
            {
                "DeviceGray" or "G" or "CalGray" or "Indexed" or "I" or "Separation" => 1,
                "DeviceRGB" or "RGB" or "CalRGB" or "Lab" => 3,
                _ => 4,
            };
            var pixels = Math.Ceiling(Math.Max(width.Double, 0) * components * bits / 8) * Math.Max(height.Double, 0);
            return pixels >= long.MaxValue ? long.MaxValue : (long)pixels;
        }
    }
}
