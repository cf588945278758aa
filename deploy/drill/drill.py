#!/usr/bin/env python3
"""ConsentHub failover drill, all on loopback: a PostgreSQL primary and a synchronous hot standby, a pgBackRest
repository with WAL archiving, three app hosts behind nginx, and bounded load (answers recorded through the API,
which is the same append-only write a signing POST makes, and consent checks). It injects the faults of
docs/OPERATIONS.md and prints a table of what happened. Run it with ./build.sh drill (as root on a fresh machine:
it installs nginx, pgbackrest and postgresql). Nothing here is used by the app itself.

A teacher's Check page, open in the machine's Chromium through nginx (tests/ConsentHub.Drills), is on the host that
is killed: the drill measures how long until it is usable again on a live host and that it shows current data.
DRILL_FAULTS=host,rolling,restore,primary (the default: all four) runs only some of the faults."""
import json, os, queue, random, re, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error, uuid
from datetime import datetime, timezone

# Under TMPDIR (or DRILL_DIR): the folder is deleted at the start of a run, so two people's drills must not share it.
ROOT = os.path.abspath(os.environ.get("DRILL_DIR", os.path.join(tempfile.gettempdir(), "consenthub-drill")))
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PGBIN = sorted(p for p in (f"/usr/lib/postgresql/{v}/bin" for v in os.listdir("/usr/lib/postgresql")) if os.path.exists(p + "/initdb"))[-1]
PRIMARY, STANDBY, RESTORED = 55432, 55433, 55434
HOSTS = [5201, 5202, 5203]
NGINX_PORT = 5200
BASE = f"http://127.0.0.1:{NGINX_PORT}"
AS_PG = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
FAULTS = set(os.environ.get("DRILL_FAULTS", "host,rolling,restore,primary").split(","))
WORDS = {"allowed": "Yes — may be featured", "notallowed": "No — do not feature"}   # the Check page's words (CheckCardView)
TEACHER = ("teacher@demo.consenthub.test", "demo-only-Consent-2026")            # the demo staff (SeedDemoStaff)
procs = {}


def log(msg):
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, check=True, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r


def pg(*args, check=True):
    return run(AS_PG + list(args), check=check)


def psql(port, sql, db="consenthub"):
    r = pg(f"{PGBIN}/psql", "-h", f"{ROOT}/sock", "-p", str(port), "-d", db, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql)
    return r.stdout.strip()


def backrest(*args):
    return pg("pgbackrest", f"--config={ROOT}/pgbackrest.conf", "--stanza=consenthub", *args)


