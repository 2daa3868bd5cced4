// The browser half of PdfViewer.razor: loads a PDF with pdf.js and draws one page at a time.
// pdf.js is served from wwwroot/lib/pdfjs (copied there by the build from wwwroot-assets).

const pdfJsBase = new URL("lib/pdfjs/", document.baseURI).href;
const viewers = new WeakMap();
// The largest canvas every browser draws (iOS Safari's limit); the pixel ratio gives way beyond it.
const maxCanvasPixels = 16_777_216;
let pdfJs;

function loadPdfJs() {
    pdfJs ??= import(`${pdfJsBase}pdf.min.mjs`).then(
        lib => {
            lib.GlobalWorkerOptions.workerSrc = `${pdfJsBase}pdf.worker.min.mjs`;
            return lib;
        },
        error => {
            pdfJs = undefined;
            throw error;
        });
    return pdfJs;
}

const navigationKeys = new Set(["ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End"]);

function isTextEntry(element) {
    return element instanceof HTMLElement
        && (element.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName));
}

// A drag shorter than this (CSS pixels, either way) is a click, not a box.
const minimumDrag = 4;

/** Where a pointer event is on the drawn page, in fractions of its width and height (not clamped), or null without a page. */
function pagePosition(viewer, event) {
    const canvas = viewer.canvasHost.querySelector("canvas");
    const box = canvas?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) {
        return null;
    }
    return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height, box };
}

const clamp = value => Math.min(Math.max(value, 0), 1);

// A swipe turns the page when it goes this far sideways (CSS pixels), mostly sideways, within this time (ms).
const swipeDistance = 50;
const swipeTime = 800;

/**
 * Whether a sideways swipe may turn the page: the page fits the width of its area (zoomed in, a
 * sideways drag scrolls it) and the browser is not pinch-zoomed (a sideways drag pans the view).
 * The page area lets the browser keep vertical scrolling and pinch-zoom only while it may
 * (data-swipe, see PdfViewer.razor.css).
 */
function updateSwipe(viewer) {
    const fits = viewer.pageHost.scrollWidth <= viewer.pageHost.clientWidth + 1;
    const zoomed = (window.visualViewport?.scale ?? 1) > 1.01;
    viewer.pageHost.dataset.swipe = fits && !zoomed ? "true" : "false";
}

/** Follows one touch or pen stroke on the page area; a quick sideways one reports OnSwiped(forward) (leftwards: the next page). */
function watchSwipe(viewer, dotNet) {
    viewer.onSwipeStart = event => {
        viewer.swipe = null;
        const target = event.target instanceof Element ? event.target : null;
        if (event.pointerType === "mouse" || !event.isPrimary || viewer.region.dataset.drawing === "true"
            || target?.closest("input, textarea, select, button, [role=radiogroup], [data-box-handle]")) {
            return;
        }
        viewer.swipe = { id: event.pointerId, x: event.clientX, y: event.clientY, time: event.timeStamp };
    };
    viewer.onSwipeEnd = event => {
        const swipe = viewer.swipe;
        viewer.swipe = null;
        if (!swipe || event.pointerId !== swipe.id || viewer.pageHost.dataset.swipe !== "true") {
            return;
        }
        const dx = event.clientX - swipe.x;
        const dy = event.clientY - swipe.y;
        if (Math.abs(dx) >= swipeDistance && Math.abs(dx) > 2 * Math.abs(dy) && event.timeStamp - swipe.time <= swipeTime) {
            dotNet.invokeMethodAsync("OnSwiped", dx < 0);
        }
    };
    viewer.onSwipeCancel = () => {
        viewer.swipe = null;
    };
    viewer.onViewportChange = () => updateSwipe(viewer);
    viewer.pageHost.addEventListener("pointerdown", viewer.onSwipeStart);
    viewer.pageHost.addEventListener("pointerup", viewer.onSwipeEnd);
    viewer.pageHost.addEventListener("pointercancel", viewer.onSwipeCancel);
    window.visualViewport?.addEventListener("resize", viewer.onViewportChange);
    updateSwipe(viewer);
}

function unwatchSwipe(viewer) {
    viewer.pageHost.removeEventListener("pointerdown", viewer.onSwipeStart);
    viewer.pageHost.removeEventListener("pointerup", viewer.onSwipeEnd);
    viewer.pageHost.removeEventListener("pointercancel", viewer.onSwipeCancel);
    window.visualViewport?.removeEventListener("resize", viewer.onViewportChange);
}

