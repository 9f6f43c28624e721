package io.sightline.web;

import com.microsoft.playwright.Page;

import java.util.List;

/**
 * Checks run inside the page: text contrast as WCAG 2 computes it, form controls without an accessible name, and
 * the page's width. Each returns what fails, so an assertion shows it.
 */
final class PageChecks {
    /**
     * Every visible element with text of its own: its colour against the first opaque background behind it
     * (walking up; translucent layers blended on the way down), its own and its ancestors' opacity applied.
     * Needs 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are exempt, as WCAG says.
     */
    private static final String CONTRAST = """
            () => {
              const parse = (c) => {
                const m = c.match(/rgba?\\(([^)]+)\\)/);
                if (!m) return null;
                const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
                return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
              };
              const over = (top, bottom) => ({
                r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
                b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
              const background = (el) => {
                const layers = [];
                for (let e = el; e; e = e.parentElement) {
                  const c = parse(getComputedStyle(e).backgroundColor);
                  if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
                }
                let bg = { r: 255, g: 255, b: 255, a: 1 };
                for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
                return bg;
              };
              const lum = (c) => {
                const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
              };
              const failures = [];
              for (const el of document.body.querySelectorAll('*')) {
                const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
                if (!own || ['SCRIPT', 'STYLE', 'OPTION', 'NOSCRIPT'].includes(el.tagName)) continue;
                if (el.closest(':disabled, [aria-hidden="true"]')) continue;
                const box = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                if (box.width <= 1 || box.height <= 1 || style.visibility !== 'visible') continue;
                let opacity = 1;
                for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
                if (opacity === 0) continue;
                const bg = background(el);
                const fg = parse(style.color);
                const text = over({ ...fg, a: fg.a * opacity }, bg);
                const [l1, l2] = [lum(text), lum(bg)].sort((a, b) => b - a);
                const ratio = (l1 + 0.05) / (l2 + 0.05);
                const size = parseFloat(style.fontSize);
                const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
                if (ratio < (large ? 3 : 4.5)) {
                  failures.push(`${ratio.toFixed(2)}:1 "${el.textContent.trim().slice(0, 40)}" <${el.tagName.toLowerCase()}`
                    + ` class="${el.className}"> ${style.color} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)})`);
                }
              }
              return failures;
            }
            """;

    /** Inputs, selects, text areas and buttons that a screen reader would announce without a name. */
    private static final String UNNAMED = """
            () => [...document.querySelectorAll('input, select, textarea, button, summary')]
              .filter((el) => el.type !== 'hidden')
              .filter((el) => {
                const byLabel = [...(el.labels || [])].some((l) => l.textContent.trim());
                const byAria = (el.getAttribute('aria-label') || '').trim()
                  || (el.getAttribute('aria-labelledby') || '').split(' ').some((id) => document.getElementById(id)?.textContent.trim());
                const byText = ['BUTTON', 'SUMMARY'].includes(el.tagName) && el.textContent.trim();
                return !(byLabel || byAria || byText || (el.getAttribute('title') || '').trim());
              })
              .map((el) => el.outerHTML.slice(0, 120))
            """;

    private PageChecks() {
    }

    @SuppressWarnings("unchecked")
    static List<String> contrastFailures(Page page) {
        return (List<String>) page.evaluate(CONTRAST);
    }

    @SuppressWarnings("unchecked")
    static List<String> unnamedControls(Page page) {
        return (List<String>) page.evaluate(UNNAMED);
    }

    static int scrollWidth(Page page) {
        return ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
    }
}