# ---------------------------------------------------------------- PostgreSQL: primary, standby, pgBackRest
def setup_database():
    for d in ("sock", "repo", "log", "lock", "spool"):
        os.makedirs(f"{ROOT}/{d}", exist_ok=True)
    with open(f"{ROOT}/pgbackrest.conf", "w") as f:
        f.write(open(f"{REPO}/deploy/pgbackrest/pgbackrest.conf").read()
                .replace("/var/lib/pgbackrest", f"{ROOT}/repo").replace("/var/log/pgbackrest", f"{ROOT}/log")
                .replace("/tmp/pgbackrest", f"{ROOT}/lock").replace("/var/spool/pgbackrest", f"{ROOT}/spool")
                .replace("/var/lib/postgresql/15/main", f"{ROOT}/primary").replace("/var/run/postgresql", f"{ROOT}/sock")
                .replace("pg1-port=5432", f"pg1-port={PRIMARY}"))
    if os.geteuid() == 0:
        run(["chown", "-R", "postgres:postgres", ROOT])
    pg(f"{PGBIN}/initdb", "-D", f"{ROOT}/primary", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    conf = open(f"{REPO}/deploy/postgresql/primary.conf").read()
    conf = conf.replace("--config=/etc/pgbackrest/pgbackrest.conf", f"--config={ROOT}/pgbackrest.conf")
    # Synchronous only once the standby streams (below); before that every commit would wait for it.
    conf = conf.replace("synchronous_standby_names = 'standby1'", "synchronous_standby_names = ''")
    with open(f"{ROOT}/primary/postgresql.conf", "a") as f:
        f.write(conf + f"\nport = {PRIMARY}\nunix_socket_directories = '{ROOT}/sock'\nlisten_addresses = '127.0.0.1'\n")
    with open(f"{ROOT}/primary/pg_hba.conf", "a") as f:
        f.write("host replication replicator 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n")
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/primary", "-l", f"{ROOT}/log/primary.log", "-w", "start")
    psql(PRIMARY, "CREATE ROLE replicator WITH REPLICATION LOGIN", db="postgres")
    psql(PRIMARY, "CREATE DATABASE consenthub", db="postgres")
    psql(PRIMARY, "SELECT pg_create_physical_replication_slot('standby1');", db="postgres")
    backrest("stanza-create")
    backrest("check")
    # The standby: a base backup with the slot, then streaming; the primary waits for it (synchronous commit).
    pg(f"{PGBIN}/pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY), "-U", "replicator", "-D", f"{ROOT}/standby",
       "-R", "-S", "standby1", "-X", "stream")
    # pg_basebackup -R wrote primary_conninfo into postgresql.auto.conf, which wins over postgresql.conf: the
    # standby's name (which synchronous_standby_names refers to) has to go there, after it.
    with open(f"{ROOT}/standby/postgresql.auto.conf", "a") as f:
        f.write(f"\nport = {STANDBY}\nprimary_conninfo = 'host=127.0.0.1 port={PRIMARY} user=replicator application_name=standby1'\n"
                "primary_slot_name = 'standby1'\nhot_standby = on\n")
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/standby", "-l", f"{ROOT}/log/standby.log", "-w", "start")
    psql(PRIMARY, "ALTER SYSTEM SET synchronous_standby_names = 'standby1'", db="postgres")
    psql(PRIMARY, "SELECT pg_reload_conf()", db="postgres")
    deadline = time.time() + 30
    while psql(PRIMARY, "SELECT coalesce(string_agg(sync_state, ','), '') FROM pg_stat_replication", db="postgres") != "sync":
        if time.time() > deadline:
            raise RuntimeError("The standby never became synchronous")
        time.sleep(0.5)
    log("primary + synchronous standby streaming; pgBackRest stanza created")


# ---------------------------------------------------------------- app hosts and nginx
def conn_string():
    return (f"Host=127.0.0.1:{PRIMARY},127.0.0.1:{STANDBY};Database=consenthub;Username=postgres;"
            "Target Session Attributes=primary;Timeout=3;Command Timeout=30;Host Recheck Seconds=1;Maximum Pool Size=25")


def start_host(port, migrate=False):
    env = dict(os.environ,
               ASPNETCORE_ENVIRONMENT="Development",   # loads the demo trust and prints its API key on first start
               ASPNETCORE_URLS=f"http://127.0.0.1:{port}",
               ConnectionStrings__ConsentHub=conn_string(),
               Database__MigrateOnStartup="true" if migrate else "false",
               Observability__KnownProxies__0="127.0.0.1",
               StaffSignIn__SecureCookies="false",
               Signing__RequestsPerIpPerMinute="100000",
               Email__PickupDirectory=f"{ROOT}/maildrop-{port}",
               Logging__Console__FormatterName="json")
    out = open(f"{ROOT}/log/host-{port}.log", "a")
    procs[port] = subprocess.Popen([f"{ROOT}/app/ConsentHub.Web"], cwd=f"{ROOT}/app", env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_ready(port)


def wait_ready(port, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=3) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if procs[port].poll() is not None:
            raise RuntimeError(f"host {port} exited; see {ROOT}/log/host-{port}.log")
        time.sleep(0.5)
    raise RuntimeError(f"host {port} not ready in {timeout} s")


def start_nginx():
    conf = open(f"{REPO}/deploy/nginx/drill.conf").read().replace("@ROOT@", ROOT).replace("@REPO@", REPO)
    with open(f"{ROOT}/nginx.conf", "w") as f:
        f.write(conf)
    os.makedirs(f"{ROOT}/nginx", exist_ok=True)
    run(["nginx", "-p", f"{ROOT}/nginx", "-c", f"{ROOT}/nginx.conf"])


def api_key():
    text = open(f"{ROOT}/log/host-{HOSTS[0]}.log").read()
    m = re.search(r"Demo API key \(trust-wide, shown once\): (\S+)", text)
    if not m:
        raise RuntimeError("The first host did not print the demo API key")
    return m.group(1)


# ---------------------------------------------------------------- load
class Load:
    """Writers record answers (one request id each, in the note, so duplicates are countable); readers check
    pupils. Every outcome is kept with its time, so a phase's failures are read off afterwards."""

    def __init__(self, key, targets, writers=6, readers=4):
        self.key, self.targets = key, targets
        self.results = []          # (time, kind, ok, status, request id, answer id)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.writer, daemon=True) for _ in range(writers)]
        self.threads += [threading.Thread(target=self.reader, daemon=True) for _ in range(readers)]

    def request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"X-Api-Key": self.key, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return 0, b""

    def writer(self):
        while not self.stop.is_set():
            pupil, contact, purpose = random.choice(self.targets)
            rid = str(uuid.uuid4())
            status, body = self.request("POST", f"/api/v1/pupils/{pupil}/consent-answers", {
                "purpose": purpose, "party": "contact", "contactId": contact, "answer": random.choice(["grant", "refuse"]),
                "method": "paper", "attested": True, "recordedBy": "failover drill",
                "at": datetime.now(timezone.utc).isoformat(), "note": "drill " + rid})
            answer = json.loads(body).get("answerId") if status == 201 else None
            with self.lock:
                self.results.append((time.time(), "write", status == 201, status, rid, answer))

    def reader(self):
        while not self.stop.is_set():
            pupil, _, _ = random.choice(self.targets)
            status, _ = self.request("GET", f"/api/v1/pupils/{pupil}/consent")
            with self.lock:
                self.results.append((time.time(), "read", status == 200, status, None, None))

    def start(self):
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def window(self, start, end):
        with self.lock:
            return [r for r in self.results if start <= r[0] <= end]


def pick_targets(key):
    load = Load(key, [])
    status, body = load.request("GET", "/api/v1/summary")
    summary = json.loads(body) if status == 200 else []
    academies = [a["academyId"] for a in (summary if isinstance(summary, list) else summary.get("academies", []))]
    targets = []
    for academy in academies[:3]:
        status, body = load.request("GET", f"/api/v1/academies/{academy}/roster")
        for p in json.loads(body)["pupils"][:60]:
            for purpose in p["purposes"][:2]:
                for party in purpose["parties"]:
                    if str(party["kind"]).lower() in ("contact", "1") and party.get("contactId"):
                        targets.append((p["pupilId"], party["contactId"], purpose["purpose"]))
    if not targets:
        raise RuntimeError("No pupil with a contact who may answer was found through the API")
    return targets, academies


def summarise(load, name, start, end, extra=None):
    rows = load.window(start, end)
    failed = [r for r in rows if not r[2]]
    row = {"fault": name, "requests": len(rows), "failures": len(failed),
           "failed writes": sum(1 for r in failed if r[1] == "write"), "failed reads": sum(1 for r in failed if r[1] == "read")}
    row.update(extra or {})
    log(f"{name}: {row}")
    return row


# ---------------------------------------------------------------- a teacher's page in a browser
def api(key, method, path, body=None):
    return Load(key, []).request(method, path, body)


def record_answer(key, watched, contact, answer):
    """A staff-entered answer through nginx (the other path than the teacher's page); returns the purpose's status."""
    pupil, purpose = watched["pupil"], watched["purpose"]
    status, body = api(key, "POST", f"/api/v1/pupils/{pupil}/consent-answers", {
        "purpose": purpose, "party": "contact", "contactId": contact, "answer": answer, "method": "paper",
        "attested": True, "recordedBy": "failover drill (circuit)", "at": datetime.now(timezone.utc).isoformat(),
        "note": "circuit check " + str(uuid.uuid4())})
    if status != 201:
        raise RuntimeError(f"Recording the watched pupil's answer answered {status}: {body[:300]!r}")
    return str(json.loads(body)["consent"]["status"]).lower()


def pick_watched_pupil(key, targets):
    """A pupil of the demo teacher's academy (the first by code) whom the load never writes to, with a consent purpose
    (the academy website) that only contacts answer; every contact grants it, so the Check page starts at "Yes"."""
    academy = psql(PRIMARY, "SELECT id FROM consenthub.academies ORDER BY code LIMIT 1")
    status, body = api(key, "GET", f"/api/v1/academies/{academy}/roster")
    if status != 200:
        raise RuntimeError(f"The teacher's academy roster answered {status}")
    busy = {t[0] for t in targets}
    tried = 0
    for p in reversed(json.loads(body)["pupils"]):
        if p["pupilId"] in busy or p["doNotFeature"] or not p.get("registrationGroup"):
            continue
        purpose = next((x for x in p["purposes"] if x["purpose"] == "academy-website"), None)
        parties = purpose["parties"] if purpose else []
        if not parties or any(str(x["kind"]).lower() != "contact" or not x.get("contactId") for x in parties):
            continue
        watched = {"pupil": p["pupilId"], "name": p["name"], "class": p["registrationGroup"],
                   "purpose": purpose["purpose"], "purposeName": purpose["purposeName"], "contact": parties[0]["contactId"]}
        for party in parties:
            now = record_answer(key, watched, party["contactId"], "grant")
        if now == "allowed":
            return watched
        tried += 1
        if tried == 5:
            break
    raise RuntimeError("No pupil of the teacher's academy could be given an allowed academy-website purpose by its contacts")


class Probe:
    """tests/ConsentHub.Drills in its own process: reports DRILL {json} lines, takes commands on its input."""

    def __init__(self, probe_dir, watched):
        self.events = queue.Queue()
        self.out = open(f"{ROOT}/log/probe.log", "a")
        self.proc = subprocess.Popen(
            ["dotnet", f"{probe_dir}/ConsentHub.Drills.dll", "circuit", "--base", BASE + "/",
             "--email", TEACHER[0], "--password", TEACHER[1], "--pupil", watched["pupil"], "--class", watched["class"],
             "--purpose", watched["purposeName"], "--before", WORDS["allowed"], "--after", WORDS["notallowed"],
             "--again", WORDS["allowed"], "--screenshots", f"{ROOT}/log"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.out, text=True, bufsize=1)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.proc.stdout:
            self.out.write(line)
            self.out.flush()
            if line.startswith("DRILL "):
                self.events.put(json.loads(line[6:]))
        self.events.put({"event": "exited", "code": self.proc.wait()})

    def wait(self, name, timeout):
        """The named event; a 'failed' or 'exited' one (or None after the timeout) ends the wait too."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                e = self.events.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                break
            if e["event"] in (name, "failed", "exited"):
                return e
        return None

    def send(self, line):
        try:
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


NGINX_LINE = re.compile(r'^(?P<msec>\S+) (?P<status>\d+) "(?P<request>[^"]*)" upstream=(?P<upstream>.*?) route=(?P<route>\S+)( rt=\S+)?$')


def pinned_host(route, after=0.0, before=None):
    """The host that last answered this browser's Blazor negotiation (its circuit's host) in nginx's log."""
    found = None
    for line in open(f"{ROOT}/log/nginx-access.log"):
        m = NGINX_LINE.match(line.strip())
        if not m or m["route"] != route or not m["request"].startswith("POST /_blazor/negotiate") or m["status"] != "200":
            continue
        at = float(m["msec"])
        if at < after or (before is not None and at > before):
            continue
        found = int(m["upstream"].split(",")[-1].strip().rsplit(":", 1)[1])
    return found


# ---------------------------------------------------------------- faults
def kill_one_host(load, key, probe_dir, watched):
    """kill -9 the host a teacher's open Check page is pinned to; its circuit must come back on a live host."""
    start = time.time()
    probe = Probe(probe_dir, watched)
    circuit = {"fault": "open teacher's page (Check, photo session) on the killed host", "requests": 1, "failures": 1,
               "circuits on the dead host": 0, "reconnected": 0}
    try:
        ready = probe.wait("ready", 300)
        if not ready or ready["event"] != "ready":
            raise RuntimeError(f"The teacher's page never opened: {ready}")
        time.sleep(max(0.0, start + 5 - time.time()))
        victim = pinned_host(ready["route"], before=time.time())
        if victim not in HOSTS:
            raise RuntimeError(f"nginx's log does not say which host the page is on (route {ready['route']})")
        circuit["circuits on the dead host"] = 1
        procs[victim].send_signal(signal.SIGKILL)
        killed_at = time.time()
        procs[victim].wait()
        log(f"kill -9 host {victim} (the teacher's page is pinned to it)")
        probe.send(f"killed {int(killed_at * 1000)}")
        # While the host is dead: a parent's refusal arrives by another path (the API through nginx, a live host).
        if record_answer(key, watched, watched["contact"], "refuse") != "notallowed":
            raise RuntimeError("The watched pupil's refusal did not make the purpose refused")
        probe.send("changed")
        usable = probe.wait("usable", 200)
        if not usable or usable["event"] != "usable":
            raise RuntimeError(f"The page did not come back: {usable}")
        log(f"teacher's page usable again {usable['seconds']:.1f} s after the kill")
        current = probe.wait("current", 120)
        if not current or current["event"] != "current":
            raise RuntimeError(f"The reloaded page did not show the refusal: {current}")
        record_answer(key, watched, watched["contact"], "grant")
        probe.send("changed-again")
        live = probe.wait("live", 120)
        if not live or live["event"] != "live":
            raise RuntimeError(f"The new circuit did not show a later change: {live}")
        done = probe.wait("done", 60) or {}
        states = [e["detail"] for e in done.get("events", []) if e["kind"] == "reconnect-state"]
        modal = any(e["kind"] == "reconnect-modal-open" for e in done.get("events", []))
        landed = pinned_host(ready["route"], after=killed_at)

        def since_kill(kind, detail=None):
            at = next((e["at"] for e in done.get("events", []) if e["kind"] == kind and detail in (None, e["detail"]) and e["at"] >= killed_at * 1000 - 1000), None)
            return f"{(at - killed_at * 1000) / 1000:.1f} s" if at else "-"
        timeline = (f"reconnect UI {since_kill('reconnect-modal-open')}, given up ({states[-1] if states else '-'}) "
                    f"{since_kill('reconnect-state', states[-1] if states else None)}, reloaded page loading {since_kill('load')}, "
                    f"its circuit taking input {usable['seconds']:.1f} s")
        ok = modal and "show" in states and landed in HOSTS and landed != victim and usable.get("signedIn")
        circuit.update({"failures": 0 if ok else 1, "reconnected": 1 if ok else 0,
                        "seconds to usable": round(usable["seconds"], 1),
                        "reconnect UI": "shown (" + " → ".join(states) + ")" if modal else "not shown",
                        "after the kill": timeline,
                        "back on host": landed, "still signed in": "yes" if usable.get("signedIn") else "no",
                        "refusal made while dead shown after reload, s after kill": round(current["seconds"], 1),
                        "later change shown live, s": round(live["seconds"], 1)})
    except RuntimeError as e:
        circuit["error"] = str(e)
        log(f"teacher's page: {e}")
        victim = next((p for p in HOSTS if procs[p].poll() is not None), HOSTS[1])
        if procs[victim].poll() is None:
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            killed_at = time.time()
            log(f"kill -9 host {victim}")
    finally:
        probe.close()
    # The dead host comes back no sooner than 10 s after the kill, and only once the page has moved off it.
    time.sleep(max(0.0, killed_at + 10 - time.time()))
    start_host(victim)
    time.sleep(3)
    log(f"teacher's page: {circuit}")
    return [summarise(load, "kill -9 one app host", start, time.time()), circuit]


def rolling_restart(load):
    start = time.time()
    for port in HOSTS:
        procs[port].send_signal(signal.SIGTERM)   # drain: Kestrel stops accepting, finishes in-flight requests
        procs[port].wait(timeout=60)
        start_host(port)
        time.sleep(2)
    return summarise(load, "rolling restart of 3 hosts", start, time.time())


def point_in_time_restore(academy):
    backrest("--type=incr", "backup")
    leavers_before = psql(PRIMARY, f"SELECT count(*) FROM consenthub.pupils WHERE academy_id = '{academy}' AND left_on IS NOT NULL")
    answers_before = psql(PRIMARY, "SELECT count(*) FROM consenthub.consent_answers")
    audit_before = psql(PRIMARY, "SELECT count(*) FROM consenthub.audit_entries")
    target = psql(PRIMARY, "SELECT to_char(now(), 'YYYY-MM-DD HH24:MI:SS.US+00') FROM (SELECT set_config('timezone', 'UTC', true)) s")
    time.sleep(1)
    # The wrong import: a "full" file that holds only half of the academy, so the rest are marked as leavers.
    rows = json.loads(psql(PRIMARY, f"""SELECT coalesce(json_agg(json_build_object('misId', mis_id, 'legalFirstName', legal_first_name,
        'legalLastName', legal_last_name, 'dateOfBirth', to_char(date_of_birth, 'YYYY-MM-DD'),
        'yearGroup', CASE year_group WHEN -2 THEN 'N1' WHEN -1 THEN 'N2' WHEN 0 THEN 'R' ELSE year_group::text END,
        'registrationGroup', registration_group)), '[]')
        FROM (SELECT * FROM consenthub.pupils WHERE academy_id = '{academy}' AND left_on IS NULL ORDER BY mis_id) p
        WHERE p.mis_id < (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY mis_id) FROM consenthub.pupils WHERE academy_id = '{academy}' AND left_on IS NULL)"""))
    key = api_key()

    def import_file(query):
        req = urllib.request.Request(f"{BASE}/api/v1/academies/{academy}/pupil-imports?{query}",
                                     data=json.dumps({"full": True, "pupils": rows}).encode(), method="POST",
                                     headers={"X-Api-Key": key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            return json.loads(r.read())
    # A full import that marks more than 5 % as leavers is held until the number is confirmed: the careless office
    # of this drill reads the dry run's number and confirms it.
    dry = import_file("dryRun=true&full=true")
    report = import_file(f"dryRun=false&full=true&confirmLeavers={len(dry.get('leavers') or [])}")
    leavers_after = psql(PRIMARY, f"SELECT count(*) FROM consenthub.pupils WHERE academy_id = '{academy}' AND left_on IS NOT NULL")
    log(f"wrong import: leavers {leavers_before} -> {leavers_after}")
    psql(PRIMARY, "SELECT pg_switch_wal()", db="postgres")
    time.sleep(2)
    started = time.time()
    pg("pgbackrest", f"--config={ROOT}/pgbackrest.conf", "--stanza=consenthub", f"--pg1-path={ROOT}/restored",
       "--type=time", f"--target={target}", "--target-action=promote", "restore")
    with open(f"{ROOT}/restored/postgresql.auto.conf", "a") as f:
        f.write(f"\nport = {RESTORED}\narchive_mode = off\nsynchronous_standby_names = ''\n")
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/restored", "-l", f"{ROOT}/log/restored.log", "-w", "-t", "300", "start")
    deadline = time.time() + 120
    while psql(RESTORED, "SELECT pg_is_in_recovery()", db="postgres") != "f":
        if time.time() > deadline:
            raise RuntimeError("The restored copy never finished recovery")
        time.sleep(0.5)
    restore_s = time.time() - started
    leavers_restored = psql(RESTORED, f"SELECT count(*) FROM consenthub.pupils WHERE academy_id = '{academy}' AND left_on IS NOT NULL")
    answers_restored = psql(RESTORED, "SELECT count(*) FROM consenthub.consent_answers")
    broken_links = psql(RESTORED, """SELECT count(*) FROM (SELECT previous_hash, lag(hash) OVER (PARTITION BY chain_id ORDER BY sequence) AS prev,
        sequence, lag(sequence) OVER (PARTITION BY chain_id ORDER BY sequence) AS prev_seq FROM consenthub.audit_entries) e
        WHERE prev IS NOT NULL AND (previous_hash <> prev OR sequence <> prev_seq + 1)""")
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/restored", "-m", "fast", "stop")
    ok = leavers_restored == leavers_before and int(answers_restored) >= int(answers_before) and broken_links == "0"
    row = {"fault": "wrong full import, point-in-time restore beside", "requests": 1, "failures": 0 if ok else 1,
           "leavers before/after import/restored": f"{leavers_before}/{leavers_after}/{leavers_restored}",
           "answers at target/restored": f"{answers_before}/{answers_restored}", "audit links broken": broken_links,
           "restore s": round(restore_s, 1), "leavers the import reported": len(report.get("leavers") or [])}
    log(str(row))
    return row


def kill_primary(load):
    start = time.time()
    time.sleep(5)
    acked_before_kill = {r[4] for r in load.window(0, time.time()) if r[1] == "write" and r[2]}
    killed_at = time.time()
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/primary", "-m", "immediate", "stop")
    log("primary stopped (immediate); promoting the standby")
    pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/standby", "-w", "promote")
    promoted_at = time.time()
    first_write = None
    deadline = time.time() + 120
    while first_write is None and time.time() < deadline:
        time.sleep(0.2)
        first_write = next((r[0] for r in load.window(promoted_at, time.time()) if r[1] == "write" and r[2]), None)
    time.sleep(5)
    present = set(psql(STANDBY, "SELECT substr(note, 7) FROM consenthub.consent_answers WHERE note LIKE 'drill %'").split())
    lost = len(acked_before_kill - present)
    return summarise(load, "kill the primary, promote the standby", start, time.time(), {
        "RTO s (kill to first write)": round(first_write - killed_at, 1) if first_write else "none",
        "RPO (acknowledged answers missing)": lost})


def verify(load, port):
    acked = [r for r in load.results if r[1] == "write" and r[2]]
    notes = psql(port, "SELECT substr(note, 7), count(*) FROM consenthub.consent_answers WHERE note LIKE 'drill %' GROUP BY 1")
    counts = dict(line.split("|") for line in notes.splitlines() if line)
    lost = sum(1 for r in acked if r[4] not in counts)
    dups = sum(1 for c in counts.values() if int(c) > 1)
    return len(acked), lost, dups


def table(rows, totals):
    lines = ["| fault | requests | failures | details |", "|---|---:|---:|---|"]
    for r in rows:
        details = "; ".join(f"{k}: {v}" for k, v in r.items() if k not in ("fault", "requests", "failures"))
        lines.append(f"| {r['fault']} | {r['requests']} | {r['failures']} | {details} |")
    lines.append(f"| whole run | {totals['requests']} | {totals['failures']} | answers acknowledged: {totals['acked']}; "
                 f"lost: {totals['lost']}; recorded twice: {totals['dups']} |")
    return "\n".join(lines)


def cleanup():
    for p in procs.values():
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs.values():
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
    if os.path.exists(f"{ROOT}/nginx/nginx.pid"):
        run(["nginx", "-p", f"{ROOT}/nginx", "-c", f"{ROOT}/nginx.conf", "-s", "stop"], check=False)
    for d in ("primary", "standby", "restored"):
        if os.path.exists(f"{ROOT}/{d}/postmaster.pid"):
            pg(f"{PGBIN}/pg_ctl", "-D", f"{ROOT}/{d}", "-m", "immediate", "stop", check=False)


def ports_in_use():
    used = []
    for port in [PRIMARY, STANDBY, RESTORED, NGINX_PORT] + HOSTS:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                used.append(port)
    return used


def main():
    app = sys.argv[1] if len(sys.argv) > 1 else None
    if used := ports_in_use():
        print(f"Ports {used} are in use: is another drill running? It needs {PRIMARY}-{RESTORED}, {NGINX_PORT}-{HOSTS[-1]}.", file=sys.stderr)
        return 2
    probe_dir = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else f"{REPO}/artifacts/drill-probe")
    if os.path.exists(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    shutil.copytree(app, f"{ROOT}/app")
    try:
        setup_database()
        backrest("--type=full", "backup")
        start_host(HOSTS[0], migrate=True)
        for port in HOSTS[1:]:
            start_host(port)
        start_nginx()
        key = api_key()
        targets, academies = pick_targets(key)
        watched = pick_watched_pupil(key, targets)
        log(f"{len(targets)} (pupil, contact, purpose) targets; the teacher's page watches {watched['purpose']} for one pupil; load starting")
        load = Load(key, targets)
        load.start()
        rows = []
        if "host" in FAULTS:
            rows += kill_one_host(load, key, probe_dir, watched)
        if "rolling" in FAULTS:
            rows.append(rolling_restart(load))
        if "restore" in FAULTS:
            rows.append(point_in_time_restore(academies[-1]))
        if "primary" in FAULTS:
            rows.append(kill_primary(load))
        time.sleep(3)
        load.finish()
        acked, lost, dups = verify(load, STANDBY if "primary" in FAULTS else PRIMARY)
        totals = {"requests": len(load.results), "failures": sum(1 for r in load.results if not r[2]),
                  "acked": acked, "lost": lost, "dups": dups}
        text = table(rows, totals)
        print("\n" + text)
        with open(f"{ROOT}/drill-table.md", "w") as f:
            f.write(text + "\n")
        # Requests in flight on a killed host may fail; what must not fail: the restore, and the teacher's page.
        must_pass = ("wrong full import, point-in-time restore beside", "open teacher's page (Check, photo session) on the killed host")
        return 0 if lost == 0 and dups == 0 and all(r["fault"] not in must_pass or r["failures"] == 0 for r in rows) else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