/**
 * Drawing mode (data-drawing="true"): a drag on the page shows a rectangle and reports it through
 * OnBoxDrawn(left, top, width, height), fractions of the drawn page.
 */
function startDrawing(viewer, dotNet, event) {
    const start = pagePosition(viewer, event);
    if (!start || start.x < 0 || start.x > 1 || start.y < 0 || start.y > 1) {
        return;
    }
    event.preventDefault();
    const band = document.createElement("div");
    band.className = "pdf-viewer-band";
    band.setAttribute("aria-hidden", "true");
    viewer.canvasHost.parentElement.append(band);
    const target = event.target;
    target.setPointerCapture?.(event.pointerId);

    let rectangle = null;
    const onMove = moveEvent => {
        const now = pagePosition(viewer, moveEvent);
        if (!now) {
            return;
        }
        const [x1, x2] = [clamp(start.x), clamp(now.x)].sort((a, b) => a - b);
        const [y1, y2] = [clamp(start.y), clamp(now.y)].sort((a, b) => a - b);
        rectangle = { left: x1, top: y1, width: x2 - x1, height: y2 - y1 };
        band.style.cssText = `left: ${x1 * 100}%; top: ${y1 * 100}%; width: ${(x2 - x1) * 100}%; height: ${(y2 - y1) * 100}%`;
    };
    const onEnd = endEvent => {
        target.removeEventListener("pointermove", onMove);
        target.removeEventListener("pointerup", onEnd);
        target.removeEventListener("pointercancel", onEnd);
        band.remove();
        if (endEvent.type === "pointerup" && rectangle
            && rectangle.width * start.box.width >= minimumDrag && rectangle.height * start.box.height >= minimumDrag) {
            dotNet.invokeMethodAsync("OnBoxDrawn", rectangle.left, rectangle.top, rectangle.width, rectangle.height);
        }
    };
    target.addEventListener("pointermove", onMove);
    target.addEventListener("pointerup", onEnd);
    target.addEventListener("pointercancel", onEnd);
}

/**
 * Dragging an overlay box's handle (data-box-handle "move" or "resize" inside an element with
 * data-box-id): the box follows the pointer, inside the page; on release its style is put back
 * (Blazor places it again from the answer) and OnBoxMoved(id, left, top, width, height) reports
 * where it was dropped. The click that ends a drag does not reach the page's handlers.
 */
