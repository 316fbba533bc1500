#!/usr/bin/env python3
"""Staff actions for the benchmarks, as a browser would send them (standard library only).

  staff.py sign-in ORIGIN EMAIL PASSWORD FILE      signs in; the session cookie goes to FILE
  staff.py post ORIGIN FILE ID INTENT [BODY]       posts article ID's editor form with INTENT
                                                   (save, submit, publish), every field as the
                                                   page holds it, the body replaced by BODY;
                                                   prints the status (303 when it worked)
  staff.py latency ORIGIN WRITER REVIEWER ID N SLUG INSTANCE...
                                                   N times: the writer saves a new body and
                                                   submits it, the reviewer publishes it (through
                                                   ORIGIN); then each INSTANCE is asked for the
                                                   article until it serves the new body. Prints
                                                   the time from the publish's answer (its commit
                                                   came before) until every instance served it
  staff.py activity ORIGIN WRITER REVIEWER ID SECONDS
                                                   for SECONDS: the writer saves once a second,
                                                   and every tenth second submits, and the
                                                   reviewer publishes
A publish passes the review gate as a reviewer would: every reference ticked, every warning
acknowledged with a reason (a body without citation errors is the caller's to give).
"""

import html.parser
import base64
import hashlib
import hmac
import http.client
import re
import struct
import sys
import threading
import time
import urllib.parse


def connect(origin):
    url = urllib.parse.urlsplit(origin)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def request(origin, method, path, cookie=None, form=None, conn=None):
    """(status, headers, body) of one request; no redirect is followed."""
    own = conn is None
    conn = conn or connect(origin)
    headers = {"Origin": origin}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    if own:
        conn.close()
    return response.status, response.getheaders(), text


def session_cookie(headers):
    for name, value in headers:
        if name.lower() == "set-cookie" and "=;" not in value.split(";", 1)[0] + ";":
            return value.split(";", 1)[0]
    return None


