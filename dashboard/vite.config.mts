/**
 * Vite build of the companion dashboard: `npm run build:dashboard` -> dashboard/dist, which the
 * hub behind `npm start` serves from its own origin (http://127.0.0.1:8080/).
 */
import { defineConfig } from "vite"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL(".", import.meta.url))

export default defineConfig({
    root,
    base: "./",
    build: {
        outDir: "dist",
        emptyOutDir: true,
        target: "es2022",
        // one chunk of ~1 MB minified (183 KB gzipped), 83 % of it jacdac-ts, which has no
        // smaller entry point; the page loads once from loopback. Above 1.2 MB Vite warns again.
        chunkSizeWarningLimit: 1200,
    },
    server: { host: "127.0.0.1" },
})
