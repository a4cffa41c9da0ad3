"""Starting `tcpviz serve` for a test and talking to it over HTTP."""
import http.client
import json
import os
import re
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TCPVIZ = os.environ.get("TCPVIZ", os.path.join(ROOT, "build", "tcpviz"))
CAPTURES = os.path.join(ROOT, "tests", "captures")

CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; object-src 'none'"


def make_page_dir(root, secret_file):
    """A stand-in for web/dist: an index.html with a CSP meta, a script, a
    file in a subfolder, and a symlink pointing outside (which must never be served)."""
    dist = os.path.join(root, "dist")
    os.makedirs(os.path.join(dist, "sub"))
    with open(os.path.join(dist, "index.html"), "w") as f:
        f.write('<!doctype html><meta http-equiv="Content-Security-Policy" content="%s"><p>tcpviz page</p>' % CSP)
    with open(os.path.join(dist, "tcpviz.js"), "w") as f:
        f.write("console.log('page');\n")
    with open(os.path.join(dist, "sub", "deep.css"), "w") as f:
        f.write("p{}\n")
    os.symlink(secret_file, os.path.join(dist, "outside.txt"))
    return root


class Server:
    """`tcpviz serve` on a free port of 127.0.0.1, stopped with SIGTERM."""

    def __init__(self, args, web_dir, env=None):
        full_env = dict(os.environ, TCPVIZ_WEB_DIR=web_dir)
        full_env.update(env or {})
        self.proc = subprocess.Popen([TCPVIZ, "serve", "--port", "0", "-q"] + args, env=full_env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"tcpviz serve: http://([\d.]+):(\d+)/", line)
        if not m:
            self.proc.kill()
            raise AssertionError("serve did not start: %r %r" % (line, self.proc.stderr.read()))
        self.host, self.port = m.group(1), int(m.group(2))

    def request(self, path, method="GET", body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        finally:
            conn.close()

    def get_json(self, path, expect=200):
        status, headers, body = self.request(path)
        if status != expect:
            raise AssertionError("%s: status %d, expected %d: %r" % (path, status, expect, body[:300]))
        assert headers["content-type"].startswith("application/json"), headers
        return json.loads(body)

    def wait_ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            sessions = self.get_json("/api/sessions")
            if all(s["ready"] or "error" in s for s in sessions):
                return sessions
            time.sleep(0.05)
        raise AssertionError("sessions not indexed in %d s" % timeout)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("serve did not stop on SIGTERM")
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode


def analyze(capture):
    r = subprocess.run([TCPVIZ, "analyze", capture, "-q"], capture_output=True, timeout=300)
    # A damaged capture still gives its timeline (exit 2 with the error line).
    assert r.stdout, r.stderr
    return json.loads(r.stdout)
