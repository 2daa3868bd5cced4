// The browser's time zone for BrowserTimeZone: its IANA name and the short name of each UTC offset
// it has in the years around now. English names first (en-US says EST but GMT+1 for Paris, en-GB
// says CET but GMT-5 for New York); an offset-only name is left for the server to write as UTC±h.
const locales = ["en-US", "en-GB"];
const offsetOnly = /^(GMT|UTC)[+\-\u2212]/;

function shortName(timeZone, date) {
    for (const locale of locales) {
        const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" })
            .formatToParts(date).find(p => p.type === "timeZoneName");
        if (part && !offsetOnly.test(part.value)) {
            return part.value;
        }
    }

    return null;
}

export function readTimeZone() {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const names = [];
    const year = new Date().getUTCFullYear();
    for (let y = year - 1; y <= year + 1; y++) {
        for (let month = 0; month < 12; month++) {
            const date = new Date(Date.UTC(y, month, 15, 12));
            names.push({ offsetMinutes: -date.getTimezoneOffset(), name: shortName(timeZone, date) });
        }
    }

    return { timeZone, names };
}
