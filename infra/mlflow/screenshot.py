#!/usr/bin/env python3
"""One headless-Chromium screenshot of a page of the MLflow UI (used by screenshots.sh).

Hand-written on the DevTools protocol over a pipe (standard library only) rather than
`chromium --screenshot`, which can only guess how long the single-page app needs (a virtual-time
budget) and cannot act on the page: this waits until the page shows a given text, then clicks
what it is told to (expand a parent run's children; close the MLflow Assistant panel, which the
UI opens by itself on a local server's first visit and which would cover a quarter of the picture).

  screenshot.py URL OUT.png --wait-for TEXT [--click CSS]... [--dismiss CSS]...
"""
import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class Chromium:
    """A headless Chromium driven through --remote-debugging-pipe (fd 3 in, fd 4 out, NUL-separated JSON)."""

    def __init__(self, binary, width, height):
        self.profile = tempfile.mkdtemp(prefix="gz-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The shell moves the pipes to the descriptors Chromium expects (3 and 4).
        self.proc = subprocess.Popen(
            ["bash", "-c", 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null 2>/dev/null', "chromium",
             binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--window-size={width},{height}", "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             "about:blank"],
            stdin=to_browser_r, stdout=from_browser_w)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read(method, deadline)
            if reply.get("id") == self.next_id:  # else an event, or an answer to an earlier call
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, method, deadline):
        while b"\0" not in self.buffer:
            if not select.select([self.from_browser], [], [], max(0.0, deadline - time.time()))[0]:
                raise TimeoutError(f"{method}: no answer from Chromium in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium exited")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def evaluate(browser, session, expression):
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    return result.get("result", {}).get("value")


def wait_until(browser, session, condition, what, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if evaluate(browser, session, condition):
            return
        time.sleep(0.5)
    body = evaluate(browser, session, "document.body ? document.body.innerText.slice(0, 600) : ''")
    raise TimeoutError(f"the page never showed {what} in {timeout}s; it shows:\n{body}")


def click(browser, session, selector):
    """Clicks every element matching the CSS selector; returns how many there were."""
    return evaluate(browser, session, f"""(() => {{
        const all = [...document.querySelectorAll({json.dumps(selector)})];
        all.forEach(e => e.click());
        return all.length; }})()""")


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
    p.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = p.parse_args()

    browser = Chromium(args.chromium, args.width, args.height)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": args.width, "height": args.height, "deviceScaleFactor": 1, "mobile": False}, session)
        browser.send("Page.navigate", {"url": args.url}, session)
        wait_until(browser, session, f"document.body !== null && document.body.innerText.includes({json.dumps(args.wait_for)})",
                   repr(args.wait_for), args.timeout)
        for selector in args.click:
            wait_until(browser, session, f"document.querySelector({json.dumps(selector)}) !== null",
                       f"an element matching {selector!r}", args.timeout)
            click(browser, session, selector)
            time.sleep(2)
        time.sleep(2)  # charts animate in, late panels open
        for selector in args.dismiss:
            if click(browser, session, selector):
                time.sleep(1)
        shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
        with open(args.out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, TimeoutError) as e:
        sys.exit(f"screenshot.py: {e}")
