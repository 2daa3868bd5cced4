// The browser half of SessionPanel.razor: copies the customer link to the clipboard.

/** Copies `text`; answers whether the browser allowed it (it needs a secure context and focus). */
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