def totp(secret, at):
    """The authenticator code (RFC 6238: HMAC-SHA1, 6 digits, 30 s) of base32 `secret`."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 15
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7fffffff) % 1_000_000:06d}"


def sign_in(origin, email, password):
    """The cookie of a whole session: the password, then (the account's first sign-in) enrolment
    with a code computed from the key the page shows, as a person with an authenticator app."""
    status, headers, _ = request(origin, "POST", "/admin/login",
                                 form={"email": email, "password": password, "next": "/admin"})
    half = session_cookie(headers)
    if not half:
        sys.exit(f"staff.py: signing in as {email} answered {status} without a session")
    location = dict((name.lower(), value) for name, value in headers).get("location", "")
    if not location.startswith("/admin/two-factor"):
        return half  # a build from before two-factor sign-in (for before/after figures)
    _, _, page = request(origin, "GET", "/admin/two-factor", cookie=half)
    found = re.search(r'class="secret-key">([A-Z2-7 <!>]+)</code>', page)
    if not found:
        sys.exit(f"staff.py: {email} is enrolled already (bench databases are fresh)")
    secret = found.group(1).replace("<!>", "")
    status, headers, _ = request(origin, "POST", "/admin/two-factor", cookie=half,
                                 form={"intent": "enrol", "code": totp(secret, time.time())})
    whole = session_cookie(headers)
    if status != 200 or not whole:
        sys.exit(f"staff.py: enrolling {email} answered {status}")
    return whole


class EditorForm(html.parser.HTMLParser):
    """The editor form's fields as a browser would send them (checkboxes as they are checked)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.area, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a or name.startswith("checked-ref-"):
                    self.fields.append([name, a.get("value") or "on"])
            elif kind != "submit":
                self.fields.append([name, a.get("value") or ""])
        elif tag == "textarea" and name:
            self.area = [name, ""]
            self.fields.append(self.area)
        elif tag == "select" and name:
            self.select = [name, None]
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")

    def handle_data(self, data):
        if self.area is not None:
            self.area[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.area = None
        elif tag == "select":
            self.select = None


def post(origin, cookie, article, intent, body=""):
    path = f"/admin/articles/{article}"
    status, _, page = request(origin, "GET", path, cookie)
    if status != 200:
        return status
    form = EditorForm()
    form.feed(page)
    fields = []
    for name, value in form.fields:
        value = value or ""
        if name in ("summary", "body"):
            value = value.removeprefix("\n")
        if name == "body" and body:
            value = body
        if name.startswith("ack-") and intent == "publish":
            value = "Checked for the benchmark."
        if name in ("intent", "review_note", "review_quote"):
            continue
        fields.append((name, value))
    fields += [("intent", intent), ("note", "bench")]
    status, _, _ = request(origin, "POST", path, cookie, form=fields)
    return status


def body_with(marker):
    return f"Ketamine can help some people with depression. This version is {marker}.\n"


def publish_new_body(origin, writer, reviewer, article, marker):
    """Save, submit and publish a body carrying `marker`; the time the publish was answered."""
    for who, intent, body in ((writer, "save", body_with(marker)), (writer, "submit", ""),
                              (reviewer, "publish", "")):
        status = post(origin, who, article, intent, body)
        if status != 303:
            sys.exit(f"staff.py: {intent} answered {status}")
    return time.monotonic()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def served_at(base, slug, marker, answered, done):
    """Asks `base` for the article until it serves `marker`; records when in `done`."""
    conn = connect(base)
    while True:
        status, _, page = request(base, "GET", f"/articles/{slug}", conn=conn)
        if status == 200 and marker in page:
            done[base] = time.monotonic()
            return
        if time.monotonic() - answered > 10:
            return


def latency(origin, writer, reviewer, article, runs, slug, instances):
    waits = []
    for run in range(runs):
        marker = f"bench-{run}-{time.time_ns()}"
        answered = publish_new_body(origin, writer, reviewer, article, marker)
        # Each instance asked at once, as patients on each would: not one after the other.
        done = {}
        askers = [threading.Thread(target=served_at, args=(base, slug, marker, answered, done))
                  for base in instances]
        for asker in askers:
            asker.start()
        for asker in askers:
            asker.join()
        if len(done) < len(instances):
            sys.exit("staff.py: an instance did not serve the new body within 10 s")
        waits.append((max(done.values()) - answered) * 1000)
        time.sleep(0.5)  # let the background work of this publish settle
    print(f"{runs} publishes: from the publish's answer until every instance served it: "
          f"p50 {percentile(waits, 0.5):.2f} ms, p99 {percentile(waits, 0.99):.2f} ms, "
          f"max {max(waits):.2f} ms")


def activity(origin, writer, reviewer, article, seconds):
    start = time.monotonic()
    saves = publishes = 0
    tick = 0
    while time.monotonic() - start < seconds:
        tick += 1
        if tick % 10 == 0:
            publish_new_body(origin, writer, reviewer, article, f"activity-{tick}")
            saves += 1
            publishes += 1
        else:
            status = post(origin, writer, article, "save", body_with(f"draft-{tick}"))
            if status != 303:
                sys.exit(f"staff.py: save answered {status}")
            saves += 1
        # Once a second, whatever the actions took.
        time.sleep(max(0.0, start + tick - time.monotonic()))
    print(f"{saves} draft saves and {publishes} publishes in {seconds} s")


def main(args):
    command = args[0] if args else ""
    if command == "sign-in" and len(args) == 5:
        with open(args[4], "w") as file:
            file.write(sign_in(args[1], args[2], args[3]))
    elif command == "post" and len(args) in (5, 6):
        cookie = open(args[2]).read().strip()
        print(post(args[1], cookie, args[3], args[4], args[5] if len(args) == 6 else ""))
    elif command == "latency" and len(args) >= 8:
        writer, reviewer = (open(path).read().strip() for path in args[2:4])
        latency(args[1], writer, reviewer, args[4], int(args[5]), args[6], args[7:])
    elif command == "activity" and len(args) == 6:
        writer, reviewer = (open(path).read().strip() for path in args[2:4])
        activity(args[1], writer, reviewer, args[4], float(args[5]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