function startBoxDrag(viewer, dotNet, event, handle) {
    const element = handle.closest("[data-box-id]");
    const start = pagePosition(viewer, event);
    if (!element || !start) {
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    const own = element.getBoundingClientRect();
    const origin = {
        left: (own.left - start.box.left) / start.box.width,
        top: (own.top - start.box.top) / start.box.height,
        width: own.width / start.box.width,
        height: own.height / start.box.height,
    };
    const resizing = handle.dataset.boxHandle === "resize";
    const savedStyle = element.getAttribute("style");
    handle.setPointerCapture?.(event.pointerId);

    let moved = null;
    const onMove = moveEvent => {
        const now = pagePosition(viewer, moveEvent);
        if (!now) {
            return;
        }
        const dx = now.x - start.x;
        const dy = now.y - start.y;
        if (!moved && Math.abs(dx * start.box.width) < minimumDrag && Math.abs(dy * start.box.height) < minimumDrag) {
            return;
        }
        moved = resizing
            ? {
                left: origin.left,
                top: origin.top,
                width: Math.min(Math.max(origin.width + dx, minimumDrag / start.box.width), 1 - origin.left),
                height: Math.min(Math.max(origin.height + dy, minimumDrag / start.box.height), 1 - origin.top),
            }
            : {
                left: Math.min(Math.max(origin.left + dx, 0), 1 - origin.width),
                top: Math.min(Math.max(origin.top + dy, 0), 1 - origin.height),
                width: origin.width,
                height: origin.height,
            };
        element.style.left = `${moved.left * 100}%`;
        element.style.top = `${moved.top * 100}%`;
        element.style.width = `${moved.width * 100}%`;
        element.style.height = `${moved.height * 100}%`;
    };
    const onEnd = endEvent => {
        handle.removeEventListener("pointermove", onMove);
        handle.removeEventListener("pointerup", onEnd);
        handle.removeEventListener("pointercancel", onEnd);
        if (!moved) {
            return;
        }
        if (savedStyle === null) {
            element.removeAttribute("style");
        } else {
            element.setAttribute("style", savedStyle);
        }
        viewer.swallowClick = true;
        if (endEvent.type === "pointerup") {
            dotNet.invokeMethodAsync("OnBoxMoved", element.dataset.boxId, moved.left, moved.top, moved.width, moved.height);
        }
    };
    handle.addEventListener("pointermove", onMove);
    handle.addEventListener("pointerup", onEnd);
    handle.addEventListener("pointercancel", onEnd);
}

/**
 * Starts a viewer on its region: keyboard navigation, fit-to-width on resize, sideways swipes
 * turning the page, clicks on the page reported as 0..1 of its width and height while the region has data-pointing="true",
 * rectangles drawn while it has data-drawing="true", and overlay boxes moved by their handles.
 * Pages are drawn into `canvasHost` (inside `pageHost`, whose width fit-to-width follows).
 */
export function attach(region, pageHost, dotNet, canvasHost) {
    const viewer = {
        region,
        pageHost,
        canvasHost: canvasHost ?? pageHost,
        document: null,
        loadingTask: null,
        loadTicket: 0,
        renderTicket: 0,
        renderTask: null,
        request: null,
        shownPage: null,
        width: pageHost.clientWidth,
        resizeFrame: 0,
    };

    viewer.onKeyDown = event => {
        if (!navigationKeys.has(event.key) || event.altKey || event.ctrlKey || event.metaKey || isTextEntry(event.target)) {
            return;
        }
        event.preventDefault();
        dotNet.invokeMethodAsync("OnNavigationKey", event.key);
    };
    region.addEventListener("keydown", viewer.onKeyDown);

    viewer.onClick = event => {
        const canvas = viewer.canvasHost.querySelector("canvas");
        if (region.dataset.pointing !== "true" || !canvas || event.button !== 0) {
            return;
        }
        const box = canvas.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) {
            return;
        }
        const x = (event.clientX - box.left) / box.width;
        const y = (event.clientY - box.top) / box.height;
        if (x < 0 || x > 1 || y < 0 || y > 1) {
            return;
        }
        dotNet.invokeMethodAsync("OnPagePointed", x, y);
    };
    viewer.canvasHost.addEventListener("click", viewer.onClick);

    const sheet = viewer.canvasHost.parentElement ?? viewer.canvasHost;
    viewer.sheet = sheet;
    viewer.onPointerDown = event => {
        viewer.swallowClick = false;
        if (event.button !== 0 || !event.isPrimary) {
            return;
        }
        const handle = event.target instanceof Element ? event.target.closest("[data-box-handle]") : null;
        if (handle && sheet.contains(handle)) {
            startBoxDrag(viewer, dotNet, event, handle);
        } else if (region.dataset.drawing === "true" && viewer.canvasHost.contains(event.target)) {
            startDrawing(viewer, dotNet, event);
        }
    };
    sheet.addEventListener("pointerdown", viewer.onPointerDown);
    viewer.onClickCapture = event => {
        if (viewer.swallowClick) {
            viewer.swallowClick = false;
            event.stopPropagation();
            event.preventDefault();
        }
    };
    sheet.addEventListener("click", viewer.onClickCapture, true);
    watchSwipe(viewer, dotNet);

    viewer.resizeObserver = new ResizeObserver(() => {
        const width = pageHost.clientWidth;
        if (width === viewer.width) {
            return;
        }
        viewer.width = width;
        cancelAnimationFrame(viewer.resizeFrame);
        viewer.resizeFrame = requestAnimationFrame(() => {
            const request = viewer.request;
            if (request?.zoom !== null) {
                return;
            }
            render(region, request.page, null, request.label).then(result => {
                if (result && !result.failed && viewers.get(region) === viewer) {
                    dotNet.invokeMethodAsync("OnScaleChanged", result.scale);
                }
            });
        });
    });
    viewer.resizeObserver.observe(pageHost);

    viewers.set(region, viewer);
}

async function close(viewer) {
    viewer.renderTicket++;
    viewer.renderTask?.cancel();
    viewer.renderTask = null;
    viewer.request = null;
    viewer.shownPage = null;
    viewer.canvasHost.replaceChildren();
    delete viewer.region.dataset.renderedPage;
    delete viewer.region.dataset.pageCount;
    const loadingTask = viewer.loadingTask;
    viewer.loadingTask = null;
    viewer.document = null;
    await loadingTask?.destroy();
}

/**
 * Opens the PDF at `source` (fetched by the browser, same origin) and answers its page count,
 * or 0 when it cannot be displayed (the reason goes to the console only).
 */
