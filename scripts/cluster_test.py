#!/usr/bin/env python3
"""The checks of scripts/cluster-test (issue 17, acceptance 1), run against two `gongkai serve`
nodes (A, B) on one PostgreSQL with nginx in front. scripts/cluster-test starts everything and
passes the addresses in the environment; this file only talks HTTP and asks psql.

Each check prints one line; the first failure exits non-zero.
"""

import http.client
import os
import random
import re
import secrets
import signal
import string
import subprocess
import sys
import threading
import time
import urllib.parse

A = int(os.environ["CT_PORT_A"])
B = int(os.environ["CT_PORT_B"])
NGINX = int(os.environ["CT_PORT_NGINX"])
PID_A = int(os.environ["CT_PID_A"])
PG_URL = os.environ["CT_PG_URL"]
PASSWORDS = dict(
    line.split("=", 1) for line in os.environ["CT_PASSWORDS"].split(";") if "=" in line
)
CSRF = secrets.token_hex(32)


def fail(msg):
    print(f"cluster-test: FAIL — {msg}", flush=True)
    sys.exit(1)


def ok(msg):
    print(f"cluster-test: ok — {msg}", flush=True)


def psql(sql):
    out = subprocess.run(
        ["psql", PG_URL, "-Atc", sql], capture_output=True, text=True, check=True
    )
    return [l for l in out.stdout.splitlines() if l]


class Client:
    """A browser-ish client of one port: keeps cookies, can bind a source address."""

    def __init__(self, port, source="127.0.0.1"):
        self.port = port
        self.source = source
        self.cookies = {"gk_csrf": CSRF}
        # The back office's forms carry the session's own token (read from a page).
        self.form_csrf = CSRF

    def request(self, method, path, form=None, timeout=10):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=timeout, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrf": self.form_csrf, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
            for k, v in resp.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return resp.status, data
        finally:
            conn.close()

    def sign_in(self, name):
        status, body = self.request(
            "POST", "/admin/login", {"name": name, "password": PASSWORDS[name]}
        )
        if status != 303 or "gk_admin" not in self.cookies:
            fail(f"sign-in of {name} on :{self.port} answered {status}")
        status, body = self.request("GET", "/admin")
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        if status != 200 or not m:
            fail(f"no back-office form token for {name} ({status})")
        self.form_csrf = m.group(1)


def random_word(n=8):
    return "".join(random.choice(string.ascii_lowercase) for _ in range(n))


def check_ready():
    for port in (A, B):
        status, _ = Client(port).request("GET", "/readyz")
        if status != 200:
            fail(f"/readyz on :{port} answered {status}")
    ok("both nodes ready (/readyz 200)")


def check_session_and_publish():
    editor = Client(A)
    editor.sign_in("demo_editor")
    # The session made on A works on B (sessions live in PostgreSQL).
    on_b = Client(B)
    on_b.cookies = dict(editor.cookies)
    on_b.form_csrf = editor.form_csrf
    status, body = on_b.request("GET", "/admin")
    if status != 200 or "demo_editor" not in body:
        fail(f"A's session on B: /admin answered {status}")
    ok("a session signed in through A works on B")

    # B's home page is cached before the change (two reads: the second is a hit).
    reader_b = Client(B)
    reader_b.request("GET", "/")
    reader_b.request("GET", "/")

    word = random_word()
    title = f"集群验证公告 {word}"
    text = f"本公告用于验证多节点部署，关键词 {word}，由节点甲发布、节点乙检索。"
    status, _ = editor.request(
        "POST",
        "/admin/publish/drafts",
        {
            "title": title,
            "doc_number": "",
            "category": "other",
            "body": text,
            "art20": "15",
            "topic": "综合政务",
            "keywords": "集群",
            "written_on": "",
            "interprets": "",
        },
    )
    if status != 303:
        fail(f"drafting on A answered {status}")
    rows = psql(f"SELECT id FROM proactive_items WHERE title = '{title}'")
    if len(rows) != 1:
        fail(f"the draft is not in the database ({rows})")
    item = int(rows[0])
    reviewer = Client(A)
    reviewer.sign_in("demo_reviewer")
    status, body = reviewer.request("POST", f"/admin/publish/{item}/approve", {"reason": ""})
    if status != 303:
        fail(f"approving on A answered {status}: {body[:300]}")
    published = time.monotonic()
    found = None
    while time.monotonic() - published < 2.0:
        status, body = reader_b.request("GET", f"/search?q={word}")
        if status == 200 and f"/xxgk/items/{item}" in body:
            found = time.monotonic() - published
            break
        time.sleep(0.05)
    if found is None:
        fail("the item published on A was not found by search on B within 2 s")
    ok(f"published on A, found by search on B after {found:.2f} s (limit 2 s)")
    status, body = reader_b.request("GET", f"/xxgk/items/{item}")
    if status != 200 or word not in body or "由节点甲发布" not in body:
        fail(f"B's item page does not show the new text ({status})")
    status, body = reader_b.request("GET", "/")
    if word not in body:
        fail("B's cached home page did not drop on the change")
    ok("B's item page shows the new text; B's cached home page lists it")


