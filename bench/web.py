"""Benchmark of the public pages: requests per second and latency with wrk, side by side with
two ceilings measured in the same run on the same machine.

Run through `make bench` (BENCH=web). It owns the database named in DATABASE_URL (dropped and
created again; the name must contain "bench") and the Redis database in BENCH_WEB_CACHE_URL
(flushed). What runs, each on a free local port:

- "app cached": gunicorn with production settings (DEBUG off, collected static files, Redis
  cache, PostgreSQL) and the page cache on (PAGE_CACHE=on);
- "app uncached": the same with PAGE_CACHE=off;
- "hello": bench/hello_wsgi.py under the same gunicorn command (the server's ceiling);
- one nginx (run in the foreground from a temporary directory) with two servers: the post's
  HTML saved as a static file (the static-file ceiling), and deploy/nginx/cancerblog.conf
  rendered with the bench's ports and paths in front of "app cached" (the front cache).

Environment knobs: BENCH_WEB_SECONDS (each wrk run, default 10), BENCH_WEB_CONNECTIONS
(default "8,32"), BENCH_WEB_SOAK_SECONDS (default 60) and BENCH_WEB_SOAK_CONNECTIONS (default
64) for the error-free run on the uncached post, BENCH_WEB_WORKERS (gunicorn workers, default
2 x cores + 1), BENCH_WEB_COMMENTS (approved comments on the measured post, default 200),
BENCH_WEB_CACHE_URL (default redis://127.0.0.1:6379/14), BENCH_WEB_PROFILE=1 (print a
pyinstrument profile of one uncached render of the post), BENCH_WEB_LOG_LEVEL (the servers'
LOG_LEVEL, default INFO as in production: the request log is part of what is measured).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.alerts import _proc, recreate_database  # noqa: E402

CORES = os.cpu_count() or 1
NGINX_CONF = ROOT / "deploy" / "nginx" / "cancerblog.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def _knob(name, default, kind=int):
    return kind(os.environ.get(name, default))


def _ints(name, default):
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- content ---------------------------------------------------------------------------------


def seed(comment_count):
    """Demo content, plus `comment_count` approved comments (a quarter of them replies) on
    the first demo post that has a hero image. Returns the URLs to measure."""
    from django.core.management import call_command
    from django.utils import timezone

    from blog.models import PostPage, Topic
    from comments.models import Comment, Commenter
    from demo.seed import seed_demo

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    seed_demo()
    post = PostPage.objects.live().filter(hero_image__isnull=False).order_by("pk").first()
    have = Comment.objects.visible().filter(post=post).count()
    now = timezone.now()
    people = Commenter.objects.bulk_create(
        Commenter(email=f"reader{n}@example.org", name=f"Reader {n}", confirmed_at=now)
        for n in range(20)
    )
    last_top = None
    for n in range(max(comment_count - have, 0)):
        reply = n % 4 == 3 and last_top is not None
        comment = Comment.objects.create(
            post=post,
            parent=last_top if reply else None,
            commenter=people[n % len(people)],
            author_name=people[n % len(people)].name,
            body=f"Comment {n}: thank you for this clear explanation. " * 3,
            status=Comment.Status.APPROVED,
            created_at=now - timezone.timedelta(minutes=comment_count - n),
            approved_at=now,
        )
        if not reply:
            last_top = comment
    topic = Topic.objects.filter(posts__isnull=False).order_by("pk").first()
    if topic is None:
        topic = Topic.objects.order_by("pk").first()
    return {
        "home": "/",
        "post": post.url,
        "topic": topic.get_absolute_url(),
        "rss": "/feed/",
        "search": "/search/?q=cancer",
    }


def staff_session(post_url, revisions):
    """`revisions` saved revisions of the measured post (small edits, as an editor makes), and a
    superuser signed in with a confirmed second factor. Returns the session cookie's name and
    value, and the path of the post's edit view in Wagtail's admin."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from blog.models import PostPage
    from users.twofactor import HAS_DEVICE_SESSION_KEY

    post = next(p for p in PostPage.objects.live().specific() if p.url == post_url)
    user = get_user_model().objects.create_superuser("bench-editor", "editor@example.org", "pw")
    for n in range(revisions):
        post.standfirst = f"{post.standfirst.split(' (draft ')[0]} (draft {n})"
        post.save_revision(user=user, log_action=True)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAS_DEVICE_SESSION_KEY] = True
    session.save()
    return settings.SESSION_COOKIE_NAME, session.session_key, f"/admin/pages/{post.pk}/edit/"