export async function load(region, source) {
    const viewer = viewers.get(region);
    if (!viewer) {
        return 0;
    }
    const ticket = ++viewer.loadTicket;
    await close(viewer);
    if (!source || ticket !== viewer.loadTicket) {
        return 0;
    }

    try {
        const lib = await loadPdfJs();
        if (ticket !== viewer.loadTicket) {
            return 0;
        }
        const loadingTask = lib.getDocument({
            url: source,
            cMapUrl: `${pdfJsBase}cmaps/`,
            cMapPacked: true,
            standardFontDataUrl: `${pdfJsBase}standard_fonts/`,
            wasmUrl: `${pdfJsBase}wasm/`,
            iccUrl: `${pdfJsBase}iccs/`,
            isEvalSupported: false,
        });
        viewer.loadingTask = loadingTask;
        const pdf = await loadingTask.promise;
        if (ticket !== viewer.loadTicket) {
            return 0;
        }
        viewer.document = pdf;
        return pdf.numPages;
    } catch (error) {
        if (ticket === viewer.loadTicket) {
            console.error("PdfViewer: the document could not be displayed.", error);
        }
        return 0;
    }
}

/**
 * Draws page `pageNumber` upright (the page's own /Rotate applies) at the device pixel ratio.
 * `zoom` is a scale (1 = 100 %) or null to fit the width of the page area. A newer call cancels
 * an older one still drawing; only the newest ever reaches the screen. Answers the page, the
 * scale used and whether drawing failed (the reason goes to the console only), or null when a
 * newer call superseded this one.
 */
export async function render(region, pageNumber, zoom, label) {
    const viewer = viewers.get(region);
    if (!viewer?.document) {
        return null;
    }
    const ticket = ++viewer.renderTicket;
    viewer.request = { page: pageNumber, zoom, label };
    viewer.renderTask?.cancel();
    viewer.renderTask = null;

    try {
        const page = await viewer.document.getPage(pageNumber);
        if (ticket !== viewer.renderTicket) {
            return null;
        }
        const width = viewer.pageHost.clientWidth;
        const scale = zoom ?? (width > 0 ? width / page.getViewport({ scale: 1 }).width : 1);
        const viewport = page.getViewport({ scale });
        const ratio = Math.min(window.devicePixelRatio || 1, Math.sqrt(maxCanvasPixels / (viewport.width * viewport.height)));

        const canvas = document.createElement("canvas");
        canvas.width = Math.floor(viewport.width * ratio);
        canvas.height = Math.floor(viewport.height * ratio);
        canvas.style.width = `${Math.floor(viewport.width)}px`;
        canvas.style.height = `${Math.floor(viewport.height)}px`;
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", label);

        const task = page.render({
            canvas,
            viewport,
            transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
        });
        viewer.renderTask = task;
        await task.promise;
        if (ticket !== viewer.renderTicket) {
            return null;
        }
        viewer.renderTask = null;
        viewer.canvasHost.replaceChildren(canvas);
        updateSwipe(viewer);
        if (viewer.shownPage !== page) {
            viewer.shownPage?.cleanup();
            viewer.shownPage = page;
        }
        viewer.region.dataset.pageCount = String(viewer.document.numPages);
        viewer.region.dataset.renderedPage = String(pageNumber);
        const upright = page.getViewport({ scale: 1 });
        return {
            page: pageNumber,
            scale,
            failed: false,
            viewport: { transform: Array.from(upright.transform), width: upright.width, height: upright.height },
        };
    } catch (error) {
        if (error?.name === "RenderingCancelledException" || ticket !== viewer.renderTicket) {
            return null;
        }
        console.error(`PdfViewer: page ${pageNumber} could not be drawn.`, error);
        viewer.renderTask = null;
        viewer.canvasHost.replaceChildren();
        delete viewer.region.dataset.renderedPage;
        return { page: pageNumber, scale: 0, failed: true };
    }
}

/** Stops the viewer: cancels drawing, releases the document and the worker, removes listeners. */
export async function detach(region) {
    const viewer = viewers.get(region);
    if (!viewer) {
        return;
    }
    viewers.delete(region);
    viewer.loadTicket++;
    cancelAnimationFrame(viewer.resizeFrame);
    viewer.resizeObserver.disconnect();
    region.removeEventListener("keydown", viewer.onKeyDown);
    viewer.canvasHost.removeEventListener("click", viewer.onClick);
    viewer.sheet.removeEventListener("pointerdown", viewer.onPointerDown);
    viewer.sheet.removeEventListener("click", viewer.onClickCapture, true);
    unwatchSwipe(viewer);
    await close(viewer);
}
