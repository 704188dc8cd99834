#!/usr/bin/env python3
"""One headless-Chromium screenshot of a page of the MLflow UI (used by screenshots.sh).

Driven by Playwright (PyPI's `playwright`, on Debian's own Chromium: its bundled browser download
is not reachable here) rather than `chromium --screenshot`, which can only guess how long the
single-page app needs and cannot act on the page: this waits until the page shows a given text,
then clicks what it is told to (expand a parent run's children; close the MLflow Assistant panel,
which the UI opens by itself on a local server's first visit and which would cover a quarter of
the picture).

  screenshot.py URL OUT.png --wait-for TEXT [--click CSS]... [--dismiss CSS]...
"""
import argparse
import os
import shutil
import sys

from playwright.sync_api import Error, sync_playwright


def debian_chromium():
    # /usr/bin/chromium is Debian's wrapper script; Playwright needs the browser binary itself.
    binary = "/usr/lib/chromium/chromium"
    return binary if os.path.exists(binary) else shutil.which("chromium") or "chromium"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("url")
    p.add_argument("out")
    p.add_argument("--wait-for", required=True, help="text the page shows once its data is loaded")
    p.add_argument("--click", action="append", default=[], help="CSS selector of elements to click, in order")
    p.add_argument("--dismiss", action="append", default=[], help="CSS selector to click where the page has it")
    p.add_argument("--width", type=int, default=1600)
    p.add_argument("--height", type=int, default=1000)
    p.add_argument("--timeout", type=float, default=90)
    p.add_argument("--chromium", default=debian_chromium())
    args = p.parse_args()
    timeout_ms = args.timeout * 1000

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(args.url)
            page.get_by_text(args.wait_for).first.wait_for(timeout=timeout_ms)
            for selector in args.click:
                page.locator(selector).first.wait_for(timeout=timeout_ms)
                for element in page.locator(selector).all():
                    element.click()
                page.wait_for_timeout(2000)
            page.wait_for_timeout(2000)  # charts animate in, late panels open
            for selector in args.dismiss:
                for element in page.locator(selector).all():
                    element.click()
                    page.wait_for_timeout(1000)
            page.screenshot(path=args.out)
        finally:
            browser.close()


if __name__ == "__main__":
    try:
        main()
    except Error as e:  # Playwright's timeouts and browser errors: one line, not a trace
        sys.exit(f"screenshot.py: {e.message.splitlines()[0]}")