def time_staff_page(url, cookie, count):
    """Sequential GETs of a signed-in page: p50 and max in ms (two first, not counted)."""
    request = urllib.request.Request(url, headers={"Cookie": f"{cookie[0]}={cookie[1]}"})
    times = []
    for n in range(count + 2):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            if response.status != 200 or response.url != url:
                raise RuntimeError(f"{url} answered {response.status} at {response.url}")
        if n >= 2:
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[-1]


def query_counts(urls):
    """Queries per page through Django's test client with the page cache on: the first view
    after the cache is cleared (cold) and the next one (warm)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for url in urls.values():
        client.get(url)  # image renditions are made on a page's first view, ever
    counts = {}
    cache.clear()
    for name, url in urls.items():
        results = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            if status != 200:
                raise RuntimeError(f"{url} answered {status} to the test client")
            results.append(len(queries))
        counts[name] = tuple(results)
    return counts


def profile_post(url):
    """Twenty renders of the post under pyinstrument with the page cache off, printed twice:
    as the "app uncached" server renders it (the fragment and comment-thread caches warm), then
    with the cache emptied before each render (the first view after a change)."""
    from django.core.cache import cache
    from django.test import Client, override_settings
    from pyinstrument import Profiler

    client = Client()
    with override_settings(PAGE_CACHE=False):
        client.get(url)
        for label, clear in (("warm", False), ("cold: cache emptied before each", True)):
            profiler = Profiler(interval=0.0005)
            with profiler:
                for _ in range(20):
                    if clear:
                        cache.clear()
                    client.get(url)
            print(f"--- twenty uncached renders of the post, {label}")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


# --- servers ---------------------------------------------------------------------------------


def ensure_tools():
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing:
        sys.exit(f"{' and '.join(missing)} not found (make bench installs them with apt-get).")


def wait_until_up(port, path="/", timeout=90, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port} within {timeout} s")


class Gunicorn:
    def __init__(self, name, app, env, workers, logs):
        self.name = name
        self.port = free_port()
        self.log = open(logs / f"gunicorn-{name}.log", "w")  # noqa: SIM115
        # The production configuration, with the bench's port and worker count.
        command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
        command += ["--workers", str(workers), "--bind", f"127.0.0.1:{self.port}"]
        command += ["--backlog", "2048", "--log-level", "warning", app]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def peak_rss_mb(self):
        """Highest and mean VmHWM (peak resident memory) over the workers, in MB."""
        peaks = [_proc(pid, "VmHWM") / 1024 for pid in self.workers()]
        return max(peaks), sum(peaks) / len(peaks)

    def cpu(self):
        total = 0.0
        for pid in self.workers():
            try:
                total += _proc(pid, "cpu")
            except FileNotFoundError:  # a worker replaced after max_requests
                pass
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def settle(servers, timeout=60):
    """Wait until no gunicorn worker uses the CPU: when wrk stops, the requests it left queued
    are still being served, and would slow the next run down."""
    deadline = time.monotonic() + timeout
    before = sum(server.cpu() for server in servers)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = sum(server.cpu() for server in servers)
        if now - before < 0.02:
            return
        before = now


def render_front_conf(port, app_port, static_root, media_root, cache_dir, log_dir):
    """deploy/nginx/cancerblog.conf with the bench's ports and paths in place of production's."""
    text = NGINX_CONF.read_text()
    for old, new in [
        ("/var/log/nginx/cancerblog.access.log", f"{log_dir}/access.log"),
        ("/var/log/nginx/cancerblog.error.log", f"{log_dir}/error.log"),
        ("proxy_cache_path /var/cache/nginx/cancerblog ", f"proxy_cache_path {cache_dir} "),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server_name blog.example.org;", "server_name 127.0.0.1 localhost;"),
        ("alias /srv/cancerblog/var/static/;", f"alias {static_root}/;"),
        ("alias /srv/cancerblog/var/media/;", f"alias {media_root}/;"),
    ]:
        if text.count(old) != 1:
            raise RuntimeError(f"{NGINX_CONF} no longer has {old!r} exactly once")
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx in the foreground from a temporary directory: a static-file server and the
    shipped front-cache configuration. As root, it runs as `nobody` (no privileges)."""

    def __init__(self, work, app_port, static_root, media_root, html, edit=None):
        self.static_port, self.front_port = free_port(), free_port()
        base = work / "nginx"
        (base / "html").mkdir(parents=True)
        (base / "html" / "post.html").write_bytes(html)
        front = render_front_conf(
            self.front_port, app_port, static_root, media_root, base / "cache", base / "logs"
        )
        (base / "front.conf").write_text(edit(front) if edit else front)
        self.logs = base / "logs"
        self.logs.mkdir()
        temp = base / "temp"
        temp.mkdir()
        (base / "nginx.conf").write_text(
            f"""worker_processes {CORES};
daemon off;
pid {base}/nginx.pid;
error_log {base}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush off;  # as cancerblog.conf has it for pages, so both servers are alike
    keepalive_requests 100000;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    server {{
        listen 127.0.0.1:{self.static_port};
        root {base}/html;
        location / {{ try_files $uri =404; }}
    }}
    include {base}/front.conf;
}}
"""
        )
        command = ["nginx", "-p", str(base), "-c", str(base / "nginx.conf"), "-e", "stderr"]
        if os.geteuid() == 0:
            shutil.chown(base, "nobody", "nogroup")
            for path in base.rglob("*"):
                shutil.chown(path, "nobody", "nogroup")
            command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] + command
        self.log = open(work / "nginx.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_up(self.static_port, "/post.html", process=self.process)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- wrk -------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, connections, seconds):
    """Requests/s, p50 and p99 latency (ms), non-2xx/3xx responses and socket errors (a
    response slower than BENCH_WEB_TIMEOUT seconds counts as an error)."""
    threads = min(connections, CORES)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    command += ["--timeout", f"{_knob('BENCH_WEB_TIMEOUT', '10')}s"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rate": rate,
        "requests": done,
        "p50": p50,
        "p99": p99,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket": sum(int(n) for n in sockets.groups()) if sockets else 0,
    }


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


# --- the report ------------------------------------------------------------------------------


def _row(label, page, conns, result, ratio=None):
    ratio_text = f"{ratio:5.2f}" if ratio is not None else ""
    errors = result["non2xx"] + result["socket"]
    return (
        f"{label:<18} {page:<7} {conns:>5} {result['rate']:>9.0f} {result['p50']:>8.1f} "
        f"{result['p99']:>8.1f} {errors:>7}  {ratio_text}"
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cancerblog.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (make bench does).")
    ensure_tools()
    os.chdir(ROOT)
    seconds = _knob("BENCH_WEB_SECONDS", "10")
    connection_counts = _ints("BENCH_WEB_CONNECTIONS", "8,32")
    soak_seconds = _knob("BENCH_WEB_SOAK_SECONDS", "60")
    soak_connections = _knob("BENCH_WEB_SOAK_CONNECTIONS", "64")
    workers = _knob("BENCH_WEB_WORKERS", str(2 * CORES + 1))
    comment_count = _knob("BENCH_WEB_COMMENTS", "200")
    cache_url = os.environ.get("BENCH_WEB_CACHE_URL", "redis://127.0.0.1:6379/14")
    begun = time.monotonic()

    # A SIGTERM (a CI timeout) stops the servers and removes the files like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    work.chmod(0o755)
    servers = []
    try:
        os.environ.update(
            DEBUG="0",
            CACHE_URL=cache_url,
            PAGE_CACHE="on",
            STATIC_ROOT=str(work / "static"),
            MEDIA_ROOT=str(work / "media"),
            PRIVATE_MEDIA_ROOT=str(work / "private"),
        )
        import redis

        redis.Redis.from_url(cache_url).flushdb()
        recreate_database(os.environ["DATABASE_URL"])
        import django

        django.setup()
        print("… seeding the demo site and the commented post", flush=True)
        urls = seed(comment_count)
        print(f"… counting queries per page ({time.monotonic() - begun:.0f} s)", flush=True)
        queries = query_counts(urls)
        revisions = _knob("BENCH_WEB_REVISIONS", "50")
        *staff_cookie, edit_path = staff_session(urls["post"], revisions)
        print(f"… starting the servers ({time.monotonic() - begun:.0f} s)", flush=True)
        if os.environ.get("BENCH_WEB_PROFILE"):
            profile_post(urls["post"])
        from django.db import connections

        connections.close_all()

        # The servers log as production does: one JSON line per request (core.requestlog), to
        # their log files here. Seeding above stays quiet.
        env = {**os.environ, "LOG_LEVEL": os.environ.get("BENCH_WEB_LOG_LEVEL", "INFO")}
        cached = Gunicorn("cached", "cancerblog.wsgi:application", env, workers, work)
        servers.append(cached)
        uncached = Gunicorn(
            "uncached", "cancerblog.wsgi:application", {**env, "PAGE_CACHE": "off"}, workers, work
        )
        servers.append(uncached)
        hello = Gunicorn("hello", "bench.hello_wsgi:application", env, workers, work)
        servers.append(hello)
        for server in (cached, uncached, hello):
            wait_until_up(server.port, process=server.process)

        def app(server, name):
            return f"http://127.0.0.1:{server.port}{urls[name]}"

        status, _, html = fetch(app(uncached, "post"))
        # The post's own bytes from the same do-nothing app: how much of the post's distance
        # from hello is only its size (209 KB against 57 bytes).
        post_body = work / "post-body.html"
        post_body.write_bytes(html)
        hello_post = Gunicorn(
            "hello-post",
            "bench.hello_wsgi:application",
            {**env, "BENCH_HELLO_BODY": str(post_body)},
            workers,
            work,
        )
        servers.append(hello_post)
        wait_until_up(hello_post.port, process=hello_post.process)
        nginx = Nginx(work, cached.port, work / "static", work / "media", html)
        servers.append(nginx)
        front = f"http://127.0.0.1:{nginx.front_port}"

        # Every page answers 200 everywhere before anything is timed; the front cache says
        # whether it stores each page (HIT on the second look) and why not if it does not.
        front_status, cache_control = {}, {}
        for name, path in urls.items():
            for base in (app(cached, name), app(uncached, name), front + path):
                status, headers, _ = fetch(base)
            fetch(front + path)
            _, headers, _ = fetch(front + path)
            front_status[name] = headers.get("X-Cache-Status", "-")
            _, headers, _ = fetch(app(cached, name))
            cache_control[name] = headers.get("Cache-Control", "-")

        # Each worker compiles its templates and opens its connections on its first requests:
        # warm every server on every page before anything is timed.
        apps = (cached, uncached, hello, hello_post)
        print("… warming up every server on every page", flush=True)
        wrk(f"http://127.0.0.1:{hello.port}/", workers, 1)
        wrk(f"http://127.0.0.1:{hello_post.port}/", workers, 1)
        wrk(f"http://127.0.0.1:{nginx.static_port}/post.html", workers, 1)
        for name, path in urls.items():
            for url in (app(cached, name), app(uncached, name), front + path):
                wrk(url, workers, 2)
                settle(apps)

        rows, results = [], {}

        def run(label, page, url, conns, ratio_to=None):
            settle(apps)
            result = wrk(url, conns, seconds)
            results[label, page, conns] = result
            ratio = None
            if ratio_to is not None:
                ratio = result["rate"] / results[ratio_to + (conns,)]["rate"]
            rows.append(_row(label, page, conns, result, ratio))
            print(rows[-1], flush=True)

        header = (
            f"{'server':<18} {'page':<7} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'errors':>7}  ratio"
        )
        print(header, flush=True)
        for conns in connection_counts:
            run("hello (ceiling)", "-", f"http://127.0.0.1:{hello.port}/", conns)
            run("hello, post bytes", "post", f"http://127.0.0.1:{hello_post.port}/", conns)
            run("nginx static", "post", f"http://127.0.0.1:{nginx.static_port}/post.html", conns)
        for name in urls:
            for conns in connection_counts:
                run("app cached", name, app(cached, name), conns, ("hello (ceiling)", "-"))
                run("app uncached", name, app(uncached, name), conns)
                run("nginx front cache", name, front + urls[name], conns, ("nginx static", "post"))

        print(f"… {soak_connections} connections for {soak_seconds} s on the uncached post")
        settle(apps)
        soak = wrk(app(uncached, "post"), soak_connections, soak_seconds)
        rows.append(_row("app uncached soak", "post", soak_connections, soak))
        settle(apps)
        print("… the post's edit view in the admin, signed in", flush=True)
        edit_p50, edit_max = time_staff_page(
            f"http://127.0.0.1:{uncached.port}{edit_path}", staff_cookie, 20
        )
        rss = {server.name: server.peak_rss_mb() for server in (cached, uncached, hello)}
    except Exception:
        for log in sorted(work.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        for server in reversed(servers):
            server.stop()
        shutil.rmtree(work, ignore_errors=True)

    width = len(header)
    print()
    print(
        f"Web pages on PostgreSQL, gunicorn {workers} sync workers on {CORES} cores, "
        f"wrk {seconds} s per row; ratio = req/s over the ceiling at the same connections."
    )
    print(header)
    print("-" * width)
    print("\n".join(rows))
    print("-" * width)
    print(f"{'page':<8} {'URL':<48} {'queries cold/warm':>17}  {'front cache':<11} Cache-Control")
    for name, url in urls.items():
        cold, warm = queries[name]
        print(
            f"{name:<8} {url[:48]:<48} {f'{cold} / {warm}':>17}  {front_status[name]:<11} "
            f"{cache_control[name]}"
        )
    print(
        f"admin edit view of the post ({comment_count} comments, {revisions} revisions), "
        f"signed in, 20 sequential GETs: p50 {edit_p50:.0f} ms, max {edit_max:.0f} ms"
    )
    print(
        "peak RSS per worker (max / mean MB): "
        + ", ".join(f"{name} {high:.0f} / {mean:.0f}" for name, (high, mean) in rss.items())
    )
    print()

    top = max(connection_counts)
    hello_rate = results["hello (ceiling)", "-", top]["rate"]
    aims = []
    ratios = {name: results["app cached", name, top]["rate"] / hello_rate for name in urls}
    worst = min(ratios, key=ratios.get)
    aims.append(
        (
            f"every cached page via app / hello at {top} conns ≥ 0.5 (worst: {worst})",
            ratios[worst],
            ratios[worst] >= 0.5,
        )
    )
    same_bytes = (
        results["app cached", "post", top]["rate"]
        / results["hello, post bytes", "post", top]["rate"]
    )
    aims.append(
        (
            f"  (for reading the above: cached post via app / hello serving the post's "
            f"{len(html):,} bytes, at {top} conns; no aim)",
            same_bytes,
            None,
        )
    )
    slowest = max(
        ((name, conns) for name in urls for conns in connection_counts),
        key=lambda key: results["app cached", key[0], key[1]]["p99"],
    )
    p99 = results["app cached", *slowest]["p99"]
    aims.append(
        (
            f"cached pages via app p99 < 50 ms at every connection count "
            f"(worst: {slowest[0]} at {slowest[1]}, {p99:.1f} ms)",
            None,
            p99 < 50,
        )
    )
    ratio = (
        results["nginx front cache", "post", top]["rate"]
        / results["nginx static", "post", top]["rate"]
    )
    aims.append(
        (f"post behind nginx cache / static nginx at {top} conns ≥ 0.8", ratio, ratio >= 0.8)
    )
    uncached_post = results["app uncached", "post", top]
    ok = uncached_post["rate"] >= 300 and uncached_post["p99"] < 150
    aims.append(
        (
            f"uncached {comment_count}-comment post at {top} conns ≥ 300 req/s, p99 < 150 ms: "
            f"{uncached_post['rate']:.0f} req/s, p99 {uncached_post['p99']:.0f} ms",
            None,
            ok,
        )
    )
    for names, floor in ((("home", "topic", "rss"), 180), (("search",), 100)):
        rates = {name: results["app uncached", name, top]["rate"] for name in names}
        text = ", ".join(f"{name} {rate:.0f}" for name, rate in rates.items())
        aims.append(
            (
                f"uncached {' / '.join(names)} at {top} conns ≥ {floor} req/s: {text}",
                None,
                min(rates.values()) >= floor,
            )
        )
    row_errors = sum(r["non2xx"] + r["socket"] for r in results.values())
    errors = soak["non2xx"] + soak["socket"]
    aims.append(
        (
            f"zero errors: {row_errors} in the timed rows; uncached post, {soak_connections} "
            f"conns for {soak_seconds} s: {errors} errors "
            f"({soak['rate']:.0f} req/s, p99 {soak['p99']:.0f} ms)",
            None,
            errors == 0 and row_errors == 0 and soak["requests"] > 0,
        )
    )
    aims.append(
        (
            f"admin edit view of the post, signed in, p50 < 300 ms: {edit_p50:.0f} ms",
            None,
            edit_p50 < 300,
        )
    )
    print("Aims:")
    for text, value, met in aims:
        value_text = f" {value:.2f}" if value is not None else ""
        verdict = "" if met is None else ("  met" if met else "  NOT met")
        print(f"  {text}{value_text}{verdict}")
    print(f"\nload average {os.getloadavg()[0]:.2f}; whole run {time.monotonic() - begun:.0f} s")


if __name__ == "__main__":
    main()