def check_signin_limit():
    # One client address (127.0.0.77, not a trusted proxy) guessing on both nodes in turn:
    # the per-address limit (20 failures in 15 minutes) counts them together.
    nodes = [Client(A, "127.0.0.77"), Client(B, "127.0.0.77")]
    statuses = []
    for i in range(21):
        c = nodes[i % 2]
        status, _ = c.request(
            "POST", "/admin/login", {"name": f"guess_{i}", "password": "Wrong-password-1"}
        )
        statuses.append(status)
    if statuses[:20] != [401] * 20:
        fail(f"the first 20 guesses should be refused as wrong (401): {statuses}")
    if statuses[20] != 429:
        fail(f"the 21st guess (on node {'AB'[20 % 2]}) should be stopped (429): {statuses[20]}")
    ok("the sign-in limit counts guesses spread over A and B as one (21st: 429)")


def check_sweep_once():
    rows = psql("SELECT runs, node FROM job_runs WHERE name = 'sweep'")
    if len(rows) != 1 or rows[0].split("|")[0] != "1":
        fail(f"the sweep should have run once across the cluster: {rows}")
    ok(f"the sweep ran once with both nodes up ({rows[0]})")


def check_kill_during_applications():
    total = int(os.environ.get("CT_APPLICATIONS", "240"))
    workers = 8
    results = {}  # token -> ("receipt", tracking_no) | ("error", why) | ("refused", status)
    lock = threading.Lock()
    counter = iter(range(total))
    started = threading.Event()

    def worker(w):
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            # The /apply limit is per client address: each address sends at most 5.
            src = f"127.0.{10 + w}.{2 + n // (5 * workers)}"
            token = f"ct{n:05d}{random_word(6)}"
            c = Client(NGINX, src)
            form = {
                "kind": "natural_person",
                "name": "集群测试",
                "id_type": "居民身份证",
                "id_number": "11010519491231002X",
                "phone": "13912345678",
                "email": "ct@example.cn",
                "address": "",
                "description": f"集群测试申请 {token}",
                "document_number": "",
                "delivery": "electronic",
            }
            try:
                status, body = c.request("POST", "/apply", form, timeout=15)
            except Exception as e:  # the node died under the request
                with lock:
                    results[token] = ("error", type(e).__name__)
                continue
            m = re.search(r'<dd id="tracking-no">([^<]+)</dd>', body)
            if status == 200 and "申请已提交" in body and m:
                rec = ("receipt", m.group(1))
            elif status >= 500:
                rec = ("error", str(status))
            else:
                rec = ("refused", status)
            with lock:
                results[token] = rec
            started.set()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    started.wait(30)
    time.sleep(1.0)
    os.kill(PID_A, signal.SIGKILL)
    killed_at = len(results)
    for t in threads:
        t.join()
    receipts = {t: r[1] for t, r in results.items() if r[0] == "receipt"}
    errors = {t for t, r in results.items() if r[0] == "error"}
    refused = {t: r[1] for t, r in results.items() if r[0] == "refused"}
    stored = {}
    for line in psql(
        "SELECT description, tracking_no FROM applications WHERE description LIKE '集群测试申请 %'"
    ):
        desc, no = line.split("|")
        token = desc.split(" ", 1)[1]
        if token in stored:
            fail(f"application {token} stored twice")
        stored[token] = no
    missing = [t for t, no in receipts.items() if stored.get(t) is None]
    if missing:
        fail(f"{len(missing)} receipts answered but not in the database: {missing[:5]}")
    wrong = [t for t, no in receipts.items() if no != stored[t]]
    if wrong:
        fail(f"receipts whose tracking number differs from the database: {wrong[:5]}")
    silent = [t for t in stored if t not in receipts and t not in errors]
    if silent:
        fail(f"{len(silent)} applications stored without a receipt or an error: {silent[:5]}")
    if len(receipts) < total // 2:
        fail(f"only {len(receipts)} of {total} submissions got a receipt: {refused}")
    ok(
        f"kill -9 of A after {killed_at} of {total} submissions through nginx: "
        f"{len(receipts)} receipts all stored, {len(errors)} errors "
        f"({sum(1 for t in errors if t in stored)} of them stored), "
        f"{len(refused)} refused, none stored silently"
    )


def main():
    check_ready()
    check_sweep_once()
    check_session_and_publish()
    check_signin_limit()
    check_kill_during_applications()
    print("cluster-test: all checks passed", flush=True)


if __name__ == "__main__":
    main()
