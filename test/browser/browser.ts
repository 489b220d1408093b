/**
 * Debian's Chromium driven by playwright-core (no browser download works here): launch with a
 * fresh profile, headless, no network services of its own.
 */
import { mkdtempSync, existsSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, BrowserContext } from "playwright-core"

/** Where the browser is (.ci/run installs it). */
export const CHROMIUM = "/usr/bin/chromium"

/** True when the browser is installed. */
export function haveChromium(): boolean {
    return existsSync(CHROMIUM)
}

/** Launches a persistent context of the given viewport. */
export async function launch(width = 1280, height = 900): Promise<BrowserContext> {
    const dir = mkdtempSync(join(tmpdir(), "dash-chromium-"))
    return chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width, height },
        args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    })
}
