// The browser half of SignaturePad.razor: drawing with signature_pad (mouse, touch and pen through
// pointer events), kept sharp on high-density screens and redrawn after a resize without losing a
// stroke; undo, clear, the typed name written as a signature, and the PNG the signer submits.
// signature_pad is served from wwwroot/lib/signature_pad (copied there by the build from wwwroot-assets).

const libraryUrl = new URL("lib/signature_pad/signature_pad.umd.min.js", document.baseURI).href;
const pads = new WeakMap();
// Keep the PNG within what the server accepts (SignatureRules: 4096 px a side, 4 million pixels in
// all) and its size small: 3 device pixels per CSS pixel is sharp on every screen.
const maxRatio = 3;
const maxSide = 4096;
const maxPixels = 4_000_000;
const ink = "#0d1b4c";
const paper = "rgb(255, 255, 255)";
// Handwriting-like faces found on common systems, then the browser's own cursive face.
const handwriting = `"Segoe Script", "Bradley Hand", "Brush Script MT", "URW Chancery L", "Z003", "Comic Neue", cursive`;
let library;

function loadLibrary() {
    // The UMD build, loaded as a module, defines the global SignaturePad.
    library ??= import(libraryUrl).then(
        () => globalThis.SignaturePad,
        error => {
            library = undefined;
            throw error;
        });
    return library;
}

function isEmpty(pad) {
    return pad.strokes.length === 0 && pad.typed === null;
}

/** Draws the typed name, as large as fits, centred on the pad. */
function writeName(pad) {
    const width = pad.canvas.width / pad.ratio;
    const height = pad.canvas.height / pad.ratio;
    const context = pad.canvas.getContext("2d");
    let size = Math.min(height * 0.5, 72);
    context.save();
    context.fillStyle = ink;
    context.textAlign = "center";
    context.textBaseline = "middle";
    for (; size > 12; size -= 2) {
        context.font = `italic ${size}px ${handwriting}`;
        if (context.measureText(pad.typed).width <= width * 0.9) {
            break;
        }
    }
    context.fillText(pad.typed, width / 2, height / 2, width * 0.9);
    context.restore();
}

/** Paints the pad again from what it holds: the typed name, then the strokes drawn over it. */
function redraw(pad) {
    pad.signaturePad.clear();
    if (pad.typed !== null) {
        writeName(pad);
    }
    pad.signaturePad.fromData(pad.strokes, { clear: false });
}

/** Sizes the canvas' bitmap to its box times the device pixel ratio and redraws; skipped while hidden. */
function fit(pad) {
    const width = pad.canvas.offsetWidth;
    const height = pad.canvas.offsetHeight;
    if (width === 0 || height === 0) {
        return;
    }
    const ratio = Math.min(
        Math.max(window.devicePixelRatio || 1, 1),
        maxRatio,
        maxSide / width,
        maxSide / height,
        Math.sqrt(maxPixels / (width * height)));
    if (width === pad.width && height === pad.height && ratio === pad.ratio) {
        return;
    }
    pad.width = width;
    pad.height = height;
    pad.ratio = ratio;
    pad.canvas.width = Math.round(width * ratio);
    pad.canvas.height = Math.round(height * ratio);
    pad.canvas.getContext("2d").scale(ratio, ratio);
    redraw(pad);
}

/** Follows changes of the device pixel ratio (browser zoom, a window moved to another screen). */
function watchPixelRatio(pad) {
    pad.pixelRatioQuery?.removeEventListener("change", pad.onPixelRatioChange);
    pad.pixelRatioQuery = window.matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    pad.pixelRatioQuery.addEventListener("change", pad.onPixelRatioChange);
}

/**
 * Starts a pad on `canvas`: drawing, resizing, and `OnChanged(empty)` on `dotNet` after each
 * stroke. Answers whether it started (false when signature_pad could not be loaded).
 */
export async function attach(canvas, dotNet) {
    let SignaturePad;
    try {
        SignaturePad = await loadLibrary();
    } catch (error) {
        console.error("signature_pad could not be loaded", error);
        return false;
    }
    const pad = {
        canvas,
        signaturePad: new SignaturePad(canvas, { penColor: ink, backgroundColor: paper, minWidth: 0.8, maxWidth: 2.6 }),
        strokes: [],
        typed: null,
        width: 0,
        height: 0,
        ratio: 0,
        frame: 0,
    };
    pad.signaturePad.addEventListener("endStroke", () => {
        pad.strokes = pad.signaturePad.toData();
        // The component may be gone (disposed, or its circuit lost) by the time a stroke ends.
        dotNet.invokeMethodAsync("OnChanged", isEmpty(pad)).catch(() => { });
    });
    pad.resizeObserver = new ResizeObserver(() => {
        cancelAnimationFrame(pad.frame);
        pad.frame = requestAnimationFrame(() => fit(pad));
    });
    pad.onPixelRatioChange = () => {
        watchPixelRatio(pad);
        fit(pad);
    };
    pad.resizeObserver.observe(canvas);
    watchPixelRatio(pad);
    pads.set(canvas, pad);
    fit(pad);
    return true;
}

/** Takes back the last stroke, or the typed name when no stroke is left; answers whether the pad is empty. */
export function undo(canvas) {
    const pad = pads.get(canvas);
    if (!pad) {
        return true;
    }
    if (pad.strokes.length > 0) {
        pad.strokes = pad.strokes.slice(0, -1);
    } else {
        pad.typed = null;
    }
    redraw(pad);
    return isEmpty(pad);
}

/** Empties the pad. */
export function clear(canvas) {
    const pad = pads.get(canvas);
    if (pad) {
        pad.strokes = [];
        pad.typed = null;
        redraw(pad);
    }
}

/** Replaces whatever is on the pad with `name` in a handwriting-like face. */
export function writeTypedName(canvas, name) {
    const pad = pads.get(canvas);
    if (!pad) {
        return;
    }
    pad.strokes = [];
    pad.typed = name;
    redraw(pad);
}

/** The pad as a PNG, a Blob .NET reads as a stream; fails when nothing is on it. */
export function toPng(canvas) {
    const pad = pads.get(canvas);
    if (!pad || isEmpty(pad)) {
        throw new Error("Nothing is drawn on the signature pad.");
    }
    return new Promise((resolve, reject) =>
        canvas.toBlob(blob => blob ? resolve(blob) : reject(new Error("The signature could not be read.")), "image/png"));
}

/** Stops the pad: removes its listeners. */
export function detach(canvas) {
    const pad = pads.get(canvas);
    if (!pad) {
        return;
    }
    pads.delete(canvas);
    cancelAnimationFrame(pad.frame);
    pad.resizeObserver.disconnect();
    pad.pixelRatioQuery?.removeEventListener("change", pad.onPixelRatioChange);
    pad.signaturePad.off();
}
