#!/usr/bin/env python3
"""ConsentHub capacity run, on loopback, with the drill's topology (deploy/drill/drill.py): a PostgreSQL primary with a
synchronous hot standby, three app hosts, nginx in front. wrk drives the check API (GET a pupil's consent) and
recorded answers (POST, the same append-only write, facts trigger and audit as a signing POST) through nginx, first
with nginx sending everything to ONE host, then to all THREE. For each run it prints requests per second, p50/p99
latency, and the CPU spent per request by the app hosts and by PostgreSQL (from /proc, so the shared box's other load
is not counted). Run it with ./build.sh capacity. Nothing here is used by the app itself."""
import json, os, random, re, shutil, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drill  # noqa: E402  (the drill's set-up: clusters, hosts, nginx)

DURATION = os.environ.get("CAPACITY_DURATION", "20s")
CONNECTIONS = int(os.environ.get("CAPACITY_CONNECTIONS", "32"))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])   # utime + stime
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / TICKS


def postgres_pids():
    out = drill.run(["pgrep", "-u", "postgres", "-f", f"{drill.ROOT}/"], check=False).stdout
    pids = set(int(p) for p in out.split())
    # Backends are children of the postmasters; include every postgres process of the drill's clusters.
    for master in list(pids):
        kids = drill.run(["pgrep", "-P", str(master)], check=False).stdout
        pids.update(int(k) for k in kids.split())
    return pids


def nginx_upstreams(ports):
    conf = open(f"{drill.REPO}/deploy/nginx/drill.conf").read().replace("@ROOT@", drill.ROOT).replace("@REPO@", drill.REPO)
    servers = "".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in ports)
    conf = re.sub(r"(upstream consenthub_(?:sticky|any) \{\n(?:        hash[^\n]*\n)?)(?:        server [^\n]*\n)+", lambda m: m.group(1) + servers, conf)
    with open(f"{drill.ROOT}/nginx.conf", "w") as f:
        f.write(conf)
    if os.path.exists(f"{drill.ROOT}/nginx/nginx.pid"):
        drill.run(["nginx", "-p", f"{drill.ROOT}/nginx", "-c", f"{drill.ROOT}/nginx.conf", "-s", "reload"])
        time.sleep(2)
    else:
        os.makedirs(f"{drill.ROOT}/nginx", exist_ok=True)
        drill.run(["nginx", "-p", f"{drill.ROOT}/nginx", "-c", f"{drill.ROOT}/nginx.conf"])


def lua(key, targets, write):
    rows = ",\n".join('{"%s","%s","%s"}' % t for t in targets)
    body = ('local b = string.format(\'{"purpose":"%s","party":"contact","contactId":"%s","answer":"%s","method":"paper",'
            '"attested":true,"recordedBy":"capacity run"}\', t[3], t[2], (math.random(2) == 1) and "grant" or "refuse")\n'
            '  return wrk.format("POST", "/api/v1/pupils/" .. t[1] .. "/consent-answers", nil, b)') if write else \
        'return wrk.format("GET", "/api/v1/pupils/" .. t[1] .. "/consent", nil, nil)'
    script = f"""local targets = {{
{rows}
}}
wrk.headers["X-Api-Key"] = "{key}"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local t = targets[math.random(#targets)]
  {body}
end
local bad = 0
response = function(status, headers, body)
  if status ~= 200 and status ~= 201 then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""
    path = f"{drill.ROOT}/{'write' if write else 'read'}.lua"
    with open(path, "w") as f:
        f.write(script)
    return path


def measure(name, script, host_pids):
    pg_pids = postgres_pids()
    h0, p0, t0 = cpu_seconds(host_pids), cpu_seconds(pg_pids), time.time()
    out = drill.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s", "--latency", "-s", script, drill.BASE]).stdout
    elapsed = time.time() - t0
    pg_pids |= postgres_pids()
    h1, p1 = cpu_seconds(host_pids), cpu_seconds(pg_pids)
    m = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    requests, errors = int(m.group(1)), int(m.group(2))
    row = {"run": name, "requests": requests, "errors": errors, "rps": requests / elapsed,
           "p50": float(m.group(3)), "p95": float(m.group(4)), "p99": float(m.group(5)),
           "host_cpu_ms": (h1 - h0) * 1000 / max(requests, 1), "pg_cpu_ms": (p1 - p0) * 1000 / max(requests, 1),
           "load": open("/proc/loadavg").read().split()[0]}
    drill.log(json.dumps(row))
    return row


def main():
    app = sys.argv[1]
    if os.path.exists(drill.ROOT):
        shutil.rmtree(drill.ROOT)
    os.makedirs(drill.ROOT)
    shutil.copytree(app, f"{drill.ROOT}/app")
    rows = []
    try:
        drill.setup_database()
        drill.start_host(drill.HOSTS[0], migrate=True)
        for port in drill.HOSTS[1:]:
            drill.start_host(port)
        nginx_upstreams(drill.HOSTS[:1])
        key = drill.api_key()
        targets, _ = drill.pick_targets(key)
        random.shuffle(targets)
        read, write = lua(key, targets, write=False), lua(key, targets, write=True)
        for hosts in (1, 3):
            nginx_upstreams(drill.HOSTS[:hosts])
            pids = [drill.procs[p].pid for p in drill.HOSTS[:hosts]]
            measure(f"warm-up {hosts}", read, pids)
            rows.append(dict(measure(f"check API, {hosts} host{'s' if hosts > 1 else ''}", read, pids), hosts=hosts, kind="check"))
            rows.append(dict(measure(f"recorded answers, {hosts} host{'s' if hosts > 1 else ''}", write, pids), hosts=hosts, kind="write"))
        lines = [f"wrk -t2 -c{CONNECTIONS} -d{DURATION} through nginx; {os.cpu_count()} cores shared by nginx, wrk, the hosts and both clusters",
                 "| run | requests | errors | req/s | p50 ms | p95 ms | p99 ms | host CPU ms/req | PostgreSQL CPU ms/req | load |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            lines.append(f"| {r['run']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
                         f"{r['host_cpu_ms']:.2f} | {r['pg_cpu_ms']:.2f} | {r['load']} |")
        for kind in ("check", "write"):
            one = next(r for r in rows if r["kind"] == kind and r["hosts"] == 1)
            three = next(r for r in rows if r["kind"] == kind and r["hosts"] == 3)
            lines.append(f"\n{kind}: three hosts / one host = {three['rps'] / one['rps']:.2f}x req/s")
        text = "\n".join(lines)
        print("\n" + text)
        with open(f"{drill.ROOT}/capacity-table.md", "w") as f:
            f.write(text + "\n")
        return 0 if all(r["errors"] == 0 for r in rows) else 1
    finally:
        drill.cleanup()


if __name__ == "__main__":
    sys.exit(main())
